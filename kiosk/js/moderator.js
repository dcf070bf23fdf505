// moderator.js — the moderator's console (/m/#<meeting>.<token>).
// The token came in the fragment and is sent only as a Bearer header; it is
// kept in sessionStorage (this tab) so that a reload keeps the console, and
// leaves the address bar at once. Participation is shown live, results only
// once counted (the server never sends partial results).
import { initI18n, t, lang, onLangChange } from './i18n.js';
import { api, errorMessage, meetingPath, MEETING_RE, ApiError } from './api.js';
import { connectLive } from './live.js';
import { $, el, clear, roleSession, announce } from './dom.js';
import { heldUnder, outcomeLabel, ruleName, statusLabel } from './labels.js';
import { resultBlock } from './results.js';
import { quorumRule, quorumSentence, quorumVoices } from './quorum.js';
import { watchHealth, checkHealth, recheckHealth } from './health.js';

initI18n();
const sess = roleSession('scrutin.m');

let view = null;
let rules = null; // GET …/rules: the body's decision and election rules
const alertBox = $('#alert');
function alert(msg, ok) {
  alertBox.textContent = msg || ''; alertBox.hidden = !msg;
  alertBox.className = ok ? 'alert alert-ok' : 'alert';
  if (msg) announce(msg);
}
const call = (method, rest, body) => api(method, meetingPath(sess.meeting, rest), body, { token: sess.token });

async function act(fn, okMsg) {
  try { await fn(); if (okMsg) alert(okMsg, true); recheckHealth(); } catch (e) {
    // A refusal about a group of alternative motions has its own words
    // (err.alt.*), else the server's (alternatives_refused: the statutes).
    alert(errorMessage(e, e instanceof ApiError && e.field === 'alternatives' ? 'alt' : 'mod'));
    if (e instanceof ApiError && /^storage_/.test(e.code)) checkHealth();
  }
}

function render() {
  if (!view) return;
  $('#m-title').textContent = view.title;
  $('#m-status').textContent = t(`mstatus.${view.status}`);
  $('#m-start').hidden = view.status !== 'convened';
  $('#m-end').hidden = view.status !== 'live';
  // The minutes, in a new tab (their own sandboxed policy), once the
  // server can write them: the meeting ended and every question opened
  // counted (as the scrutineers' console offers them to sign).
  $('#m-pv').hidden = !(view.status === 'closed' && view.questions.some((q) => q.status === 'counted') &&
    !view.questions.some((q) => q.status === 'open' || q.status === 'closed'));
  $('#m-pv').href = meetingPath(sess.meeting, '/minutes');
  // The public record (GET …/record): it exists from the convocation on,
  // served up to its last complete checkpoint.
  $('#m-record').hidden = view.status === 'draft';
  $('#m-record').href = meetingPath(sess.meeting, '/record');
  const a = view.attendance || {};
  $('#att-present').textContent = String(a.present ?? 0);
  $('#att-remote').textContent = String(a.remote ?? 0);
  $('#att-voters').textContent = String(a.voters ?? 0);
  // The live quorum: the server's count by the statutes engine (members
  // there now, proxies in force now), its voices, threshold and sentence.
  const qu = a.quorum || {};
  $('#att-represented').textContent = String(qu.voices?.represented ?? 0);
  $('#att-quorum').textContent = quorumSentence(qu);
  $('#att-quorum').className = `quorum quorum-${qu.status || 'unknown'}`;
  const voices = quorumVoices(qu);
  $('#att-voices').textContent = voices ? t('m.quorumVoices', { list: voices }) : '';
  $('#att-rule').textContent = quorumRule(qu);
  const e = view.election || {};
  $('#key-status').textContent = t(`key.${e.status || 'none'}`, null) || e.status || '';
  const list = clear($('#m-questions'));
  const voters = a.voters || 0;
  for (const q of view.questions) {
    const row = el('li', { class: `q q-${q.status}`, 'data-qid': q.id });
    row.append(el('h3', {}, `${q.title}`));
    row.append(el('p', { class: 'q-meta' }, el('span', { class: `badge badge-${q.status}` }, statusLabel(q)), ' ',
      `${q.id} · ${heldUnder(q, rules)} · ${q.secret ? t('v.secret') : t('v.open')}`
      + (q.round === 2 ? ` · ${t('m.round2Of', { of: q.round_of })}` : ''),
      ...(q.alternatives ? [' · ', el('span', { class: 'q-group', 'data-group': q.alternatives }, t('m.altOf', { group: q.alternatives }))] : [])));
    if (q.kind === 'election' && q.candidates) {
      row.append(el('p', { class: 'candidates' }, t('m.candList', { list: q.candidates.map((c) =>
        (c.at_meeting ? `${c.name} (${t('m.lateMark')})` : c.name)).join(', ') })));
    }
    // Why the question is secret or by show of hands, when a live
    // trigger decided it (the server's sentence, docs/api.md).
    if (q.secrecy && (q.secrecy.fr || q.secrecy.en))
      row.append(el('p', { class: 'secrecy', 'data-secret': String(!!q.secret) },
        `${q.secret ? t('m.trig.secret') : t('m.trig.hands')} — ${lang() === 'en' ? (q.secrecy.en || q.secrecy.fr) : (q.secrecy.fr || q.secrecy.en)}`));
    if (q.status === 'pending' && view.status !== 'closed') {
      const trig = triggerControls(q);
      if (trig) row.append(trig);
    }
    const rec = recusalControls(q);
    if (rec) row.append(rec);
    for (const x of amendmentLines(q)) row.append(x);
    const am = amendmentControls(q);
    if (am) row.append(am);
    if (q.status !== 'pending') {
      row.append(el('p', { class: 'participation' }, t('m.participation', { n: q.ballots ?? 0, of: voters })));
    }
    if (q.closes_at && q.status === 'open') row.append(el('p', { class: 'help' }, t('m.closesAt', { at: new Date(q.closes_at * 1000).toLocaleString(document.documentElement.lang) })));
    const actions = el('div', { class: 'row' });
    if (q.status === 'pending') {
      const winId = `win-${q.id}`;
      const win = el('input', { id: winId, type: 'number', min: '1', max: '20160', inputmode: 'numeric', class: 'small' });
      actions.append(
        el('button', { type: 'button', class: 'primary', 'data-act': 'open', onclick: () => act(async () => {
          const mins = Number(win.value);
          const body = mins > 0 ? { closes_at: Math.floor(Date.now() / 1000) + Math.round(mins * 60) } : {};
          await call('POST', `/questions/${q.id}/open`, body);
        }, t('m.opened', { title: q.title })) }, t('m.open')),
        el('label', { for: winId, class: 'inline' }, t('m.window')), win);
    }
    if (q.status === 'open') {
      actions.append(el('button', { type: 'button', class: 'danger', 'data-act': 'close', onclick: () => act(
        () => call('POST', `/questions/${q.id}/close`, {}), t('m.closed', { title: q.title })) }, t('m.close')));
    }
    if (q.status === 'closed' && q.secret) row.append(el('p', { class: 'help' }, t('m.waitTrustees')));
    // The engine calls for a second round and none exists yet: the
    // moderator creates it (POST questions {"round_of"}).
    if (q.status === 'counted' && q.result?.outcome === 'second_round' && view.status !== 'closed' &&
        !view.questions.some((x) => x.round_of === q.id)) {
      actions.append(el('button', { type: 'button', class: 'primary', 'data-act': 'round2', onclick: () => act(
        () => call('POST', '/questions', { round_of: q.id }), t('m.round2Done', { title: q.title })) }, t('m.round2')));
    }
    // An unresolved tie: the statutes hold the vote again between the
    // tied candidates (POST questions {"revote_of"}), once per election.
    if (q.status === 'counted' && q.kind === 'election' && q.result?.outcome === 'tie_unresolved' &&
        view.status !== 'closed' && !view.questions.some((x) => x.revote_of === q.id)) {
      actions.append(el('button', { type: 'button', class: 'primary', 'data-act': 'revote', onclick: () => act(
        () => call('POST', '/questions', { revote_of: q.id }), t('m.revoteDone', { title: q.title })) }, t('m.revote')));
    }
    if (actions.childNodes.length) row.append(actions);
    if (q.status === 'counted' && q.result) row.append(resultBlock(q));
    list.append(row);
  }
  // Groups of alternative motions settled by the engine.
  const alts = clear($('#m-alternatives'));
  for (const g of view.alternatives || []) {
    const w = g.winner && view.questions.find((q) => q.id === g.winner);
    alts.append(el('li', { 'data-group': g.group }, t('m.altGroup', { group: g.group, list: g.questions.join(', '),
      outcome: g.winner ? `${outcomeLabel(g.outcome)} « ${w ? w.title : g.winner} »` : outcomeLabel(g.outcome) }), ' — ', g.sentence));
  }
  $('#m-alt-section').hidden = !(view.alternatives || []).length;
  syncForm();
}

// The live secret-ballot triggers the statutes of the body provide (GET
// …/rules secret_ballot), recorded on a pending question (POST
// …/questions/{q}/triggers); none when the rules are unknown.
function triggerControls(q) {
  const sb = rules && rules.secret_ballot;
  if (!sb) return null;
  const record = (body) => act(() => call('POST', `/questions/${q.id}/triggers`, body), t('m.trig.done', { title: q.title }));
  const box = el('div', { class: 'row triggers', 'data-qid': q.id });
  const art = sb.article ? ` (art. ${sb.article})` : '';
  if (sb.member_objection)
    box.append(el('button', { type: 'button', 'data-trig': 'objection', onclick: () => record({ objection: true }) }, t('m.trig.objection') + art));
  for (const by of sb.request_by || [])
    box.append(el('button', { type: 'button', 'data-trig': `requested_by-${by}`, onclick: () => record({ requested_by: by }) },
      t(`m.trig.by.${by}`) + art));
  if (sb.request_fraction) {
    const id = `askers-${q.id}`;
    const n = el('input', { id, type: 'number', min: '1', inputmode: 'numeric', class: 'small' });
    box.append(el('label', { for: id, class: 'inline' }, t('m.trig.askers', { fraction: sb.request_fraction }) + art), n,
      el('button', { type: 'button', 'data-trig': 'askers', onclick: () => record({ askers: Number(n.value) }) }, t('m.trig.record')));
  }
  if (sb.unanimous_waiver)
    box.append(el('button', { type: 'button', 'data-trig': 'unanimous', onclick: () => record({ unanimous_show_of_hands: true }) },
      t('m.trig.unanimous') + art));
  return box.childNodes.length ? box : null;
}

// Recusal (« Déport », ANIMT XI, Espace+ art. 7) on a pending motion whose
// rule provides it (GET …/rules decisions' "recusal"): the member concerned
// picked by name (GET …/members), the list shown, one removed or all
// cleared (POST …/questions/{q}/recusals replaces the list). Once opened,
// the list is only shown.
let members = null; // GET …/members: [{member, name}]
const recPick = {}; // the member picked per question, across re-renders
const memberName = (no) => (members || []).find((x) => x.member === no)?.name || no;
function recusalControls(q) {
  const recused = q.recused || [];
  const rule = rules && (rules.decisions || []).find((r) => r.id === q.rule);
  const editable = q.status === 'pending' && view.status !== 'closed' && q.kind !== 'election' && rule && rule.recusal;
  if (!editable && !recused.length) return null;
  const box = el('div', { class: 'recusals', 'data-qid': q.id });
  box.append(el('p', { class: 'recused-list' }, recused.length
    ? t('m.rec.list', { list: recused.map(memberName).join(', ') }) : t('m.rec.none')));
  if (!editable) return box;
  const art = rules.recusal_article || rule.article || '?';
  const save = (list) => act(() => call('POST', `/questions/${q.id}/recusals`, { members: list }), t('m.rec.done', { title: q.title }));
  box.prepend(el('p', { class: 'help' }, t('m.rec.help', { art })));
  const rm = el('ul', { class: 'recused' });
  for (const no of recused) {
    rm.append(el('li', { 'data-member': no }, memberName(no), ' ',
      el('button', { type: 'button', class: 'link', 'data-rec': 'remove', onclick: () => save(recused.filter((x) => x !== no)) },
        `${t('m.rec.remove')} (${memberName(no)})`)));
  }
  if (recused.length) box.append(rm);
  const id = `rec-${q.id}`;
  const sel = el('select', { id, 'data-rec': 'pick', onchange: () => { recPick[q.id] = sel.value; } },
    el('option', { value: '' }, t('m.rec.pick')),
    ...(members || []).filter((x) => !recused.includes(x.member)).map((x) => el('option', { value: x.member }, `${x.name} (${x.member})`)));
  if (recPick[q.id] && [...sel.options].some((o) => o.value === recPick[q.id])) sel.value = recPick[q.id];
  box.append(el('div', { class: 'row' }, el('label', { for: id, class: 'inline' }, `${t('m.rec.title')} — ${t('m.rec.member')}`), sel,
    el('button', { type: 'button', 'data-rec': 'add', onclick: () => {
      if (!sel.value) { alert(t('m.rec.pickFirst')); sel.focus(); return; }
      delete recPick[q.id];
      save([...recused, sel.value]);
    } }, t('m.rec.add')),
    recused.length ? el('button', { type: 'button', class: 'secondary', 'data-rec': 'clear', onclick: () => save([]) }, t('m.rec.clear')) : null));
  return box;
}

// Amendments (docs/api.md "Amendments", GET …/rules "amendments"): what an
// amendment amends and its text; a motion's amendments and whether it is
// voted as amended; on a pending motion, the form that proposes one (the
// text, the member who proposes it, present, and where the statutes
// require it the number of members supporting him).
function amendmentLines(q) {
  const out = [];
  if (q.amends) {
    const of = view.questions.find((x) => x.id === q.amends);
    out.push(el('p', { class: 'amendment-text', 'data-amends': q.amends },
      t(q.alternatives ? 'm.am.altOf' : 'm.am.of', { title: of ? of.title : q.amends }), ' ', el('q', {}, q.amendment)));
  }
  const mine = view.questions.filter((x) => x.amends === q.id && !x.alternatives);
  if (mine.length && !q.amends) {
    const adopted = q.amended_by || [];
    const txt = (x) => `${x.id} : « ${x.amendment} »`;
    if (adopted.length)
      out.push(el('p', { class: 'amended', 'data-amended-by': adopted.join(' ') }, t('m.am.asAmended', {
        list: adopted.map((id) => txt(view.questions.find((x) => x.id === id) || { id, amendment: '' })).join(' ; ') })));
    else if (q.status === 'pending' && mine.some((x) => x.status !== 'counted'))
      out.push(el('p', { class: 'help amend-wait' }, t('m.am.wait', { list: mine.filter((x) => x.status !== 'counted').map((x) => x.id).join(', ') })));
    else if (q.status !== 'pending' || mine.every((x) => x.status === 'counted'))
      out.push(el('p', { class: 'help amend-none' }, t('m.am.asWas')));
  }
  return out;
}
const amendDraft = {}; // the text, proposer and supporters typed per motion, across re-renders
function amendmentControls(q) {
  const ar = rules && rules.amendments;
  if (!ar || q.kind !== 'motion' || q.amends || q.status !== 'pending' || view.status === 'closed') return null;
  const d = amendDraft[q.id] || (amendDraft[q.id] = { text: '', proposer: '', supporters: '', open: false });
  const box = el('details', { class: 'amend', 'data-qid': q.id });
  box.open = d.open;
  box.addEventListener('toggle', () => { d.open = box.open; });
  box.append(el('summary', {}, t('m.am.title')));
  box.append(el('p', { class: 'help' }, t(ar.mode === 'alternative' ? 'm.am.helpAlt' : 'm.am.helpBefore', { art: ar.article })));
  const tid = `am-text-${q.id}`, pid = `am-prop-${q.id}`, sid = `am-sup-${q.id}`;
  const text = el('textarea', { id: tid, rows: '3', maxlength: '2000', 'data-am': 'text', oninput: () => { d.text = text.value; } });
  text.value = d.text;
  const prop = el('select', { id: pid, 'data-am': 'proposer', onchange: () => { d.proposer = prop.value; } },
    el('option', { value: '' }, t('m.rec.pick')),
    ...(members || []).map((x) => el('option', { value: x.member }, `${x.name} (${x.member})`)));
  prop.value = d.proposer;
  box.append(el('label', { for: tid }, t('m.am.text')), text, el('label', { for: pid }, t('m.am.proposer')), prop);
  let sup = null;
  if (ar.supporters > 0) {
    sup = el('input', { id: sid, type: 'number', min: '0', inputmode: 'numeric', class: 'small', 'data-am': 'supporters',
      oninput: () => { d.supporters = sup.value; } });
    sup.value = d.supporters;
    box.append(el('label', { for: sid }, t('m.am.supporters', { n: ar.supporters, art: ar.article })), sup);
  }
  box.append(el('div', { class: 'row' }, el('button', { type: 'button', class: 'primary', 'data-am': 'propose', onclick: () => {
    if (!text.value.trim()) { alert(t('m.am.noText')); text.focus(); return; }
    if (!prop.value) { alert(t('m.am.noProposer')); prop.focus(); return; }
    const body = { text: text.value.trim(), proposer: prop.value };
    if (sup) {
      const n = Number(sup.value);
      if (!(sup.value !== '' && Number.isInteger(n) && n >= ar.supporters)) {
        alert(t('m.am.fewSupporters', { n: ar.supporters, art: ar.article })); sup.focus(); return;
      }
      body.supporters = n;
    }
    act(async () => {
      await call('POST', `/questions/${q.id}/amendments`, body);
      delete amendDraft[q.id];
      render();
    }, t('m.am.done', { title: q.title }));
  } }, t('m.am.propose'))));
  return box;
}

function formKind() { return $('#aq-kind').value; }

/** Where an alternative to the motion ref can go: {group, rule, note} to
 *  join ref's group, or {block} with the reason it cannot. A motion joins
 *  a group only when it is created, and only while no motion of the group
 *  has been opened (docs/api.md "Alternative motions"): an ungrouped
 *  motion cannot be grouped after the fact. */
function altTarget(ref) {
  if (rules && rules.alternatives === false) return { block: t('m.altNone') };
  if (!ref || ref.kind !== 'motion') return { block: t('m.altNoRef') };
  const g = ref.alternatives;
  if (!g) return { block: t('m.altUngrouped', { title: ref.title }) };
  const members = view.questions.filter((q) => q.alternatives === g);
  if (members.some((q) => q.status !== 'pending') || (view.alternatives || []).some((x) => x.group === g)) {
    return { block: t('m.altStarted', { group: g }) };
  }
  return { group: g, rule: ref.rule, note: t('m.altJoins', { group: g, list: members.map((q) => `${q.id} — ${q.title}`).join(' ; ') }) };
}
const GROUP_RE = /^[A-Za-z0-9_-]{1,64}$/;
/** Shows the fields of the chosen kind; hidden fields are disabled (no
 *  validation). "late" adds a candidate to a pending election. */
function syncForm() {
  const k = formKind();
  const late = k === 'late';
  const show = (id, on) => {
    $(id).hidden = !on;
    for (const x of $(id).querySelectorAll('input, select, textarea')) x.disabled = !on;
  };
  show('#aq-ref-field', ['alternative', 'late'].includes(k));
  show('#aq-question', !late);
  show('#aq-election', k === 'election');
  show('#aq-late', late);
  // A new group of alternative motions starts from a motion given a group
  // id; where the statutes have no alternatives rule, neither the field
  // nor the kind is offered (rules unknown: the server decides).
  const altOk = !(rules && rules.alternatives === false);
  show('#aq-group-field', k === 'motion' && altOk);
  const altOpt = $('#aq-kind option[value="alternative"]');
  altOpt.disabled = !altOk;
  altOpt.dataset.i18n = altOk ? 'm.kAlternative' : 'm.kAlternativeNo';
  altOpt.textContent = t(altOpt.dataset.i18n);
  const note = $('#aq-alt-note');
  const submit = $('#aq-form button[type="submit"]');
  if (!view) return;
  // "Relates to": any question; for a late candidate, the pending
  // elections; for an alternative motion, the motions.
  const ref = $('#aq-ref'); const keepRef = ref.value;
  clear(ref);
  const refs = view.questions.filter((q) => (late ? q.kind === 'election' && q.status === 'pending'
    : k === 'alternative' ? q.kind === 'motion' : true));
  for (const q of refs) ref.append(el('option', { value: q.id }, `${q.id} — ${q.title}`));
  if (late && !refs.length) ref.append(el('option', { value: '' }, t('m.noElection')));
  if (refs.some((q) => q.id === keepRef)) ref.value = keepRef;
  // The group an alternative motion joins, or why it cannot.
  const refQ = view.questions.find((q) => q.id === ref.value);
  const target = k === 'alternative' ? altTarget(refQ) : null;
  note.hidden = !target;
  note.textContent = target ? target.block || target.note : '';
  note.className = target && target.block ? 'help alt-block' : 'help';
  submit.disabled = !!(target && target.block);
  // The statutes rules of the meeting's body, decisions or elections, by
  // their labels and articles (never their ids); an alternative motion has
  // its group's rule. Rules unknown: those of the questions, by label.
  const sel = $('#aq-rule'); const keepRule = sel.value;
  clear(sel);
  const fromQuestion = (q) => ({ id: q.rule, label: q.rule_label, label_en: q.rule_label_en });
  const kindQs = view.questions.filter((q) => (q.kind === 'election') === (k === 'election'));
  let list = rules ? (k === 'election' ? rules.elections : rules.decisions)
    : kindQs.filter((q, i) => kindQs.findIndex((x) => x.rule === q.rule) === i).map(fromQuestion);
  if (target && target.rule) list = list.filter((r) => r.id === target.rule).concat(list.some((r) => r.id === target.rule) ? [] : [fromQuestion(refQ)]);
  for (const r of list) sel.append(el('option', { value: r.id }, ruleName(r)));
  if (list.some((r) => r.id === keepRule)) sel.value = keepRule;
  syncPresident();
}
// The president's post, where GET …/rules says the election is held post
// by post, the president first (A-IMI 12: sequence president_first).
function presidentFirst() {
  if (formKind() !== 'election' || !rules) return null;
  const r = (rules.elections || []).find((x) => x.id === $('#aq-rule').value);
  return r && r.sequence === 'president_first' ? r : null;
}
function syncPresident() {
  const r = presidentFirst();
  $('#aq-president-field').hidden = !r;
  $('#aq-president').disabled = !r;
  if (!r) $('#aq-president').checked = false;
  $('#aq-president-note').textContent = r ? t('m.presidentNote', { art: r.article || '?' }) : '';
}
$('#aq-rule').addEventListener('change', syncPresident);
$('#aq-kind').addEventListener('change', syncForm);
$('#aq-ref').addEventListener('change', syncForm);

$('#aq-form').addEventListener('submit', (ev) => {
  ev.preventDefault();
  const k = formKind();
  const ref = view.questions.find((q) => q.id === $('#aq-ref').value);
  if (k === 'late') {
    const member = $('#aq-cand-member').value.trim(); const name = $('#aq-cand-name').value.trim();
    if (!ref) { alert(t('m.noElection')); return; }
    act(async () => {
      await call('POST', `/questions/${ref.id}/candidates`, { member, name });
      $('#aq-cand-member').value = ''; $('#aq-cand-name').value = '';
    }, t('m.candAdded', { title: ref.title, name }));
    return;
  }
  let title = $('#aq-title').value.trim();
  let group = null;
  if (k === 'alternative') {
    // Created in the reference's group of alternatives, or not at all.
    const target = altTarget(ref);
    if (target.block) { alert(target.block); return; }
    group = target.group;
  }
  if (k === 'motion' && $('#aq-group').value.trim()) {
    group = $('#aq-group').value.trim();
    if (!GROUP_RE.test(group)) { alert(t('m.badGroup')); $('#aq-group').focus(); return; }
  }
  if (k === 'alternative' && ref) title = t('m.alternativeOf', { title: ref.title, text: title });
  const entry = { id: $('#aq-id').value.trim(), title, kind: ['election', 'late'].includes(k) ? 'election' : 'motion',
    rule: $('#aq-rule').value.trim(), secret: $('#aq-secret').checked };
  if (group) entry.alternatives = group;
  if (entry.kind === 'election') {
    entry.seats = Number($('#aq-seats').value) || 1;
    entry.candidates = $('#aq-cands').value.split('\n').map((l) => l.trim()).filter(Boolean).map((l) => {
      const i = l.indexOf(';');
      return i > 0 ? { member: l.slice(0, i).trim(), name: l.slice(i + 1).trim() } : { member: l, name: l };
    });
    const post = $('#aq-post').value.trim();
    if (post) entry.post = post;
    if (presidentFirst() && $('#aq-president').checked) entry.president_post = true;
  }
  if (!/^[A-Za-z0-9._-]{1,64}$/.test(entry.id)) { alert(t('m.badId')); $('#aq-id').focus(); return; }
  act(async () => { await call('POST', '/questions', entry); $('#aq-form').reset(); syncForm(); },
    group ? t('m.addedAlt', { title, group }) : t('m.added', { title }));
});

$('#m-start').addEventListener('click', () => act(() => call('POST', '/start', {}), t('m.started')));
$('#m-end').addEventListener('click', () => { if (confirm(t('m.endConfirm'))) act(() => call('POST', '/end', {}), t('m.ended')); });
$('#m-logout').addEventListener('click', () => { sessionStorage.removeItem(KEY); location.replace('/m/'); });
onLangChange(render);

async function main() {
  watchHealth($('#health'));
  if (!sess || !MEETING_RE.test(sess.meeting)) { $('#m-nolink').hidden = false; $('#console').hidden = true; return; }
  try { await call('GET', '/whoami'); } catch (e) {
    $('#m-nolink').hidden = false; $('#console').hidden = true;
    $('#m-nolink-text').textContent = e instanceof ApiError && e.status === 401 ? t('m.badToken') : errorMessage(e);
    return;
  }
  $('#proj-link').setAttribute('href', `/p/#${sess.meeting}`);
  try { rules = await call('GET', '/rules'); } catch (e) { rules = null; }
  try { members = (await call('GET', '/members')).members; } catch (e) { members = null; }
  connectLive(sess.meeting, {
    onView: (v) => { view = v; render(); },
    onStatus: (s) => { $('#conn').textContent = t(`conn.${s}`); $('#conn').className = `conn conn-${s}`; },
  });
  syncForm();
}
main();
