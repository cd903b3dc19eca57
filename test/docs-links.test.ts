/**
 * Every relative link in the repository's Markdown must lead somewhere: a file or folder that exists and,
 * for `#anchor`s into a Markdown file, a heading of that file (slugged as GitHub does). Links are found by
 * a Markdown parser (mdast), so code blocks and inline code are not mistaken for links. Needs no services.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import GithubSlugger from 'github-slugger';
import { fromMarkdown } from 'mdast-util-from-markdown';
import { toString } from 'mdast-util-to-string';
import { visit } from 'unist-util-visit';
import { describe, expect, it } from 'vitest';

const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Folders that are not the repository's own Markdown (dependencies, local state, build output). */
const SKIPPED = new Set(['node_modules', '.data', '.tools', 'dist', '.git', 'coverage', 'artifacts']);

function markdownFiles(root: string, dir = root): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) {
      if (!SKIPPED.has(entry.name)) found.push(...markdownFiles(root, join(dir, entry.name)));
    } else if (entry.name.toLowerCase().endsWith('.md')) {
      found.push(join(dir, entry.name));
    }
  }
  return found.sort();
}

interface Link {
  url: string;
  line: number;
}

interface Parsed {
  links: Link[];
  anchors: Set<string>;
}

function parse(file: string): Parsed {
  const tree = fromMarkdown(readFileSync(file, 'utf8'));
  const links: Link[] = [];
  const slugger = new GithubSlugger();
  const anchors = new Set<string>();
  visit(tree, (node) => {
    if (node.type === 'link' || node.type === 'image' || node.type === 'definition')
      links.push({ url: node.url, line: node.position?.start.line ?? 0 });
    if (node.type === 'heading') anchors.add(slugger.slug(toString(node)));
  });
  return { links, anchors };
}

/** Links with a scheme (`https:`, `mailto:`) or protocol-relative ones leave the repository. */
const EXTERNAL = /^(?:[a-z][a-z\d+.-]*:|\/\/)/i;

function exists(path: string): boolean {
  try {
    statSync(path);
    return true;
  } catch {
    return false;
  }
}

/** Every dead relative link of the Markdown files under `root`, as `file:line  target  (why)`. */
function deadLinks(root: string): string[] {
  const cache = new Map<string, Parsed>();
  const parsed = (file: string) => {
    let result = cache.get(file);
    if (!result) cache.set(file, (result = parse(file)));
    return result;
  };
  const dead: string[] = [];
  for (const file of markdownFiles(root)) {
    for (const { url, line } of parsed(file).links) {
      if (url === '' || EXTERNAL.test(url)) continue;
      const hashAt = url.indexOf('#');
      const pathPart = (hashAt < 0 ? url : url.slice(0, hashAt)).split('?')[0]!;
      const fragment = hashAt < 0 ? undefined : decodeURIComponent(url.slice(hashAt + 1));
      const decoded = decodeURIComponent(pathPart);
      // GitHub resolves `/x` from the repository's root, everything else from the linking file's folder.
      const target =
        decoded === ''
          ? file
          : decoded.startsWith('/')
            ? join(root, decoded)
            : resolve(dirname(file), decoded);
      const where = `${relative(root, file)}:${line}`;
      if (relative(root, target).startsWith('..')) {
        dead.push(`${where}  ${url}  (points outside the repository)`);
      } else if (!exists(target)) {
        dead.push(`${where}  ${url}  (no such file or folder)`);
      } else if (fragment && target.toLowerCase().endsWith('.md') && statSync(target).isFile()) {
        if (!parsed(target).anchors.has(fragment))
          dead.push(`${where}  ${url}  (no heading #${fragment} in ${relative(root, target)})`);
      }
    }
  }
  return dead;
}

describe('Markdown links', () => {
  it('every relative link and #anchor in the repository resolves', () => {
    const files = markdownFiles(projectRoot);
    expect(files).toContain(join(projectRoot, 'README.md'));
    const dead = deadLinks(projectRoot);
    expect(dead, `dead links:\n${dead.join('\n')}`).toEqual([]);
  });

  it('reports a missing file, a missing heading and a link out of the repository, with file:line', () => {
    const root = mkdtempSync(join(tmpdir(), 'dd-links-'));
    try {
      mkdirSync(join(root, 'docs'));
      writeFileSync(
        join(root, 'docs', 'guide.md'),
        '# Guide\n\n## Two words `code`\n\n## Two words `code`\n\n```\n[not a link](nowhere.md)\n```\n',
      );
      writeFileSync(
        join(root, 'README.md'),
        [
          '# Top',
          '',
          '[ok](docs/guide.md) [folder](docs/) [self](#top) [dup](docs/guide.md#two-words-code-1)',
          '[web](https://example.org/x.md) `[inline](gone.md)`',
          '[gone](docs/gone.md)',
          '',
          '| a | [anchor](docs/guide.md#three) |',
          '',
          '![picture](docs/missing.png) [outside](../elsewhere/spec.md)',
          '',
          '[ref]: ./docs/nope.md',
        ].join('\n'),
      );
      expect(deadLinks(root)).toEqual([
        'README.md:5  docs/gone.md  (no such file or folder)',
        'README.md:7  docs/guide.md#three  (no heading #three in docs/guide.md)',
        'README.md:9  docs/missing.png  (no such file or folder)',
        'README.md:9  ../elsewhere/spec.md  (points outside the repository)',
        'README.md:11  ./docs/nope.md  (no such file or folder)',
      ]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
