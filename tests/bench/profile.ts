/**
 * CPU profiles of the bench's timed sections (`npm run bench -- --profile`), taken with the
 * inspector from inside the worker so each profile covers one section only (not the module
 * loading or corpus reading around it), plus a "top self time" summary to act on.
 * Profiled timings are slower than real ones; the bench says so when it prints them.
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { relative } from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
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
  top: HotFunction[];
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
): { totalMs: number; top: HotFunction[] } {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const self = new Map<string, { name: string; where: string; us: number }>();
  let totalUs = 0;
  profile.samples.forEach((id, i) => {
    // timeDeltas[i] is the time since the previous sample: it belongs to the sample before.
    const us = profile.timeDeltas[i + 1] ?? 0;
    const frame = byId.get(id)?.callFrame;
    if (!frame) return;
    totalUs += us;
    const name = frame.functionName || '(anonymous)';
    const where = frame.url ? `${displayUrl(frame.url, root)}:${frame.lineNumber + 1}` : '';
    const key = `${name}@${where}`;
    const entry = self.get(key) ?? { name, where, us: 0 };
    entry.us += us;
    self.set(key, entry);
  });
  const top = [...self.values()]
    .sort((a, b) => b.us - a.us)
    .slice(0, limit)
    .map((e) => ({
      name: e.name,
      where: e.where,
      selfMs: e.us / 1000,
      percent: totalUs ? (100 * e.us) / totalUs : 0,
    }));
  return { totalMs: totalUs / 1000, top };
}

function displayUrl(url: string, root: string): string {
  if (!url.startsWith('file://')) return url;
  const path = relative(root, new URL(url).pathname);
  return path.startsWith('node_modules/') ? path.replace(/^node_modules\//, 'npm:') : path;
}

export function formatSummary(summary: ProfileSummary): string {
  const lines = [`${summary.section}: ${summary.totalMs.toFixed(0)} ms sampled (${summary.file})`];
  for (const hot of summary.top) {
    lines.push(
      `  ${hot.selfMs.toFixed(0).padStart(7)} ms ${hot.percent.toFixed(1).padStart(5)}%  ${hot.name}  ${hot.where}`,
    );
  }
  return lines.join('\n');
}
