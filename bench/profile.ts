/**
 * Where the time goes, from the V8 CPU profiles the children write with BENCH_CPU_PROF=1 (node --cpu-prof):
 * self time by package / project folder and the hottest functions. Also a command:
 * `npx tsx bench/profile.ts <directory or .cpuprofile files>`.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { projectRoot } from '../runtime/config.js';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
}

/** The package, project folder or V8 category a frame belongs to. */
function areaOf(url: string, functionName: string): string {
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  if (url.startsWith('node:')) return 'node: internals';
  const path = url.startsWith('file://') ? fileURLToPath(url) : url;
  const modules = path.lastIndexOf('node_modules/');
  if (modules >= 0) {
    const [scope, name] = path.slice(modules + 'node_modules/'.length).split('/');
    return scope?.startsWith('@') ? `${scope}/${name}` : (scope ?? path);
  }
  if (path.startsWith(projectRoot)) return `${relative(projectRoot, path).split('/')[0]}/ (project)`;
  return path;
}

/** Frames that belong to no package: V8 and Node internals, natives; their time goes to the JS caller. */
const isInternal = (area: string) => area === 'node: internals' || area === '(native)';

function table(rows: [string, number][], busy: number, limit: number): string {
  return rows
    .sort((a, b) => b[1] - a[1])
    .slice(0, limit)
    .map(([name, ms]) => `| ${name} | ${Math.round(ms)} | ${((ms / busy) * 100).toFixed(1)} % |`)
    .join('\n');
}

/**
 * Three views of one profile, as shares of the busy (non-idle) time: self time by area, with Node
 * internals and natives charged to the package that called them; inclusive time of the package and project
 * functions (each function counted once per sample); and the hottest functions by self time.
 */
export function summarizeProfile(file: string, limit = 12, name = file): string {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const totalMs = (profile.endTime - profile.startTime) / 1000;
  const hits = profile.nodes.reduce((sum, node) => sum + (node.hitCount ?? 0), 0);
  const msPerHit = hits > 0 ? totalMs / hits : 0;
  const parent = new Map<number, ProfileNode>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node);
  const keyOf = (node: ProfileNode) => {
    const { functionName, url, lineNumber } = node.callFrame;
    return `${functionName || '(anonymous)'} ${url ? `${basename(url)}:${lineNumber + 1}` : ''}`;
  };

  const byArea = new Map<string, number>();
  const inclusive = new Map<string, number>();
  const bySelf = new Map<string, number>();
  const add = (map: Map<string, number>, key: string, ms: number) => map.set(key, (map.get(key) ?? 0) + ms);
  let idle = 0;
  for (const node of profile.nodes) {
    const ms = (node.hitCount ?? 0) * msPerHit;
    if (ms === 0) continue;
    const area = areaOf(node.callFrame.url, node.callFrame.functionName);
    if (area === '(idle)') {
      idle += ms;
      continue;
    }
    add(bySelf, `${keyOf(node)} [${area}]`, ms);
    let charged = area;
    const seen = new Set<string>();
    for (let frame: ProfileNode | undefined = node; frame; frame = parent.get(frame.id)) {
      const frameArea = areaOf(frame.callFrame.url, frame.callFrame.functionName);
      if (isInternal(charged) && !isInternal(frameArea) && !frameArea.startsWith('(')) charged = frameArea;
      if (isInternal(frameArea) || frameArea.startsWith('(')) continue;
      const key = `${keyOf(frame)} [${frameArea}]`;
      if (!seen.has(key)) {
        seen.add(key);
        add(inclusive, key, ms);
      }
    }
    add(byArea, charged, ms);
  }
  const busy = totalMs - idle;
  return [
    `#### ${name}: ${Math.round(totalMs)} ms profiled, ${Math.round(busy)} ms busy`,
    '',
    '| self time by area (internals charged to their caller) | ms | share of busy |',
    '| --- | --- | --- |',
    table([...byArea], busy, limit),
    '',
    '| inclusive time, package and project functions | ms | share of busy |',
    '| --- | --- | --- |',
    table([...inclusive], busy, limit + 8),
    '',
    '| hottest functions (self time) | ms | share of busy |',
    '| --- | --- | --- |',
    table([...bySelf], busy, limit),
    '',
  ].join('\n');
}

/** `.cpuprofile` files under `path` (and its directories), or `path` itself. */
function profilesIn(path: string): string[] {
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path)
    .sort()
    .flatMap((name) => {
      const full = join(path, name);
      if (statSync(full).isDirectory()) return profilesIn(full);
      return name.endsWith('.cpuprofile') ? [full] : [];
    });
}

/** Summaries of the profiles busy at least `minBusyShare` of their time (skips e.g. tsx's loader thread). */
export function summarizeProfiles(paths: string[], minBusyShare = 0.05): string {
  const out: string[] = [];
  for (const root of paths)
    for (const file of profilesIn(root)) {
      // Named by child directory and file: `worker-real-…/CPU.….cpuprofile`.
      const name = relative(statSync(root).isDirectory() ? root : dirname(root), file);
      const text = summarizeProfile(file, 12, name);
      const [, profiled = 0, busy = 0] = (/(\d+) ms profiled, (\d+) ms busy/.exec(text) ?? []).map(Number);
      out.push(
        busy >= minBusyShare * profiled ? text : `(${name}: ${busy} of ${profiled} ms busy, skipped)\n`,
      );
    }
  return out.join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const paths = process.argv.slice(2);
  if (paths.length === 0) {
    console.error('usage: npx tsx bench/profile.ts <directory or .cpuprofile files>');
    process.exit(2);
  }
  process.stdout.write(summarizeProfiles(paths));
}
