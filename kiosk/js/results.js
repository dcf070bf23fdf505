// results.js — a counted question's result as a chart plus the statutes
// engine's French sentence (moderator and projector). Percentages are of
// the base the statutes define, as the server's result gives it (docs/
// api.md, the result object): a motion's expressed votes (abstentions
// only where the body counts them as expressed), an election's valid
// ballots (blank ones out); never recomputed here. An election says how
// many seats are filled and not, and a tie what the statutes do next.
import { el } from './dom.js';
import { barChart } from './chart.js';
import { choiceLabel, outcomeLabel } from './labels.js';
import { t } from './i18n.js';
import { fmtInt, fmtPct, tn } from './format.js';

const art = (r) => (r.article ? t('r.art', { art: r.article }) : '');

/** Each choice's percentage of the result's base ('' when it has none). */
function percentages(q, r) {
  const n = r.counts.length;
  if (r.base === 'expressed')
    return r.counts.map((c, i) => (i < 2 || r.abstention_expressed ? fmtPct(c, r.expressed) : ''));
  if (r.base === 'valid_ballots')
    return r.counts.map((c, i) => (i < n - 1 ? fmtPct(c, r.valid_ballots) : ''));
  return r.counts.map(() => '');
}

/** Under the chart: the ballots, and the base of the percentages. */
function caption(r) {
  const parts = [tn('r.ballots', r.ballots ?? 0)];
  if (r.base === 'expressed') parts.push(tn('r.baseExpressed', r.expressed));
  else if (r.base === 'valid_ballots') parts.push(tn('r.baseValid', r.valid_ballots));
  return parts.join(' — ');
}

/** An election's seats, filled and not: « 2 sièges pourvus sur 3 ; 1 siège non pourvu ». */
export function seatsLine(r) {
  if (r.seats === undefined) return '';
  const filled = r.seats - (r.unfilled ?? 0);
  const s = tn('r.filled', filled, { seats: fmtInt(r.seats) });
  return r.unfilled ? `${s} ; ${tn('r.unfilled', r.unfilled)}` : s;
}

/** What the tie means under the statutes, and what comes next. */
export function tieNotes(q, r, labels) {
  const notes = [];
  const names = (idx) => idx.map((i) => labels[i]).join(t('r.and'));
  if (q.kind === 'election') {
    for (const b of r.tie_broken || [])
      notes.push(t('r.tieBroken', { by: t(`tb.${b.by}`), name: labels[b.choice], art: art(r) }));
    if (r.outcome === 'tie_unresolved') {
      notes.push(t('r.tieUnresolved', { names: names(r.tied || []), art: art(r) }));
      notes.push(tn('r.revoteNext', r.unfilled ?? 1));
      notes.push(t('r.tieAgain', { art: art(r) }));
    }
  } else if (r.tie) {
    if (r.casting_vote_used) notes.push(t('r.castingUsed', { outcome: outcomeLabel(r.outcome), art: art(r) }));
    else if (r.outcome === 'needs_casting_vote') notes.push(t('r.castingNeeded', { art: art(r) }));
    else notes.push(t('r.tieRejects', { art: art(r) }));
  }
  return notes;
}

export function resultBlock(q) {
  const r = q.result;
  const qq = { ...q, choices: r.choices || q.choices };
  const labels = qq.choices.map((c, i) => choiceLabel(qq, i));
  const hl = q.kind === 'election' ? (r.elected || []) : (r.outcome === 'adopted' ? [0] : []);
  const outcome = outcomeLabel(r.outcome);
  const seats = q.kind === 'election' ? seatsLine(r) : '';
  return el('div', { class: 'result' },
    el('p', { class: `outcome outcome-${r.outcome}` }, outcome),
    seats ? el('p', { class: 'result-seats' }, seats) : null,
    barChart({ title: `${q.title} — ${t('p.result')}`, labels, counts: r.counts, pcts: percentages(q, r), highlight: hl,
      caption: caption(r) }),
    ...tieNotes(q, r, labels).map((s) => el('p', { class: 'result-tie' }, s)),
    r.sentence ? el('p', { class: 'result-sentence', lang: 'fr' }, r.sentence) : null);
}
