/**
 * The Länderkreis page in headless Chromium: the shipped conferences with their rules, calendars and
 * sources, the Königsteiner Schlüssel, German and English, and no WCAG 2.1 A/AA violation (axe-core).
 */
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useHarness } from '../kit/index.js';
import { ARTIFACTS, launchChromium, wcagViolations } from '../helpers/browser.js';

const harness = useHarness({ worker: false });
const { who } = harness;
let browser: Browser;
let context: BrowserContext;

beforeAll(async () => {
  browser = await launchChromium();
  context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'de-DE' });
});

afterAll(async () => {
  await browser?.close();
});

async function conferencesPage(): Promise<Page> {
  const page = await context.newPage();
  page.on('pageerror', (error) => {
    throw error;
  });
  await page.goto(`${harness.baseUrl}/#/conferences`);
  if (await page.locator('#token').isVisible()) {
    await page.fill('#token', who.reviewerHE);
    await page.getByRole('button', { name: 'Anmelden' }).click();
  }
  await page.locator('#koenigstein table').waitFor();
  return page;
}

describe('the Länderkreis page', () => {
  it('shows the conferences with their rules, calendars and sources, and the Königsteiner Schlüssel', async () => {
    const page = await conferencesPage();
    expect(await page.locator('main h1').textContent()).toBe('Länderkreis: Konferenzen der Länder');
    const mpk = page.locator('#conference-mpk');
    expect(await mpk.locator('h2').textContent()).toBe('Ministerpräsidentenkonferenz (MPK)');
    expect(await mpk.textContent()).toContain('Beschluss: mindestens 13 Länder stimmen zu');
    expect(await mpk.locator('tbody tr').count()).toBe(8);
    const itplr = page.locator('#conference-itplr');
    expect(await itplr.textContent()).toContain('Empfehlung: Mehrheit aller 17 Mitglieder');
    expect(await itplr.textContent()).toContain('Der Bund stimmt mit.');
    const confirmed = itplr.locator('tbody tr', { hasText: '18.03.2026' });
    expect(await confirmed.textContent()).toContain('bestätigt');
    expect(await page.locator('#conference-dmk').textContent()).toContain('Der Bund stimmt nicht mit.');
    const koenigstein = page.locator('#koenigstein');
    expect(await koenigstein.locator('h2').textContent()).toBe('Königsteiner Schlüssel 2016');
    expect(await koenigstein.locator('tbody tr', { hasText: 'Nordrhein-Westfalen' }).textContent()).toContain(
      '21,14424',
    );
    expect(await page.locator('[data-nav="conferences"]').getAttribute('aria-current')).toBe('page');
    await page.screenshot({ path: join(ARTIFACTS, 'conferences.png'), fullPage: true });
    await page.close();
  });

  it('has no WCAG 2.1 AA violation (axe-core), and reads in English', async () => {
    const page = await conferencesPage();
    expect(await wcagViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Switch to English' }).click();
    await expect
      .poll(() => page.locator('main h1').textContent())
      .toBe('Länderkreis: conferences of the Länder');
    await expect
      .poll(() => page.locator('#conference-mpk').textContent())
      .toContain('Decision: at least 13 Länder vote yes');
    await page.getByRole('button', { name: 'Auf Deutsch umschalten' }).click();
    await expect
      .poll(() => page.locator('main h1').textContent())
      .toBe('Länderkreis: Konferenzen der Länder');
    await page.close();
  });
});
