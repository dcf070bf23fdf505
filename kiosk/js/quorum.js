// quorum.js — the live quorum as the moderator's console and the projector
// show it, from the server's quorum object (docs/api.md "The quorum
// object": the statutes engine's count on the members there now and the
// proxies in force now). Nothing is counted here: the voices, the
// threshold and the sentence are the server's; this file only words them.
import { t, lang } from './i18n.js';

// The voices the profile counts, in the engine's order.
const MODES = ['present', 'remote', 'represented', 'mail_in', 'internet'];

/** "12 présents, 1 à distance, 3 représentés", the voices the statutes
 *  count for the quorum (qu.counts), or '' when the quorum is unknown. */
export function quorumVoices(qu) {
  if (!qu || !qu.voices || !Array.isArray(qu.counts)) return '';
  return MODES.filter((k) => qu.counts.includes(k))
    .map((k) => t(`quorum.v.${k}`, { n: qu.voices[k] ?? 0 })).join(', ');
}

/** "Seuil : 1/4 de 20, arrondi à l'entier inférieur, soit 5 (art. 9)";
 *  '' when no quorum is required or it is unknown. */
export function quorumRule(qu) {
  const th = qu && qu.threshold;
  if (!th || qu.status === 'none' || !th.den) return '';
  const frac = th.num === th.den ? t('quorum.all') : `${th.num}/${th.den}`;
  return t(th.compare === 'more_than' ? 'quorum.rule.more' : 'quorum.rule.least', {
    frac, base: qu.base ?? '?', plus: th.plus ? ` + ${th.plus}` : '',
    rounding: t(`quorum.round.${th.rounding || 'none'}`), required: qu.required ?? '?',
    art: qu.meeting_set ? t('quorum.meetingSet') : (qu.article ? `art. ${qu.article}` : '—'),
  });
}

/** The engine's sentence in the page's language (a second convocation:
 *  « Seconde convocation : … quel que soit le nombre … (art. 9) », with
 *  no threshold, quorumRule ''), or the short status when the server
 *  gave none (a quorum unknown: its error). */
export function quorumSentence(qu) {
  const s = qu && qu.sentence;
  const text = s && (lang() === 'en' ? (s.en || s.fr) : (s.fr || s.en));
  if (text) return text;
  // A second convocation (A-IMI art. 9, APROGEMERE II): no threshold.
  if (qu && qu.second_convocation)
    return t('quorum.second', { art: qu.second_article ? `art. ${qu.second_article}` : '—' });
  const st = (qu && qu.status) || 'unknown';
  const why = qu && (lang() === 'en' ? (qu.error_en || qu.error) : qu.error);
  return t(`quorum.${st}`, { counted: qu?.counted ?? '?', required: qu?.required ?? '?' }) + (why ? ` — ${why}` : '');
}
