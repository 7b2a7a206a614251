// Avvisi: the comune's notices, newest first, filtered by state, 20 a page.
import { call } from '../api.js';
import { h, show, stateBadge, when, STATES } from '../dom.js';
import { comunePicker, comuneQuery } from './comuni.js';

export async function listPage() {
  const params = new URLSearchParams(location.hash.split('?')[1] || '');
  const status = params.get('stato') || '';
  const cursor = params.get('da') || '';
  const q = new URLSearchParams({ limit: '20' });
  if (status) q.set('status', status);
  if (cursor) q.set('cursor', cursor);
  const data = await call('GET', `/api/v1/notices?${q}${comuneQuery()}`);
  const picker = await comunePicker(listPage);

  const select = h('select', { id: 'filtro-stato', class: 'form-select', name: 'stato' },
    h('option', { value: '' }, 'Tutti'),
    Object.entries(STATES).map(([k, v]) => h('option', { value: k, selected: k === status }, v)));
  const filter = h('form', { class: 'row g-2 align-items-end mb-4', id: 'filtro', onsubmit: (ev) => {
    ev.preventDefault();
    location.hash = select.value ? `#/avvisi?stato=${select.value}` : '#/avvisi';
  } },
  h('div', { class: 'col-12 col-sm-6 col-md-4' },
    h('label', { for: 'filtro-stato', class: 'form-label fw-semibold' }, 'Stato'), select),
  h('div', { class: 'col-auto' }, h('button', { type: 'submit', class: 'btn btn-outline-primary' }, 'Filtra')));

  const rows = data.notices.map((n) => h('li', { class: 'notice-row' },
    h('div', { class: 'd-flex flex-wrap justify-content-between gap-2' },
      h('a', { href: `#/avvisi/${n.id}`, class: 'fw-semibold' }, n.title),
      stateBadge(n.status)),
    h('div', { class: 'small text-muted-strong' },
      `Scritto da ${n.author || '—'} · ${when(n.created_at)}`, n.urgent ? ' · urgente' : '')));

  const next = data.next_cursor
    ? h('a', { class: 'btn btn-outline-primary mt-3',
      href: `#/avvisi?${new URLSearchParams({ ...(status ? { stato: status } : {}), da: data.next_cursor })}` },
    'Avvisi meno recenti')
    : null;

  show(
    h('div', { class: 'd-flex flex-wrap justify-content-between align-items-center gap-2 mb-3' },
      h('h1', { class: 'h2 mb-0' }, 'Avvisi'),
      h('a', { href: '#/nuovo', class: 'btn btn-primary' }, 'Nuovo avviso')),
    picker,
    filter,
    rows.length
      ? h('ul', { class: 'list-unstyled', id: 'elenco-avvisi', 'aria-label': 'Elenco degli avvisi' }, rows)
      : h('p', {}, 'Nessun avviso.'),
    next);
}
