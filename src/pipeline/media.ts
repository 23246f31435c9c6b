import { realpathSync, type Stats, statSync } from 'node:fs';
import { basename, dirname, extname, isAbsolute, relative, resolve } from 'node:path';
import { imageSize } from 'image-size';
import type { DiagnosticCode } from '../diagnostic-codes.ts';
import { withFields } from '../ingest/index.ts';
import type { MediaDigest, MediaDigests } from '../state/index.ts';
import type {
  Article,
  CopiedOutput,
  Diagnostic,
  EnclosureRef,
  ImageRef,
  ItemMedia,
  ResolvedEnclosure,
  ResolvedImage,
} from '../types.ts';
import { mediaTypeOf } from './media-types.ts';
import { hashFile, readHead } from './output-file.ts';
import { SETTLE_MS, statStamp } from './settle.ts';

/** Where published media files go in out/. */
export const MEDIA_DIR = 'media/';

export interface MediaSettings {
  /** The folder article source paths are relative to (the config's folder). */
  root: string;
  /** The articles folder: a file outside it is never published. */
  articlesDir: string;
  /** The site's base URL (absolute, ending in "/"). */
  baseUrl: string;
  /** Digests of earlier builds (the cache file): a file whose stamp is unchanged is not hashed again. */
  digests?: MediaDigests;
  /** Files changed before this time (ms) may be judged unchanged by their stamp (see read.ts). Default: now less SETTLE_MS. */
  trustStampsBefore?: number;
}

export interface MediaResult {
  /** The same articles, those naming media given `media.resolved`. */
  articles: Article[];
  /** Each media file once, under its content-hashed name, sorted by path: copied by the writer. */
  outputs: CopiedOutput[];
  diagnostics: Diagnostic[];
}

/**
 * A media file in the articles folder, hashed and given its published name. Its bytes are not
 * kept: an episode can be hundreds of megabytes, a podcast hundreds of episodes.
 */
interface Asset {
  url: string;
  path: string;
  /** The file, for the writer to copy. */
  source: string;
  size: number;
  /** sha256 (hex) of its bytes: its name holds the first 12 characters. */
  hash: string;
  type: string | null;
  /** A picture's width and height: kept from an earlier build, or measured once this build. */
  dimensions?: { width: number; height: number };
  /** Where its digest is kept between builds (null while its stamp is too fresh to trust). */
  kept: { key: string; stamp: string } | null;
}

/**
 * How much of a picture is read to find its width and height: image-size's own limit when it
 * reads a file (`imageSizeFromFile`); every format it knows keeps them in the header.
 */
const IMAGE_HEAD_BYTES = 512 * 1024;

/**
 * A picture's width and height from the first chunk its hashing read, or undefined when that
 * chunk is shorter than the head `#measure` would read, or holds no size it knows: `#measure`
 * then reads the head and reports the problem, as before.
 */
function sizeFromHead(chunk: Uint8Array, fileSize: number): MediaDigest['dimensions'] {
  const head = Math.min(fileSize, IMAGE_HEAD_BYTES);
  if (chunk.length < head) return undefined;
  try {
    const { width, height } = imageSize(chunk.subarray(0, head));
    return { width, height };
  } catch {
    return undefined;
  }
}

/**
 * Finds and measures the files articles name (front matter `image` and `enclosure`, Markdown
 * images), and plans them into out/ under content-hashed names, so a changed picture gets a new
 * URL and an unchanged one keeps its URL (and every reader's cache) forever. A missing file is
 * an error naming the article's file and line; the story is still built, without that file.
 */
export function resolveMedia(articles: Article[], settings: MediaSettings): MediaResult {
  const resolver = new MediaResolver(settings);
  const resolved = articles.map((article) => {
    const media = article.media;
    if (!media) return article;
    const file = article.sources[0]?.file ?? '';
    // In file order: front matter first, so diagnostics read top to bottom.
    const image = media.image ? resolver.image(media.image, file) : null;
    const enclosure = media.enclosure ? resolver.enclosure(media.enclosure, file) : null;
    const inline: Record<string, ResolvedImage> = {};
    for (const ref of media.inline) {
      const found = resolver.image(ref, file);
      if (found !== null) inline[ref.src] = found;
    }
    const result: ItemMedia = { image, enclosure, inline };
    return withFields(article, { media: { ...media, resolved: result } });
  });
  settings.digests?.finish();
  return { articles: resolved, outputs: resolver.outputs(), diagnostics: resolver.diagnostics };
}

class MediaResolver {
  readonly diagnostics: Diagnostic[] = [];
  readonly #assets = new Map<string, Asset | null>();
  /** Why a file named again could not be read the first time ("not found", …). */
  readonly #unreadable = new Map<string, string>();
  readonly #articlesDir: string;
  readonly #trustStampsBefore: number;

  constructor(private readonly settings: MediaSettings) {
    this.#articlesDir = realOrSelf(resolve(settings.root, settings.articlesDir));
    this.#trustStampsBefore = settings.trustStampsBefore ?? Date.now() - SETTLE_MS;
  }

  image(ref: ImageRef, file: string): ResolvedImage | null {
    if (ref.alt === null)
      this.#report('warning', 'media/missing-alt', file, ref.line, `image "${ref.src}" has no alt text`);
    const alt = ref.alt ?? '';
    if (/^https?:\/\//i.test(ref.src)) {
      // The publisher's own host serves it; its size is unknown without fetching it.
      return { url: ref.src, width: null, height: null, type: null, length: null, alt, caption: ref.caption };
    }
    const asset = this.#asset(ref.src, file, ref.line, 'image');
    if (asset === null) return null;
    let size: { width: number; height: number };
    try {
      size = asset.dimensions ?? this.#measure(asset);
    } catch (error) {
      this.#report(
        'error',
        'media/unreadable-image',
        file,
        ref.line,
        `image "${ref.src}": ${(error as Error).message}; left out`,
      );
      return null;
    }
    return {
      url: asset.url,
      width: size.width,
      height: size.height,
      type: asset.type,
      length: asset.size,
      alt,
      caption: ref.caption,
    };
  }

  enclosure(ref: EnclosureRef, file: string): ResolvedEnclosure | null {
    const remote = /^https?:\/\//i.test(ref.src);
    const asset = remote ? null : this.#asset(ref.src, file, ref.line, 'enclosure');
    if (!remote && asset === null) return null;
    const type = ref.type ?? (asset ? asset.type : mediaTypeOf(new URL(ref.src).pathname));
    if (type === null) {
      this.#report(
        'error',
        'media/enclosure-type',
        file,
        ref.line,
        `enclosure "${ref.src}" needs a "type" (e.g. audio/mpeg); left out`,
      );
      return null;
    }
    // A URL's length is the publisher's to give (RSS allows 0 for unknown); a file's is its size.
    if (asset === null) return { url: ref.src, type, length: ref.length ?? 0, podcast: ref.podcast };
    return { url: asset.url, type, length: asset.size, podcast: ref.podcast };
  }

  outputs(): CopiedOutput[] {
    const byPath = new Map<string, CopiedOutput>();
    for (const asset of this.#assets.values())
      if (asset)
        byPath.set(asset.path, {
          path: asset.path,
          key: `${asset.hash}:${asset.size}`,
          copyFrom: asset.source,
          hash: asset.hash,
          size: asset.size,
        });
    return [...byPath.values()].sort((a, b) => (a.path < b.path ? -1 : 1));
  }

  /** The file `src` names beside the article `file`, read once per build however many name it. */
  #asset(src: string, file: string, line: number, what: 'image' | 'enclosure'): Asset | null {
    const path = resolve(this.settings.root, dirname(file), decoded(src));
    if (this.#assets.has(path)) {
      const known = this.#assets.get(path) ?? null;
      if (known === null)
        this.#report(
          'error',
          'media/missing-file',
          file,
          line,
          `${what} "${src}" ${this.#unreadable.get(path) ?? 'not found'}`,
        );
      return known;
    }
    let asset: Asset | null = null;
    const inside = relative(this.#articlesDir, realOrSelf(path));
    if (inside.startsWith('..') || isAbsolute(inside)) {
      this.#report(
        'error',
        'media/outside-articles',
        file,
        line,
        `${what} "${src}" is outside the articles folder; not published`,
      );
      return null;
    }
    try {
      // A named pipe would block the read for ever, a device read without end.
      const stats = statSync(path);
      if (!stats.isFile()) throw new NotRegularFile();
      const { digest, kept } = this.#digest(path, stats, what === 'image');
      const { hash, size } = digest;
      const ext = extname(path).toLowerCase();
      const stem = slug(basename(path, extname(path)));
      const out = `${MEDIA_DIR}${stem ? `${stem}-` : ''}${hash.slice(0, 12)}${ext}`;
      asset = {
        path: out,
        url: new URL(out, this.settings.baseUrl).href,
        source: path,
        size,
        hash,
        type: mediaTypeOf(path),
        ...(digest.dimensions ? { dimensions: digest.dimensions } : {}),
        kept,
      };
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      const reason =
        error instanceof NotRegularFile
          ? 'is not a regular file (a named pipe, socket or device); not published'
          : code === 'ENOENT'
            ? 'not found'
            : `cannot be read (${(error as Error).message})`;
      this.#unreadable.set(path, reason);
      this.#report('error', 'media/missing-file', file, line, `${what} "${src}" ${reason}`);
    }
    this.#assets.set(path, asset);
    return asset;
  }

  /**
   * The file's digest: kept from an earlier build while its stamp says it is unchanged, else
   * hashed now, and a `picture` measured from the same read (else its head was read again).
   */
  #digest(path: string, stats: Stats, picture: boolean): { digest: MediaDigest; kept: Asset['kept'] } {
    const { digests } = this.settings;
    // As the article reader: a stamp is trusted only once the file has been still for a while.
    const settled = Math.max(stats.mtimeMs, stats.ctimeMs) < this.#trustStampsBefore;
    const kept = settled ? { key: relative(this.settings.root, path), stamp: statStamp(stats) } : null;
    const known = kept === null ? undefined : digests?.get(kept.key, kept.stamp);
    if (known) return { digest: known, kept };
    let dimensions: MediaDigest['dimensions'];
    const hashed = hashFile(
      path,
      'sha256',
      'hex',
      picture ? (chunk) => (dimensions = sizeFromHead(chunk, stats.size)) : undefined,
    );
    const digest: MediaDigest = dimensions ? { ...hashed, dimensions } : hashed;
    if (kept !== null) digests?.set(kept.key, kept.stamp, digest);
    return { digest, kept };
  }

  /** A picture's width and height from its header, kept with its digest for the builds after. */
  #measure(asset: Asset): { width: number; height: number } {
    const { width, height } = imageSize(readHead(asset.source, IMAGE_HEAD_BYTES));
    asset.dimensions = { width, height };
    if (asset.kept !== null)
      this.settings.digests?.set(asset.kept.key, asset.kept.stamp, {
        hash: asset.hash,
        size: asset.size,
        dimensions: asset.dimensions,
      });
    return asset.dimensions;
  }

  #report(
    severity: Diagnostic['severity'],
    code: DiagnosticCode,
    file: string,
    line: number,
    message: string,
  ): void {
    this.diagnostics.push({ severity, code, file, line, message });
  }
}

/** A media file that is a named pipe, socket or device: its read would block, or never end. */
class NotRegularFile extends Error {}

/** `my%20photo.jpg` in Markdown is the file `my photo.jpg`. */
function decoded(src: string): string {
  try {
    return decodeURIComponent(src);
  } catch {
    return src;
  }
}

function realOrSelf(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

function slug(name: string): string {
  return name
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40);
}
