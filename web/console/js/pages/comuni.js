// The comuni a consortium person acts for (GET /api/v1/comuni), and the
// one the lists (Avvisi, Da approvare, In corso) show: kept for the
// session's tab in sessionStorage, '' for the person's own comune.
import { call } from '../api.js';
import { h } from '../dom.js';
import { session } from '../session.js';

const KEY = 'bnd-comune';
let cache = null;

export async function myComuni() {
  if (!cache) cache = (await call('GET', '/api/v1/comuni')).comuni;
  return cache;
}

// Forgets the list and the choice (at login and logout).
export function forgetComuni() {
  cache = null;
  sessionStorage.removeItem(KEY);
}

export function chosenComune() {
  return (session.me && session.me.role === 'consortium' && sessionStorage.getItem(KEY)) || '';
}

// "&comune=ID" for the list calls, or '' for the person's own comune.
export function comuneQuery() {
  const c = chosenComune();
  return c ? `&comune=${encodeURIComponent(c)}` : '';
}

// The comune selector of a consortium person with more than one comune
// (null for everybody else); onChange re-renders the page.
export async function comunePicker(onChange) {
  if (!session.me || session.me.role !== 'consortium') return null;
  const list = await myComuni();
  if (list.length < 2) return null;
  const cur = chosenComune();
  const select = h('select', { id: 'scelta-comune', class: 'form-select', 'aria-describedby': 'scelta-comune-aiuto' },
    list.map((c) => h('option', { value: c.own ? '' : c.id, selected: (c.own ? '' : c.id) === cur }, c.name)));
  select.addEventListener('change', () => {
    if (select.value) sessionStorage.setItem(KEY, select.value);
    else sessionStorage.removeItem(KEY);
    onChange();
  });
  return h('div', { class: 'mb-3', id: 'zona-comune' },
    h('label', { for: 'scelta-comune', class: 'form-label fw-semibold' }, 'Comune'), select,
    h('small', { id: 'scelta-comune-aiuto', class: 'form-text d-block' },
      'Gli avvisi del Comune scelto: puoi agire per tutti i Comuni del tuo consorzio.'));
}
