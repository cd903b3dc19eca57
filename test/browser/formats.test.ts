/**
 * The "Formate" page in headless Chromium: the calendar list of the formats the principal may read, a
 * format's Ressorts, agenda and minutes with outcomes, German and English, and no WCAG 2.1 A/AA violation
 * (axe-core). Formats are planned and minuted through the real API first.
 */
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useHarness } from '../kit/index.js';
import { ARTIFACTS, launchChromium, wcagViolations } from '../helpers/browser.js';

const harness = useHarness({ worker: false });
const { who } = harness;
let browser: Browser;
const formatIds: string[] = [];

beforeAll(async () => {
  browser = await launchChromium();
  const plan = async (body: Record<string, unknown>) => {
    const response = await harness.post<{ id: string }>('/v1/formats', who.proposerBY, {
      topics: ['egovernment'],
      ressorts: [
        { land: 'BY', key: 'StMD' },
        { land: 'NW', key: 'MHKBD' },
      ],
      ...body,
    });
    if (response.status !== 201) throw new Error(`plan: ${response.status}`);
    formatIds.push(response.body.id);
    return response.body.id;
  };
  const held = await plan({
    title: 'Fachdialog Verwaltungsportale',
    kind: 'fachdialog',
    date: '2027-02-10',
    time: '10:00',
    place: 'München',
    agenda: [{ title: 'Stand der Portale' }, { title: 'Nächste Schritte' }],
  });
  const minuted = await harness.post(`/v1/formats/${held}/minutes`, who.proposerBY, {
    text: 'Beide Länder stellen ihre Portale vor.',
    outcomes: [{ text: 'Gemeinsame Initiative prüfen.' }],
  });
  if (minuted.status !== 200) throw new Error(`minutes: ${minuted.status}`);
  await plan({ title: 'Jour fixe Register', kind: 'jour_fixe', date: '2027-03-01', agenda: [] });
  // Only BY and NW (and viewers) read these; Hesse is invited to none.
});

afterAll(async () => {
  await browser?.close();
});

/** A page of its own browser context, so that each principal signs in afresh. */
async function formatsPage(tokenValue: string): Promise<Page> {
  const context: BrowserContext = await browser.newContext({
    viewport: { width: 1280, height: 900 },
    locale: 'de-DE',
  });
  const page = await context.newPage();
  page.on('pageerror', (error) => {
    throw error;
  });
  await page.goto(`${harness.baseUrl}/#/formats`);
  // A fresh context is signed out: the sign-in form comes first.
  await page.locator('#token').waitFor();
  await page.fill('#token', tokenValue);
  await page.getByRole('button', { name: 'Anmelden' }).click();
  await page.locator('main h1', { hasText: /Formate|Formats/ }).waitFor();
  return page;
}

describe('the Formate page', () => {
  it('lists the formats by date and shows agenda and minutes', async () => {
    const page = await formatsPage(who.reviewerNW);
    expect(await page.locator('main h1').textContent()).toBe('Formate: wo die Ressorts zusammenkommen');
    const rows = page.locator('main table tbody tr');
    await rows.first().waitFor();
    expect(await rows.count()).toBe(2);
    expect(await rows.nth(0).textContent()).toContain('Fachdialog Verwaltungsportale');
    expect(await rows.nth(0).textContent()).toContain('10.02.2027');
    expect(await rows.nth(1).textContent()).toContain('Jour fixe Register');
    const held = page.locator(`#format-${formatIds[0]}`);
    expect(await held.locator('h2').textContent()).toBe('10.02.2027 – Fachdialog Verwaltungsportale');
    expect(await held.locator('ol li').allTextContents()).toEqual(['Stand der Portale', 'Nächste Schritte']);
    expect(await held.textContent()).toContain('Protokoll (Fassung 1)');
    expect(await held.textContent()).toContain('Gemeinsame Initiative prüfen.');
    expect(await page.locator(`#format-${formatIds[1]}`).textContent()).toContain('Noch kein Protokoll.');
    expect(await page.locator('[data-nav="formats"]').getAttribute('aria-current')).toBe('page');
    await page.screenshot({ path: join(ARTIFACTS, 'formats.png'), fullPage: true });
    await page.close();
  });

  it('shows a Land that is not invited none of them, with how formats come about', async () => {
    const page = await formatsPage(who.reviewerHE);
    await expect.poll(() => page.locator('main').textContent()).toContain('Noch keine Formate.');
    expect(await page.locator('main table').count()).toBe(0);
    await page.close();
  });

  it('has no WCAG 2.1 AA violation (axe-core), and reads in English', async () => {
    const page = await formatsPage(who.reviewerNW);
    await page.locator('main table').waitFor();
    expect(await wcagViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Switch to English' }).click();
    await expect.poll(() => page.locator('main h1').textContent()).toBe('Formats: where the Ressorts meet');
    await expect
      .poll(() => page.locator(`#format-${formatIds[0]}`).textContent())
      .toContain('Minutes (version 1)');
    await page.close();
  });
});
