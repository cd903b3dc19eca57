/** Dates and numbers in the current language; instants are shown in Berlin time, where the deadlines run. */
import { currentLanguage, t } from './i18n.js';

const locale = () => (currentLanguage() === 'en' ? 'en-GB' : 'de-DE');

/** @param {string | undefined | null} iso an instant */
export function dateTime(iso) {
  if (!iso) return t('noValue');
  return new Intl.DateTimeFormat(locale(), {
    dateStyle: 'medium',
    timeStyle: 'short',
    timeZone: 'Europe/Berlin',
  }).format(new Date(iso));
}

/** @param {string | undefined | null} day a calendar date YYYY-MM-DD */
export function date(day) {
  if (!day) return t('noValue');
  return new Intl.DateTimeFormat(locale(), { dateStyle: 'medium', timeZone: 'UTC' }).format(
    new Date(`${day}T00:00:00Z`),
  );
}

/** @param {number | null | undefined} value */
export function decimal(value, digits = 1) {
  if (value === null || value === undefined) return t('noValue');
  return new Intl.NumberFormat(locale(), { maximumFractionDigits: digits, minimumFractionDigits: 0 }).format(
    value,
  );
}

/**
 * A deadline: periods end at 24:00 Berlin time (docs/domain.md), which reads better as "14.12., 24:00" than as
 * "15.12., 00:00".
 * @param {string | undefined | null} iso
 */
export function deadline(iso) {
  if (!iso) return t('noValue');
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Europe/Berlin',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(new Date(iso));
  if (parts !== '00:00') return dateTime(iso);
  const dayBefore = new Date(Date.parse(iso) - 60_000);
  const day = new Intl.DateTimeFormat(locale(), { dateStyle: 'medium', timeZone: 'Europe/Berlin' }).format(
    dayBefore,
  );
  return `${day}, 24:00`;
}
