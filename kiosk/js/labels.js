// labels.js — display names of choices and statuses.
import { t } from './i18n.js';

export function choiceLabel(q, i) {
  const c = q.choices[i];
  if (q.kind === 'motion' || (q.kind === 'election' && i === q.choices.length - 1)) {
    const k = t(`choice.${c}`, null);
    if (k) return k;
  }
  return c;
}
export function statusLabel(q) { return t(`qstatus.${q.status}`); }
