// Joins and leaves per day as a bar chart drawn in SVG (no library), with
// the same numbers in a table for screen readers: the drawing is hidden
// from them, the table hidden from the eye.
import { h } from '../dom.js';

const NS = 'http://www.w3.org/2000/svg';
const W = 640, H = 240, LEFT = 36, RIGHT = 8, TOP = 12, BOTTOM = 28;

// s('rect', {x: 1}, child...): an SVG element.
function s(tag, attrs = {}, ...children) {
  const el = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  for (const c of children) el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return el;
}

// "27/11" from "2026-11-27".
function dayMonth(date) {
  return `${date.slice(8, 10)}/${date.slice(5, 7)}`;
}

// The y axis' top: the largest count, rounded up to an even number (at least 2).
function top(days) {
  const max = Math.max(2, ...days.map((d) => Math.max(d.joins, d.leaves)));
  return max % 2 ? max + 1 : max;
}

function drawing(days) {
  const max = top(days);
  const plotH = H - TOP - BOTTOM, slot = (W - LEFT - RIGHT) / days.length;
  const bar = Math.max(1, slot / 2 - 1);
  const y = (v) => TOP + plotH - (v * plotH) / max;
  const svg = s('svg', { viewBox: `0 0 ${W} ${H}`, class: 'growth-chart', 'aria-hidden': 'true', focusable: 'false' });
  for (const v of [0, max / 2, max]) {
    svg.append(s('line', { x1: LEFT, x2: W - RIGHT, y1: y(v), y2: y(v), class: 'grid' }),
      s('text', { x: LEFT - 6, y: y(v) + 4, 'text-anchor': 'end', class: 'axis' }, v));
  }
  days.forEach((d, i) => {
    const x = LEFT + i * slot;
    svg.append(
      s('rect', { x: x + 1, y: y(d.joins), width: bar, height: y(0) - y(d.joins), class: 'joins' },
        s('title', {}, `${dayMonth(d.date)}: ${d.joins} iscrizioni`)),
      s('rect', { x: x + 1 + bar, y: y(d.leaves), width: bar, height: y(0) - y(d.leaves), class: 'leaves' },
        s('title', {}, `${dayMonth(d.date)}: ${d.leaves} cancellazioni`)));
    if (i % 5 === 0 || i === days.length - 1)
      svg.append(s('text', { x: x + slot / 2, y: H - 8, 'text-anchor': 'middle', class: 'axis' }, dayMonth(d.date)));
  });
  return svg;
}

function table(days, caption) {
  return h('table', { class: 'visually-hidden', id: 'tabella-crescita' },
    h('caption', {}, caption),
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Giorno'),
      h('th', { scope: 'col' }, 'Iscrizioni'), h('th', { scope: 'col' }, 'Cancellazioni'))),
    h('tbody', {}, days.map((d) => h('tr', {},
      h('th', { scope: 'row' }, new Date(`${d.date}T12:00:00`).toLocaleDateString('it-IT', { day: 'numeric', month: 'long' })),
      h('td', {}, d.joins), h('td', {}, d.leaves)))));
}

// growthChart(days, caption): a figure with the chart, its legend and the table.
export function growthChart(days, caption) {
  return h('figure', { class: 'growth mb-4', id: 'grafico-crescita' },
    h('figcaption', { class: 'fw-semibold mb-2' }, caption),
    drawing(days),
    h('p', { class: 'small mb-0', 'aria-hidden': 'true' },
      h('span', { class: 'legend-key joins' }), ' iscrizioni ',
      h('span', { class: 'legend-key leaves ms-3' }), ' cancellazioni'),
    table(days, caption));
}
