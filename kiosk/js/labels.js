// labels.js — what people read for the server's ids: choices, statuses,
// outcomes, question kinds, statutes rules and standing reasons. An id
// (a rule's "ordinary", a kind's "election", a reason's "dues_unpaid") is
// never shown: rules come with the profile's labels (docs/api.md
// rule_label / rule_label_en, GET …/rules label / label_en), the rest
// from strings.js.
import { t, lang } from './i18n.js';

export function choiceLabel(q, i) {
  const c = q.choices[i];
  if (q.kind === 'motion' || (q.kind === 'election' && i === q.choices.length - 1)) {
    const k = t(`choice.${c}`, null);
    if (k) return k;
  }
  return c;
}
export function statusLabel(q) { return t(`qstatus.${q.status}`); }

/** An outcome code of the statutes engine in words. */
export function outcomeLabel(code) { return t(`outcome.${code}`, null) || t('outcome.other'); }

/** A label pair {fr, en} (a rule of GET …/rules: label / label_en) in the
 *  page's language, the French one when there is no English. */
export function pick(fr, en) { return (lang() === 'en' && en) || fr || en || null; }

/** A rule of GET …/rules in words, with its article when known. */
export function ruleName(r) {
  const name = pick(r.label, r.label_en) || t('q.ruleUnknown');
  return r.article ? t('q.ruleArticle', { rule: name, article: r.article }) : name;
}

/** How a question is decided: « motion à la majorité simple », « élection,
 *  1 siège(s) — Conseil d'administration ». rules (GET …/rules, the
 *  moderator only) adds the rule's article. */
export function heldUnder(q, rules) {
  const list = rules ? (q.kind === 'election' ? rules.elections : rules.decisions) || [] : [];
  const r = list.find((x) => x.id === q.rule);
  const rule = r ? ruleName(r) : pick(q.rule_label, q.rule_label_en);
  if (q.kind === 'election') return rule ? t('q.electionRule', { seats: q.seats || 1, rule }) : t('v.election', { seats: q.seats || 1 });
  return rule ? t('q.motionRule', { rule }) : t('kind.motion');
}

/** Why a member has no vote (GET …/voters/{pk} reason) in words. */
export function reasonLabel(code) { return t(`reason.${code}`, null) || t('reason.other'); }
