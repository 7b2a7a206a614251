// Avvisi: the comune's notices, newest first, filtered by state and by
// words in the title or text (searched by the server), 20 a page. The
// filter lives in the address (#/avvisi?stato=draft&q=acqua), so a reload
// or a link keeps it.
import { call } from '../api.js';
import { h, show, stateBadge, when, STATES } from '../dom.js';
import { comunePicker, comuneQuery } from './comuni.js';

const SEARCH_MAX = 100;   // characters, as GET /api/v1/notices?q= takes

// The list's address for a filter (empty values left out).
function listHash(filter) {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(filter)) if (v) p.set(k, v);
  const s = p.toString();
  return s ? `#/avvisi?${s}` : '#/avvisi';
}

// The filter form: state and search words.
function filterForm(status, search) {
  const select = h('select', { id: 'filtro-stato', class: 'form-select', name: 'stato' },
    h('option', { value: '' }, 'Tutti'),
    Object.entries(STATES).map(([k, v]) => h('option', { value: k, selected: k === status }, v)));
  const input = h('input', { id: 'filtro-cerca', class: 'form-control', type: 'search', name: 'q',
    value: search, maxlength: SEARCH_MAX, 'aria-describedby': 'filtro-cerca-aiuto' });
  return h('form', { class: 'row g-2 align-items-end mb-4', id: 'filtro', role: 'search', onsubmit: (ev) => {
    ev.preventDefault();
    location.hash = listHash({ stato: select.value, q: input.value.trim() });
  } },
  h('div', { class: 'col-12 col-sm-6 col-md-3' },
    h('label', { for: 'filtro-stato', class: 'form-label fw-semibold' }, 'Stato'), select),
  h('div', { class: 'col-12 col-sm-6 col-md-5' },
    h('label', { for: 'filtro-cerca', class: 'form-label fw-semibold' }, 'Cerca negli avvisi'), input,
    h('small', { id: 'filtro-cerca-aiuto', class: 'form-text d-block' },
      'Parole nel titolo o nel testo; maiuscole e minuscole sono uguali, le lettere accentate no.')),
  h('div', { class: 'col-auto' }, h('button', { type: 'submit', class: 'btn btn-outline-primary' }, 'Filtra')));
}

export async function listPage() {
  const params = new URLSearchParams(location.hash.split('?')[1] || '');
  const status = params.get('stato') || '';
  const search = (params.get('q') || '').trim();
  const cursor = params.get('da') || '';
  const q = new URLSearchParams({ limit: '20' });
  if (status) q.set('status', status);
  if (search) q.set('q', search);
  if (cursor) q.set('cursor', cursor);
  const data = await call('GET', `/api/v1/notices?${q}${comuneQuery()}`);
  const picker = await comunePicker(listPage);

  const rows = data.notices.map((n) => h('li', { class: 'notice-row' },
    h('div', { class: 'd-flex flex-wrap justify-content-between gap-2' },
      h('a', { href: `#/avvisi/${n.id}`, class: 'fw-semibold' }, n.title),
      stateBadge(n.status)),
    h('div', { class: 'small text-muted-strong' },
      `Scritto da ${n.author || '—'} · ${when(n.created_at)}`, n.urgent ? ' · urgente' : '')));

  const next = data.next_cursor
    ? h('a', { class: 'btn btn-outline-primary mt-3',
      href: listHash({ stato: status, q: search, da: data.next_cursor }) }, 'Avvisi meno recenti')
    : null;
  const found = search
    ? h('p', { id: 'risultati', role: 'status' }, rows.length
      ? `Avvisi che contengono «${search}»${data.next_cursor ? ' (i più recenti)' : `: ${rows.length}`}.`
      : `Nessun avviso contiene «${search}».`)
    : null;

  show(
    h('div', { class: 'd-flex flex-wrap justify-content-between align-items-center gap-2 mb-3' },
      h('h1', { class: 'h2 mb-0' }, 'Avvisi'),
      h('a', { href: '#/nuovo', class: 'btn btn-primary' }, 'Nuovo avviso')),
    picker,
    filterForm(status, search),
    found,
    rows.length
      ? h('ul', { class: 'list-unstyled', id: 'elenco-avvisi', 'aria-label': 'Elenco degli avvisi' }, rows)
      : (search ? null : h('p', {}, 'Nessun avviso.')),
    next);
}
