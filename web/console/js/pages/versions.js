// A notice's page, "Confronta versioni": two versions side by side as one
// text with what was removed (<del>) and inserted (<ins>), word by word
// (diff.js). Colour is not the only cue: each change also carries words
// a screen reader says ("inizio testo rimosso" ... "fine testo rimosso").
import { h, when, CATEGORIES, CHANNELS } from '../dom.js';
import { diffWords, unchanged } from './diff.js';

// "Versione 2 — Giulia Verdi, 3 dicembre 2026 alle ore 10:15" (Italian time).
function versionLabel(v) {
  return `Versione ${v.version} — ${v.edited_by || 'sconosciuto'}, ${when(v.at)}`;
}

// One change, marked for the eye (colour, strike/underline) and the ear.
function mark(tag, what, text) {
  return h(tag, { class: `diff-${tag}` },
    h('span', { class: 'visually-hidden' }, `[inizio testo ${what}] `),
    h('span', { class: 'diff-text' }, text),
    h('span', { class: 'visually-hidden' }, ` [fine testo ${what}]`));
}

// The diff's pieces as nodes.
function diffNodes(ops) {
  return ops.map((o) => (o.op === 'same' ? o.text
    : mark(o.op, o.op === 'del' ? 'rimosso' : 'inserito', o.text)));
}

// The fields compared as whole values, in Italian.
const FIELDS = [
  ['topics', 'Argomenti', (v) => ((v.topics || []).length ? v.topics.join(', ') : 'tutti gli iscritti')],
  ['channels', 'Canali', (v) => ((v.channels || []).length
    ? v.channels.map((c) => CHANNELS[c] || c).join(', ') : 'tutti i canali del Comune')],
  ['category', 'Categoria', (v) => CATEGORIES[v.category] || v.category],
  ['urgent', 'Urgente', (v) => (v.urgent ? 'sì' : 'no')],
];

// The comparison of version a with version b.
function comparison(a, b) {
  const text = (label, id, x, y, cls) => {
    const ops = diffWords(x, y);
    return [h('dt', {}, label, unchanged(ops) ? ' (uguale)' : ''),
      h('dd', { id, class: cls }, ops.length ? diffNodes(ops) : '—')];
  };
  const others = FIELDS.filter(([, , show]) => show(a) !== show(b));
  return h('dl', { class: 'diff-view' },
    text('Titolo', 'diff-titolo', a.title, b.title, 'fw-semibold'),
    text('Testo', 'diff-testo', a.body, b.body, 'diff-body'),
    text('Link', 'diff-link', a.link, b.link, 'diff-body'),
    others.length
      ? others.flatMap(([key, label, show]) => [h('dt', {}, label),
        h('dd', { id: `diff-${key}` }, mark('del', 'rimosso', show(a)), ' → ', mark('ins', 'inserito', show(b)))])
      : [h('dt', {}, 'Altri dati'), h('dd', {}, 'Argomenti, canali, categoria e urgenza sono uguali.')]);
}

// A select of the versions, with its label.
function versionSelect(id, label, versions, selected) {
  const sel = h('select', { id, class: 'form-select' },
    versions.map((v) => h('option', { value: v.version, selected: v.version === selected }, versionLabel(v))));
  return [sel, h('div', { class: 'col-12 col-lg-6' }, h('label', { for: id, class: 'form-label fw-semibold' }, label), sel)];
}

// The section, or null with fewer than two versions.
export function versionsSection(versions) {
  if (!versions || versions.length < 2) return null;
  const last = versions[versions.length - 1].version;
  const [from, fromBox] = versionSelect('versione-da', 'Versione di partenza', versions, versions[versions.length - 2].version);
  const [to, toBox] = versionSelect('versione-a', 'Versione da confrontare', versions, last);
  const status = h('p', { id: 'confronto-stato', class: 'small', 'aria-live': 'polite' });
  const out = h('div', { id: 'differenze' });
  const update = () => {
    const a = versions.find((v) => String(v.version) === from.value);
    const b = versions.find((v) => String(v.version) === to.value);
    status.textContent = a === b ? 'Stessa versione: nessuna differenza.'
      : `Differenze dalla versione ${a.version} alla versione ${b.version}.`;
    out.replaceChildren(comparison(a, b));
  };
  from.addEventListener('change', update);
  to.addEventListener('change', update);
  update();
  return h('section', { class: 'mt-4', id: 'confronto', 'aria-labelledby': 'titolo-confronto' },
    h('h2', { class: 'h4', id: 'titolo-confronto' }, 'Confronta versioni'),
    h('p', { class: 'small' }, 'Il testo rimosso è barrato su fondo rosso, quello inserito è sottolineato su fondo verde.'),
    h('div', { class: 'row g-2 mb-2' }, fromBox, toBox),
    status, out);
}
