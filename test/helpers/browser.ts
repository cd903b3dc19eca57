/**
 * Browser tests on Debian's Chromium through playwright-core (no browser download): a context per
 * principal signed in through the session's token store, page errors collected, and axe-core's WCAG 2.1
 * A/AA rules run inside the page.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import axe from 'axe-core';
import { chromium, type Browser, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { projectRoot } from '../../runtime/config.js';
import { chromiumPath } from './tools.js';

export const ARTIFACTS = join(projectRoot, 'test', 'artifacts');
const WCAG_21_AA_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

export async function launchChromium(env: NodeJS.ProcessEnv = process.env): Promise<Browser> {
  const executablePath = chromiumPath(env);
  mkdirSync(ARTIFACTS, { recursive: true });
  return chromium.launch({
    executablePath,
    // Root in CI containers: Chromium's sandbox needs user namespaces it does not get there.
    args: ['--no-sandbox'],
  });
}

/** Pages opened through `open`, with every uncaught page error kept for the test to assert on. */
export class BrowserSession {
  readonly pageErrors: string[] = [];

  constructor(
    private readonly browser: Browser,
    private readonly baseUrl: string,
  ) {}

  /**
   * A page in a browser context of its own (cookies and sessionStorage apart), signed in with `token` when
   * given (as if typed into the sign-in page once this session), on `hash`, with the live stream up.
   */
  async open(hash: string, token?: string): Promise<Page> {
    const context = await this.browser.newContext({
      viewport: { width: 1280, height: 900 },
      locale: 'de-DE',
    });
    if (token)
      await context.addInitScript((value) => {
        // Runs in the page before its scripts: the test's TypeScript knows no DOM, hence the cast.
        const store = globalThis as unknown as { sessionStorage: { setItem(k: string, v: string): void } };
        store.sessionStorage.setItem('dd.token', value);
      }, token);
    return this.tab(await context.newPage(), hash, token !== undefined);
  }

  /** Another tab in the same context (signed in by the context's init script, if it has one). */
  async another(page: Page, hash: string): Promise<Page> {
    return this.tab(await page.context().newPage(), hash, true);
  }

  private async tab(page: Page, hash: string, signedIn: boolean): Promise<Page> {
    page.on('pageerror', (error) => this.pageErrors.push(`${page.url()}: ${error.message}`));
    await page.goto(`${this.baseUrl}/${hash}`);
    if (signedIn) await page.locator('#live-status[data-state="connected"]').waitFor({ timeout: 30_000 });
    return page;
  }
}

/** The page's width in CSS pixels: at most the viewport's when content reflows (WCAG 1.4.10). */
export const pageWidth = (page: Page): Promise<number> =>
  page.evaluate(
    () =>
      (globalThis as unknown as { document: { documentElement: { scrollWidth: number } } }).document
        .documentElement.scrollWidth,
  );

/** axe-core's WCAG 2.1 A and AA violations on the page as it is now (none expected). */
export async function wcagViolations(page: Page): Promise<{ rule: string; nodes: string[] }[]> {
  await page.evaluate(axe.source);
  const { violations, checked } = await page.evaluate(async (tags) => {
    const { axe: inPage } = globalThis as unknown as { axe: typeof axe };
    const results = await inPage.run({ runOnly: { type: 'tag', values: tags } });
    return {
      checked: results.passes.length,
      violations: results.violations.map((violation) => ({
        rule: `${violation.id}: ${violation.help}`,
        nodes: violation.nodes.map((node) => node.target.join(' ')),
      })),
    };
  }, WCAG_21_AA_TAGS);
  // A page axe could not check would pass nothing either.
  expect(checked).toBeGreaterThan(10);
  return violations;
}
