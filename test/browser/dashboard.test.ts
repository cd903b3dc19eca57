/**
 * The web dashboard in headless Chromium (Debian's `chromium`, driven by playwright-core; no browser
 * download): the overview lists what was seeded, a decision made through the API appears on the open page
 * without a reload, the diagram highlights the right phase, the English switch, and axe-core finds no
 * WCAG 2.1 A/AA violation. Screenshots go to test/artifacts/.
 */
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Initiative } from '../../workflows/contracts.js';
import { newInitiative, useHarness } from '../kit/index.js';
import { ARTIFACTS, launchChromium, wcagViolations } from '../helpers/browser.js';

const harness = useHarness();
const { who } = harness;
let browser: Browser;
let context: BrowserContext;
const seeded: Record<'joint' | 'motion' | 'other', Initiative> = {} as never;

async function create(overrides: Record<string, unknown>): Promise<Initiative> {
  const response = await harness.post('/v1/initiatives', who.proposerBY, newInitiative(overrides));
  expect(response.status).toBe(201);
  return response.body;
}

async function decide(id: string, reviewer: string): Promise<Initiative> {
  const response = await harness.post(`/v1/initiatives/${id}/reviews`, reviewer, { decision: 'approve' });
  expect(response.status).toBe(200);
  return response.body;
}

beforeAll(async () => {
  seeded.joint = await create({
    title: 'Gemeinsame KI-Testumgebung für die Verwaltung',
    topic: 'ai_supercomputing',
  });
  seeded.motion = await create({
    title: 'Bundesweites Once-Only-Register',
    summary: 'Gesetzesantrag für ein Register, das Nachweise nur einmal erhebt.',
    topic: 'egovernment',
    channel: 'bundesrat',
    instrument: 'gesetzesantrag',
    invite: ['HE'],
  });
  seeded.other = await create({ title: 'Mobilitätsdaten offen bereitstellen', topic: 'mobility' });
  browser = await launchChromium();
  context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'de-DE' });
});

afterAll(async () => {
  await browser?.close();
});

/** A page signed in with the viewer's token, on `hash`, with the live stream connected. */
async function signedIn(hash = '#/'): Promise<Page> {
  const page = await context.newPage();
  page.on('pageerror', (error) => {
    throw error;
  });
  await page.goto(`${harness.baseUrl}/${hash}`);
  if (await page.locator('#token').isVisible()) {
    await page.fill('#token', who.viewer);
    await page.getByRole('button', { name: 'Anmelden' }).click();
  }
  await page.locator('#live-status[data-state="connected"]').waitFor();
  return page;
}

const currentPhase = (page: Page) =>
  page.locator('svg.lifecycle [data-state="current"]').getAttribute('data-phase');

describe('overview', () => {
  it('lists the seeded initiatives and their counts, in German', async () => {
    const page = await signedIn();
    const recent = page.locator('#recent table');
    for (const initiative of Object.values(seeded))
      await expect.poll(() => recent.getByRole('link', { name: initiative.id }).count()).toBe(1);
    await expect.poll(() => recent.textContent()).toContain('Bundesweites Once-Only-Register');
    expect(await page.locator('html').getAttribute('lang')).toBe('de');
    const reviewRow = page.locator('#by-phase tr', { hasText: 'Prüfung durch die Länder' });
    expect(await reviewRow.locator('td').first().textContent()).toBe('3');
    expect(await page.locator('#overdue h2').textContent()).toBe('Überfällig (0)');
    await page.screenshot({ path: join(ARTIFACTS, 'overview.png'), fullPage: true });
    await page.close();
  });

  it('has no WCAG 2.1 AA violation (axe-core)', async () => {
    const page = await signedIn();
    await page.locator('#recent table').waitFor();
    expect(await wcagViolations(page)).toEqual([]);
    await page.close();
  });

  it('switches to English and back', async () => {
    const page = await signedIn();
    await page.locator('#recent table').waitFor();
    await page.getByRole('button', { name: 'Switch to English' }).click();
    await expect.poll(() => page.locator('main h1').textContent()).toBe('Overview');
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    await expect.poll(() => page.locator('#by-phase').textContent()).toContain('Review by the Länder');
    await page.getByRole('button', { name: 'Auf Deutsch umschalten' }).click();
    await expect.poll(() => page.locator('main h1').textContent()).toBe('Übersicht');
    await page.close();
  });
});

describe('list', () => {
  it('filters like the API', async () => {
    const page = await signedIn('#/initiatives');
    await page.selectOption('#filter-topic', 'mobility');
    await page.getByRole('button', { name: 'Anwenden' }).click();
    await expect.poll(() => page.url()).toContain('topic=mobility');
    const table = page.locator('#results table');
    await expect.poll(() => table.getByRole('link').allTextContents()).toEqual([seeded.other.id]);
    await page.close();
  });
});

describe('initiative page', () => {
  it('shows a decision made through the API without a reload, and the phase it leads to', async () => {
    const { id } = seeded.joint;
    const page = await signedIn(`#/initiatives/${id}`);
    const byReview = page.locator('svg.lifecycle [data-land="BY"][data-review]');
    await expect.poll(() => byReview.getAttribute('data-review')).toBe('pending');
    expect(await currentPhase(page)).toBe('review');
    // a marker in the page's memory: a reload would lose it
    await page.evaluate(() => ((globalThis as unknown as { marker: string }).marker = 'still here'));

    await decide(id, who.reviewerBY);
    await expect.poll(() => byReview.getAttribute('data-review')).toBe('approved');
    expect(await byReview.textContent()).toContain('zugestimmt');
    expect(await currentPhase(page)).toBe('review');

    await decide(id, who.reviewerNW);
    await expect.poll(() => currentPhase(page)).toBe('adopted');
    expect(await page.locator('svg.lifecycle [data-phase="review"]').getAttribute('data-state')).toBe('done');
    await expect.poll(() => page.locator('#timeline li').count()).toBeGreaterThanOrEqual(4);
    expect(await page.evaluate(() => (globalThis as unknown as { marker?: string }).marker)).toBe(
      'still here',
    );
    await page.close();
  });

  it('highlights the current phase, the phases passed and each Land’s review state', async () => {
    const { id } = seeded.motion;
    await decide(id, who.reviewerNW);
    const page = await signedIn(`#/initiatives/${id}`);
    await expect.poll(() => currentPhase(page)).toBe('review');
    await decide(id, who.reviewerBY);
    // both approved while HE's invitation is open: consultation
    await expect.poll(() => currentPhase(page)).toBe('consultation');
    const nodes = page.locator('svg.lifecycle [data-phase]');
    const states = Object.fromEntries(
      await nodes.evaluateAll((elements) =>
        (elements as unknown as { getAttribute(name: string): string | null }[]).map(
          (e): [string, string | null] => [e.getAttribute('data-phase') ?? '', e.getAttribute('data-state')],
        ),
      ),
    );
    expect(states).toEqual({
      review: 'done',
      consultation: 'current',
      cabinet: 'upcoming',
      bundesrat: 'upcoming',
      adopted: 'upcoming',
      revision: 'upcoming',
      rejected: 'upcoming',
      withdrawn: 'upcoming',
      expired: 'upcoming',
    });
    // not by colour alone: the current node says so in words, each Land's review in symbol and words
    expect(await page.locator('svg.lifecycle [data-state="current"]').textContent()).toContain(
      'Aktuelle Phase',
    );
    for (const land of ['BY', 'NW'])
      expect(await page.locator(`svg.lifecycle [data-land="${land}"]`).first().textContent()).toBe(
        `${land}: ✓ zugestimmt`,
      );
    expect(await page.locator('svg.lifecycle').getAttribute('role')).toBe('img');
    expect(await page.locator('#diagram-desc').textContent()).toContain('Beteiligung weiterer Länder');
    await page.screenshot({ path: join(ARTIFACTS, 'initiative.png'), fullPage: true });
    expect(await wcagViolations(page)).toEqual([]);
    // reflow at 320 CSS pixels: wide content scrolls in named regions a keyboard can reach
    await page.setViewportSize({ width: 320, height: 800 });
    await page.locator('.diagram-scroll[role="region"][tabindex="0"]').waitFor();
    const pageWidth = await page.evaluate(
      () =>
        (globalThis as unknown as { document: { documentElement: { scrollWidth: number } } }).document
          .documentElement.scrollWidth,
    );
    expect(pageWidth).toBeLessThanOrEqual(320);
    expect(await wcagViolations(page)).toEqual([]);
    await page.screenshot({ path: join(ARTIFACTS, 'initiative-320px.png'), fullPage: true });
    await page.close();
  });
});

describe('the token', () => {
  it('is asked once per browser session, kept in sessionStorage only, never in the page source', async () => {
    const page = await signedIn();
    await page.reload();
    await page.locator('#live-status[data-state="connected"]').waitFor();
    expect(await page.locator('#token').count()).toBe(0);
    const stored = await page.evaluate(() => {
      type Store = { getItem(key: string): string | null };
      const { sessionStorage, localStorage } = globalThis as unknown as {
        sessionStorage: Store;
        localStorage: Store;
      };
      return { session: sessionStorage.getItem('dd.token'), local: Object.values(localStorage).join(' ') };
    });
    expect(stored.session).toBe(who.viewer);
    expect(stored.local).not.toContain(who.viewer);
    expect(await (await fetch(`${harness.baseUrl}/`)).text()).not.toMatch(/eyJ[\w-]+\./);
    // a fresh session (another context) asks again; a refused token is said so
    const fresh = await (await browser.newContext()).newPage();
    await fresh.goto(`${harness.baseUrl}/`);
    await fresh.fill('#token', 'not-a-token');
    await fresh.getByRole('button', { name: 'Anmelden' }).click();
    await expect.poll(() => fresh.locator('#token-error').textContent()).toContain('nicht angenommen');
    expect(await fresh.locator('#token').getAttribute('aria-invalid')).toBe('true');
    await fresh.context().close();
    await page.close();
  });
});
