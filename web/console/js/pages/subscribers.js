// Iscritti: who is subscribed, per channel and per topic, joins and leaves
// over the last 30 days (GET /api/v1/subscribers/stats), and the ways to
// subscribe (GET /api/v1/optin/links) with their QR codes, printable as a
// poster (the print stylesheet in css/console.css shows only .poster).
import { call } from '../api.js';
import { h, show } from '../dom.js';
import { growthChart } from './chart.js';

const DAYS = 30;

// plural(1, 'iscrizione', 'iscrizioni'): "1 iscrizione"; plural(2, ...): "2 iscrizioni".
function plural(n, one, many) {
  return `${n} ${n === 1 ? one : many}`;
}

function cell(label, value, id) {
  return h('div', {}, h('dt', {}, label), h('dd', { id }, value ?? 0));
}

function activeCounts(st) {
  return h('section', { class: 'mb-4 no-print', 'aria-labelledby': 'titolo-attivi' },
    h('h2', { class: 'h4', id: 'titolo-attivi' }, 'Iscritti attivi'),
    h('dl', { class: 'stat-grid', id: 'attivi' },
      cell('In tutto', st.active.total, 'attivi-totale'),
      cell('WhatsApp', st.active.whatsapp, 'attivi-whatsapp'),
      cell('Telegram', st.active.telegram, 'attivi-telegram')));
}

function topicTable(st) {
  return h('section', { class: 'mb-4 no-print', 'aria-labelledby': 'titolo-argomenti' },
    h('h2', { class: 'h4', id: 'titolo-argomenti' }, 'Per argomento'),
    h('div', { class: 'table-responsive' }, h('table', { class: 'table', id: 'tabella-argomenti' },
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Argomento'),
        h('th', { scope: 'col' }, 'L\'hanno scelto'), h('th', { scope: 'col' }, 'Ricevono i suoi avvisi'))),
      h('tbody', {}, st.topics.map((t) => h('tr', {},
        h('th', { scope: 'row' }, t.name), h('td', {}, t.chosen), h('td', {}, t.reached)))))),
    h('p', { class: 'small' }, `${plural(st.no_topic_choice, 'iscritto non ha', 'iscritti non hanno')} scelto argomenti: `
      + `${st.no_topic_choice === 1 ? 'riceve' : 'ricevono'} tutti gli avvisi.`));
}

function growth(st) {
  return h('section', { class: 'mb-4 no-print', 'aria-labelledby': 'titolo-crescita' },
    h('h2', { class: 'h4', id: 'titolo-crescita' }, 'Ultimi 30 giorni'),
    h('p', { id: 'totali-periodo' }, `${plural(st.joins, 'iscrizione', 'iscrizioni')} e ${plural(st.leaves, 'cancellazione', 'cancellazioni')}.`),
    growthChart(st.days, `Iscrizioni e cancellazioni al giorno, dal ${st.days[0].date.split('-').reverse().join('/')} a oggi`));
}

// One way to subscribe on the poster: the QR code, what it does, the link.
function way(id, title, how, link) {
  if (!link)
    return h('div', { class: 'col-12 col-md-6 poster-way' }, h('h3', { class: 'h5' }, title),
      h('p', { class: 'small' }, 'Non ancora disponibile: l\'amministratore del servizio deve impostare il canale.'));
  return h('div', { class: 'col-12 col-md-6 poster-way' },
    h('h3', { class: 'h5' }, title),
    h('img', { src: link.qr, id: `qr-${id}`, class: 'qr', width: '200', height: '200',
      alt: `Codice QR: ${title}, apre ${link.link}` }),
    h('p', { class: 'mt-2 mb-1' }, how),
    h('p', { class: 'small poster-link' }, h('a', { href: link.link, id: `link-${id}` }, link.link)));
}

function poster(links) {
  const wa = links.whatsapp, tg = links.telegram;
  return h('section', { class: 'poster mb-4', 'aria-labelledby': 'titolo-manifesto' },
    h('h2', { class: 'h4 no-print', id: 'titolo-manifesto' }, 'Come iscriversi'),
    h('p', { class: 'no-print' }, 'Stampa il manifesto per l\'albo, la biblioteca, gli sportelli: chi lo vede si iscrive inquadrando un codice.'),
    h('button', { type: 'button', class: 'btn btn-primary mb-3 no-print', id: 'stampa', onclick: () => window.print() },
      'Stampa il manifesto'),
    h('div', { class: 'poster-sheet' },
      h('p', { class: 'poster-title' }, `${links.name}: gli avvisi ai cittadini sul telefono`),
      h('p', { class: 'poster-lead' }, 'Strade chiuse, acqua sospesa, allerte meteo: ricevili gratis su WhatsApp o Telegram.'),
      h('div', { class: 'row g-4' },
        way('whatsapp', 'Su WhatsApp', wa ? `Inquadra il codice, oppure scrivi ${wa.keyword} al +${wa.number}.` : '', wa),
        way('telegram', 'Su Telegram', tg ? `Inquadra il codice, oppure cerca @${tg.bot} e premi Avvia.` : '', tg)),
      h('p', { class: 'mt-3 mb-0' }, 'Oppure iscriviti dal modulo: ',
        h('a', { href: links.form, id: 'link-modulo' }, links.form)),
      h('p', { class: 'small mb-0' }, 'Per smettere basta scrivere STOP.')));
}

export async function subscribersPage() {
  const [st, links] = await Promise.all([
    call('GET', `/api/v1/subscribers/stats?days=${DAYS}`), call('GET', '/api/v1/optin/links')]);
  show(
    h('h1', { class: 'h2 mb-4 no-print' }, 'Iscritti'),
    activeCounts(st), growth(st), topicTable(st), poster(links));
}
