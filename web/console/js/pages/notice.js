// One notice: its data, what citizens receive, its history (who, what,
// when) and the differences between its versions (versions.js).
import { call } from '../api.js';
import { h, show, stateBadge, when, ACTIONS, CHANNELS } from '../dom.js';
import { previewBlock } from './preview.js';
import { versionsSection } from './versions.js';

// A history entry's detail in Italian where the composer wrote a known
// form ("version 2, held until ... (quiet hours)", "refused: ..."); a
// person's own words (a reason) are left as written.
function detailText(d) {
  return d
    .replace(/^version (\d+)/, 'versione $1')
    .replace(/, released now$/, ', invio immediato')
    .replace(/, held until (\S+) \((scheduled|quiet hours)\)$/, (m, t, why) =>
      `, in attesa fino al ${when(t)} (${why === 'scheduled' ? 'programmato' : 'ore di silenzio'})`)
    .replace(/^refused: /, 'rifiutato: ');
}

export async function noticePage(id) {
  const n = await call('GET', `/api/v1/notices/${id}`);
  let preview = null;
  let versions = null;
  try { preview = await call('GET', `/api/v1/notices/${id}/preview`); } catch (e) { preview = null; }
  try { versions = (await call('GET', `/api/v1/notices/${id}/versions`)).versions; } catch (e) { versions = null; }

  const facts = [
    ['Stato', stateBadge(n.status)],
    ['Versione', n.version],
    ['Scritto da', n.author || '—'],
    ['Approvato da', n.approver || '—'],
    ['Argomenti', (n.topics || []).length ? n.topics.join(', ') : 'tutti gli iscritti'],
    ['Canali', (n.channels || []).length ? n.channels.map((c) => CHANNELS[c] || c).join(', ') : 'tutti i canali del Comune'],
    ['Urgente', n.urgent ? 'sì' : 'no'],
    ['Link', n.link || '—'],
    ['Creato', when(n.created_at)],
    ['Programmato per', when(n.scheduled_at)],
    ['Inviato', when(n.sent_at)],
  ];
  if (n.reject_reason) facts.push(['Motivo del rifiuto', n.reject_reason]);

  const actions = [];
  if (n.status === 'draft' || n.status === 'rejected')
    actions.push(h('a', { href: `#/nuovo/${n.id}`, class: 'btn btn-primary' }, 'Modifica'));
  if (n.status === 'submitted')
    actions.push(h('a', { href: '#/da-approvare', class: 'btn btn-primary' }, 'Vai a Da approvare'));
  if (['approved', 'scheduled', 'sending', 'paused', 'sent'].includes(n.status))
    actions.push(h('a', { href: `#/in-corso/${n.id}`, class: 'btn btn-primary' }, 'Segui l\'invio'));

  show(
    h('p', {}, h('a', { href: '#/avvisi' }, '← Tutti gli avvisi')),
    h('h1', { class: 'h2' }, n.title),
    h('div', { class: 'd-flex gap-2 mb-3' }, actions),
    h('div', { class: 'row g-4' },
      h('section', { class: 'col-12 col-lg-6', 'aria-labelledby': 'titolo-dati' },
        h('h2', { class: 'h4', id: 'titolo-dati' }, 'Dati dell\'avviso'),
        h('dl', { class: 'row' }, facts.flatMap(([k, v]) => [
          h('dt', { class: 'col-sm-5' }, k), h('dd', { class: 'col-sm-7' }, v)])),
        h('h3', { class: 'h5' }, 'Testo'),
        h('p', { class: 'wa-bubble border' }, n.body)),
      h('section', { class: 'col-12 col-lg-6', 'aria-labelledby': 'titolo-anteprima' },
        h('h2', { class: 'h4', id: 'titolo-anteprima' }, 'Come lo ricevono i cittadini'),
        preview ? previewBlock(preview) : h('p', {}, 'Anteprima non disponibile.'))),
    h('section', { class: 'mt-4', 'aria-labelledby': 'titolo-storia' },
      h('h2', { class: 'h4', id: 'titolo-storia' }, 'Storia'),
      h('ol', { class: 'history', id: 'storia' }, (n.history || []).map((e) => h('li', {},
        h('strong', {}, e.actor || 'sistema'), ' ', ACTIONS[e.action] || e.action,
        e.detail ? ` (${detailText(e.detail)})` : '',
        h('br'), h('small', {}, h('time', { datetime: e.at }, when(e.at))))))),
    versionsSection(versions));
}
