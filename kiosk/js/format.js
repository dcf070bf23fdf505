// format.js — numbers as the reader's language writes them: French
// « 1 234 » (narrow no-break space between thousands) and « 71,4 % »
// (decimal comma, narrow no-break space before %), English "1,234" and
// "71.4%"; and real plurals (French: 0 and 1 take the singular).
import { t, lang } from './i18n.js';

const NNBSP = '\u202f';
const loc = () => (lang() === 'en' ? 'en-GB' : 'fr-FR');

/** An integer with its thousands grouped. */
export function fmtInt(n) {
  return new Intl.NumberFormat(loc(), { maximumFractionDigits: 0 }).format(n).replace(/[\u00a0 ]/g, NNBSP);
}

/** part / base as a percentage with one decimal; '' when base is 0. */
export function fmtPct(part, base) {
  if (!base) return '';
  const x = new Intl.NumberFormat(loc(), { minimumFractionDigits: 1, maximumFractionDigits: 1 })
    .format(Math.round((1000 * part) / base) / 10).replace(/[\u00a0 ]/g, NNBSP);
  return lang() === 'en' ? `${x}%` : `${x}${NNBSP}%`;
}

/** t(key.one | key.other) for the count n, with {n} formatted. */
export function tn(key, n, vars = {}) {
  const one = lang() === 'en' ? n === 1 : n < 2;
  // tests/kiosk/i18n-keys.mjs checks that both forms of each plural exist.
  return t(key + (one ? '.one' : '.other'), { ...vars, n: fmtInt(n) });
}
