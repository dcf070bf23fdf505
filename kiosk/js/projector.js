// projector.js — the room's screen (/p/#<meeting>): large type, high
// contrast, updated by itself from the live events. Shows attendance and
// quorum, the questions being voted with the statutes rule they are decided
// by (its label, never its id) and their participation (never partial
// results), and the last counted result with its chart and sentence.
import { initI18n, t, lang, onLangChange } from './i18n.js';
import { connectLive } from './live.js';
import { $, el, clear } from './dom.js';
import { MEETING_RE } from './api.js';
import { resultBlock } from './results.js';
import { heldUnder } from './labels.js';
import { quorumRule, quorumSentence, quorumVoices } from './quorum.js';

// A question's title; a second round says so (« Second tour »).
const qTitle = (q) => el('h2', {}, q.title, q.round === 2 && !/second (tour|round)/i.test(q.title)
  ? el('span', { class: 'round2' }, ` — ${t('p.round2')}`) : null);

// How the question is held, and why when a secret-ballot trigger (an
// objection, a request, a unanimous waiver) decided it: the server's
// sentence (the question's "secrecy", docs/api.md).
function howHeld(q) {
  const why = q.secrecy && (lang() === 'en' ? (q.secrecy.en || q.secrecy.fr) : (q.secrecy.fr || q.secrecy.en));
  return why || t(q.secret ? 'p.secret' : 'p.hands');
}

// An amendment's text with its motion, or a motion's adopted amendments
// when it is voted as amended (docs/api.md "Amendments").
function amendmentOf(q) {
  if (q.amends) {
    const of = view.questions.find((x) => x.id === q.amends);
    return el('p', { class: 'p-amendment' }, t(q.alternatives ? 'm.am.altOf' : 'm.am.of', { title: of ? of.title : q.amends }),
      ' ', el('q', {}, q.amendment));
  }
  if (q.amended_by && q.amended_by.length) {
    return el('p', { class: 'p-amendment' }, t('p.asAmended'), ' ', ...q.amended_by.map((id, i) =>
      el('q', { 'data-amendment': id }, `${i ? ' ; ' : ''}${view.questions.find((x) => x.id === id)?.amendment ?? id}`)));
  }
  return null;
}

initI18n();
const meeting = location.hash.replace(/^#/, '');
let view = null; let lastResult = null;

function render() {
  if (!view) return;
  $('#p-title').textContent = view.title;
  const a = view.attendance || {}; const qu = a.quorum || {};
  $('#p-att').textContent = t('p.attendance', { present: a.present ?? 0, remote: a.remote ?? 0, voters: a.voters ?? 0 });
  // The live quorum as the statutes engine counts it on the server.
  $('#p-quorum').textContent = quorumSentence(qu);
  const voices = quorumVoices(qu);
  $('#p-voices').textContent = voices ? t('m.quorumVoices', { list: voices }) : '';
  $('#p-rule').textContent = quorumRule(qu);
  $('#p-quorum').className = `quorum quorum-${qu.status || 'unknown'}`;
  const open = clear($('#p-open'));
  const voting = view.questions.filter((q) => q.status === 'open');
  for (const q of voting) {
    open.append(el('div', { class: 'p-q', 'data-qid': q.id }, qTitle(q), amendmentOf(q),
      el('p', { class: 'p-rule' }, heldUnder(q)),
      el('p', { class: 'p-secrecy' }, howHeld(q)),
      el('p', { class: 'p-part' }, t('p.voting', { n: q.ballots ?? 0, of: a.voters ?? 0 })),
      // The question digest (protocol.md §5.7) that the phones show too.
      q.qdigest ? el('p', { class: 'p-qdigest mono' }, t('p.qdigest', { d: `${q.qdigest.slice(0, 4)} ${q.qdigest.slice(4, 8)}` })) : null));
  }
  for (const q of view.questions.filter((x) => x.status === 'closed')) {
    open.append(el('div', { class: 'p-q', 'data-qid': q.id }, qTitle(q), el('p', { class: 'p-part' }, t('p.counting'))));
  }
  $('#p-idle').hidden = open.childNodes.length > 0;
  const counted = view.questions.filter((q) => q.status === 'counted' && q.result);
  const show = counted.find((q) => q.id === lastResult) || counted[counted.length - 1];
  const res = clear($('#p-result'));
  if (show) res.append(qTitle(show), amendmentOf(show) || '', resultBlock(show));
  res.hidden = !show;
}

if (!MEETING_RE.test(meeting)) {
  $('#p-title').textContent = t('p.noMeeting');
} else {
  connectLive(meeting, {
    onView: (v, name, data) => { view = v; if (name === 'result') lastResult = data.id; render(); },
    onStatus: (s) => { $('#conn').textContent = t(`conn.${s}`); $('#conn').className = `conn conn-${s}`; },
  });
}
onLangChange(render);
