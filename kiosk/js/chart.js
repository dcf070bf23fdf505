// chart.js — a horizontal SVG bar chart built with DOM APIs (labels via
// textContent), plus the same figures as a table for screen readers.
import { el } from './dom.js';
import { fmtInt } from './format.js';

const NS = 'http://www.w3.org/2000/svg';
function svg(tag, attrs = {}, text) {
  const e = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  if (text !== undefined) e.textContent = text;
  return e;
}

/** labels: strings, counts: integers, pcts: each count's percentage as
 *  text ('' for none: the caller knows the base the statutes define),
 *  highlight: indices to mark (adopted choice, elected candidates).
 *  Returns a <figure>. */
export function barChart({ title, labels, counts, pcts = [], highlight = [], caption }) {
  const max = Math.max(1, ...counts);
  const rowH = 44; const labelW = 150; const barW = 250; const numW = 110;
  const width = labelW + barW + numW; const height = rowH * labels.length + 8;
  const s = svg('svg', { viewBox: `0 0 ${width} ${height}`, role: 'img', class: 'chart',
    preserveAspectRatio: 'xMinYMin meet' });
  const id = `chart-${Math.random().toString(36).slice(2)}`;
  s.setAttribute('aria-labelledby', id);
  s.append(svg('title', { id }, title || ''));
  labels.forEach((label, i) => {
    const y = 4 + i * rowH;
    const w = Math.round((counts[i] / max) * barW);
    const num = pcts[i] ? `${fmtInt(counts[i])} (${pcts[i]})` : fmtInt(counts[i]);
    const g = svg('g', { class: highlight.includes(i) ? 'bar win' : 'bar' });
    g.append(svg('text', { x: labelW - 8, y: y + rowH / 2 + 6, 'text-anchor': 'end', class: 'bar-label' },
      label.length > 18 ? `${label.slice(0, 17)}…` : label));
    g.append(svg('rect', { x: labelW, y: y + 6, width: Math.max(w, 2), height: rowH - 14, rx: 3, class: 'bar-rect' }));
    g.append(svg('text', { x: labelW + Math.max(w, 2) + 6, y: y + rowH / 2 + 6, class: 'bar-num' }, num));
    s.append(g);
  });
  const table = el('table', { class: 'sr-only' },
    el('caption', {}, title || ''),
    el('tbody', {}, labels.map((l, i) => el('tr', {}, el('th', { scope: 'row' }, l), el('td', {}, fmtInt(counts[i])), el('td', {}, pcts[i] || '')))));
  return el('figure', { class: 'chart-figure' }, s, table, caption ? el('figcaption', {}, caption) : null);
}
