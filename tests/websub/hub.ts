import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One publish request as the hub understood it, and what it fetched of each topic. */
export interface ReceivedPublish {
  topics: string[];
  fetched: { topic: string; status: number; bytes: number }[];
}

/**
 * A local hub for tests: the publisher-facing half of a WebSub hub. No npm or Debian package
 * is a runnable WebSub hub (the one on npm needs MongoDB), so this follows the publish request
 * as hubs accept it (PubSubHubbub 0.4 §7.1, which W3C WebSub §7 leaves to hubs): a POST of
 * `application/x-www-form-urlencoded` with `hub.mode=publish` and one or more absolute `hub.url`;
 * anything else is refused with 400. Like a real hub it then fetches each topic (to distribute
 * it) before answering 204. `refuseNext` makes the next publish answer 503.
 */
export class TestHub {
  readonly received: ReceivedPublish[] = [];
  refuseNext = 0;
  readonly #server: Server;

  private constructor(server: Server) {
    this.#server = server;
  }

  static async start(): Promise<TestHub> {
    let hub: TestHub | undefined;
    const server = createServer((request, response) => {
      void hub?.handle(request.method ?? '', request.headers['content-type'] ?? '', request, response);
    });
    hub = new TestHub(server);
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    return hub;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}/hub`;
  }

  close(): Promise<void> {
    return new Promise((done) => this.#server.close(() => done()));
  }

  private async handle(
    method: string,
    contentType: string,
    request: AsyncIterable<Buffer>,
    response: ServerResponse,
  ): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk);
    const refuse = (status: number, message: string): void => {
      response.writeHead(status).end(message);
    };
    if (method !== 'POST') return refuse(405, 'POST only');
    if (!contentType.startsWith('application/x-www-form-urlencoded'))
      return refuse(400, 'expected application/x-www-form-urlencoded');
    const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
    if (form.get('hub.mode') !== 'publish') return refuse(400, 'hub.mode must be publish');
    const topics = form.getAll('hub.url');
    if (topics.length === 0 || !topics.every((t) => /^https?:\/\//.test(t) && URL.canParse(t)))
      return refuse(400, 'hub.url must be one or more absolute http(s) URLs');
    if (this.refuseNext > 0) {
      this.refuseNext--;
      return refuse(503, 'hub busy');
    }
    const fetched: ReceivedPublish['fetched'] = [];
    for (const topic of topics) {
      const got = await fetch(topic);
      fetched.push({ topic, status: got.status, bytes: (await got.arrayBuffer()).byteLength });
    }
    this.received.push({ topics, fetched });
    response.writeHead(204).end();
  }
}
