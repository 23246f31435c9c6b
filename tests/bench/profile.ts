/**
 * CPU profiles of the bench's timed sections (`npm run bench -- --profile`), taken with the
 * inspector from inside the worker so each profile covers one section only (not the module
 * loading or corpus reading around it), plus a "top self time" summary to act on.
 * Profiled timings are slower than real ones; the bench says so when it prints them.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { relative } from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

export interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

export interface HotFunction {
  name: string;
  /** `file:line`, relative to the project root; node internals keep their `node:` name. */
  where: string;
  selfMs: number;
  percent: number;
}

export interface ProfileSummary {
  section: string;
  file: string;
  totalMs: number;
  /** By self time: where the CPU actually went. */
  top: HotFunction[];
  /** Our own functions (src/) by total time, callees included: which stage function to look at. */
  ours: HotFunction[];
}

/** Runs `work` under the sampling profiler and writes `<file>` (open it in Chrome DevTools). */
export async function profiled<T>(
  file: string,
  work: () => Promise<T> | T,
): Promise<{ value: T; profile: CpuProfile }> {
  const session = new Session();
  session.connect();
  try {
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: 200 });
    await session.post('Profiler.start');
    const value = await work();
    const { profile } = (await session.post('Profiler.stop')) as unknown as { profile: CpuProfile };
    writeFileSync(file, JSON.stringify(profile));
    return { value, profile };
  } finally {
    session.disconnect();
  }
}

/** Self time per function (summed over every node with the same name and location), highest first. */
export function summarizeProfile(
  profile: CpuProfile,
  root: string,
  limit = 12,
): { totalMs: number; top: HotFunction[]; ours: HotFunction[] } {
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const label = new Map<number, { key: string; name: string; where: string; ours: boolean }>();
  for (const node of profile.nodes) {
    const frame = node.callFrame;
    const name = frame.functionName || '(anonymous)';
    const where = frame.url ? `${displayUrl(frame.url, root)}:${sourceLine(frame, name)}` : '';
    label.set(node.id, { key: `${name}@${where}`, name, where, ours: where.startsWith('src/') });
  }
  const self = new Map<string, number>();
  const total = new Map<string, number>();
  let totalUs = 0;
  profile.samples.forEach((id, i) => {
    // timeDeltas[i] is the time since the previous sample: it belongs to the sample before.
    const us = profile.timeDeltas[i + 1] ?? 0;
    const own = label.get(id);
    if (!own) return;
    totalUs += us;
    self.set(own.key, (self.get(own.key) ?? 0) + us);
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const frame = label.get(at);
      if (frame?.ours && !seen.has(frame.key)) {
        seen.add(frame.key);
        total.set(frame.key, (total.get(frame.key) ?? 0) + us);
      }
    }
  });
  const info = new Map([...label.values()].map((l) => [l.key, l]));
  const rank = (times: Map<string, number>): HotFunction[] =>
    [...times.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, limit)
      .map(([key, us]) => ({
        name: info.get(key)?.name ?? key,
        where: info.get(key)?.where ?? '',
        selfMs: us / 1000,
        percent: totalUs ? (100 * us) / totalUs : 0,
      }));
  return { totalMs: totalUs / 1000, top: rank(self), ours: rank(total) };
}

const sources = new Map<string, string[] | null>();

/**
 * The line to show for a frame. tsx's transform reports many functions at line 1 of the
 * module; for our own sources, find the function's definition by name instead.
 */
function sourceLine(frame: ProfileNode['callFrame'], name: string): number {
  if (frame.lineNumber > 0 || !frame.url.startsWith('file://') || frame.url.includes('/node_modules/')) {
    return frame.lineNumber + 1;
  }
  const path = new URL(frame.url).pathname;
  if (!sources.has(path)) {
    try {
      sources.set(path, readFileSync(path, 'utf8').split('\n'));
    } catch {
      sources.set(path, null);
    }
  }
  const lines = sources.get(path);
  if (!lines || name === '(anonymous)') return frame.lineNumber + 1;
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  // Most specific first: a declaration, then an arrow or property, then a method.
  const patterns = [
    new RegExp(`\\bfunction\\*?\\s+${escaped}\\s*[<(]`),
    new RegExp(`\\b${escaped}\\s*[=:]\\s*(async\\s*)?(\\(|function)`),
    new RegExp(`^\\s*(async\\s+)?${escaped}\\s*\\(`),
  ];
  let at = -1;
  for (const pattern of patterns) {
    at = lines.findIndex((line) => pattern.test(line));
    if (at >= 0) break;
  }
  return at >= 0 ? at + 1 : frame.lineNumber + 1;
}

function displayUrl(url: string, root: string): string {
  if (!url.startsWith('file://')) return url;
  const path = relative(root, new URL(url).pathname);
  return path.startsWith('node_modules/') ? path.replace(/^node_modules\//, 'npm:') : path;
}

export function formatSummary(summary: ProfileSummary): string {
  const lines = [`${summary.section}: ${summary.totalMs.toFixed(0)} ms sampled (${summary.file})`];
  const row = (hot: HotFunction) =>
    `  ${hot.selfMs.toFixed(0).padStart(7)} ms ${hot.percent.toFixed(1).padStart(5)}%  ${hot.name}  ${hot.where}`;
  lines.push(' by self time:', ...summary.top.map(row));
  if (summary.ours.length)
    lines.push(' our functions by total time (callees included):', ...summary.ours.map(row));
  return lines.join('\n');
}
