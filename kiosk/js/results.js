// results.js — a counted question's result as a chart plus the statutes
// engine's French sentence (moderator and projector).
import { el } from './dom.js';
import { barChart } from './chart.js';
import { choiceLabel, outcomeLabel } from './labels.js';
import { t } from './i18n.js';

export function resultBlock(q) {
  const r = q.result;
  const labels = (r.choices || q.choices).map((c, i) => choiceLabel({ ...q, choices: r.choices || q.choices }, i));
  const hl = q.kind === 'election' ? (r.elected || []) : (r.outcome === 'adopted' ? [0] : []);
  const outcome = outcomeLabel(r.outcome);
  return el('div', { class: 'result' },
    el('p', { class: `outcome outcome-${r.outcome}` }, outcome),
    barChart({ title: `${q.title} — ${t('p.result')}`, labels, counts: r.counts, highlight: hl,
      caption: t('p.ballots', { n: r.ballots }) }),
    r.sentence ? el('p', { class: 'result-sentence', lang: 'fr' }, r.sentence) : null);
}
