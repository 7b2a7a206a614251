// In corso: the notice's messages over time (GET .../timeline), as bars
// drawn in SVG (no library) with the same numbers in a table for screen
// readers (the drawing hidden from them, the table from the eye); and the
// failure reasons in words.
import { h } from '../dom.js';

const NS = 'http://www.w3.org/2000/svg';
const W = 640, H = 240, LEFT = 40, RIGHT = 8, TOP = 12, BOTTOM = 28;

// Provider codes in words (WhatsApp Cloud API, Telegram Bot API); other
// codes as "codice N".
const REASONS = {
  131026: 'numero non raggiungibile su WhatsApp',
  131047: 'più di 24 ore dall\'ultimo messaggio della persona',
  131049: 'WhatsApp non l\'ha consegnato (limite per persona)',
  131050: 'l\'utente ha bloccato i messaggi di marketing/utility',
  131051: 'tipo di messaggio non supportato',
  131048: 'limite anti-spam del numero',
  131056: 'troppi messaggi alla stessa persona',
  130429: 'limite di velocità di WhatsApp',
  132000: 'parametri del modello non validi',
  132001: 'modello inesistente o non approvato',
  132015: 'modello sospeso',
  132016: 'modello disattivato',
  131000: 'errore generico del fornitore',
  131005: 'accesso negato dal fornitore',
  131031: 'account WhatsApp bloccato',
  133010: 'numero del Comune non registrato',
  403: 'bot bloccato dall\'utente Telegram',
  400: 'chat Telegram inesistente',
  429: 'troppe richieste a Telegram',
  unknown: 'motivo sconosciuto',
};

// The provider's error titles the ledger keeps in place of a code.
const TITLES = {
  'Message undeliverable': 131026,
  'Re-engagement message': 131047,
  'Healthy ecosystem engagement': 131049,
  'Forbidden: bot was blocked by the user': 403,
  'Bad Request: chat not found': 400,
};

// "131026" or "code 131026" or a provider's title: the reason for a person.
export function reasonText(key) {
  const code = String(key).replace(/^code /, '');
  if (REASONS[code]) return REASONS[code];
  if (REASONS[TITLES[code]]) return REASONS[TITLES[code]];
  return /^\d+$/.test(code) ? `codice ${code}` : code.replace(/_/g, ' ');
}

function s(tag, attrs = {}, ...children) {
  const el = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  for (const c of children) el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return el;
}

// "10:15" (or "3 dic, 10:15" for steps of an hour or more) in the comune's zone.
function clock(iso, tz, step) {
  const o = step >= 3600 ? { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' }
    : { hour: '2-digit', minute: '2-digit', second: step < 60 ? '2-digit' : undefined };
  return new Date(iso).toLocaleString('it-IT', { ...o, timeZone: tz || undefined });
}

function top(buckets) {
  const max = Math.max(2, ...buckets.map((b) => Math.max(b.sent, b.failed)));
  return max % 2 ? max + 1 : max;
}

// Per interval two bars: sent, with delivered and read drawn over it (each
// is part of the one before), and failed.
function drawing(t) {
  const b = t.buckets, max = top(b);
  const plotH = H - TOP - BOTTOM, slot = (W - LEFT - RIGHT) / b.length;
  const bar = Math.min(24, Math.max(1, slot / 2 - 1));   // few intervals: no wall-wide bars
  const y = (v) => TOP + plotH - (v * plotH) / max;
  const svg = s('svg', { viewBox: `0 0 ${W} ${H}`, class: 'growth-chart timeline-chart', 'aria-hidden': 'true', focusable: 'false' });
  for (const v of [0, max / 2, max])
    svg.append(s('line', { x1: LEFT, x2: W - RIGHT, y1: y(v), y2: y(v), class: 'grid' }),
      s('text', { x: LEFT - 6, y: y(v) + 4, 'text-anchor': 'end', class: 'axis' }, v));
  const every = Math.max(1, Math.ceil(b.length / 6));
  b.forEach((d, i) => {
    const x = LEFT + i * slot + slot / 2 - bar, when = clock(d.at, t.time_zone, t.step_s);
    for (const [k, label] of [['sent', 'inviati'], ['delivered', 'consegnati'], ['read', 'letti']])
      if (d[k]) svg.append(s('rect', { x, y: y(d[k]), width: bar, height: y(0) - y(d[k]), class: `tl-${k}` },
        s('title', {}, `${when}: ${d[k]} ${label}`)));
    if (d.failed) svg.append(s('rect', { x: x + bar, y: y(d.failed), width: bar, height: y(0) - y(d.failed), class: 'tl-failed' },
      s('title', {}, `${when}: ${d.failed} non riusciti`)));
    if (i % every === 0)
      svg.append(s('text', { x: x + bar, y: H - 8, 'text-anchor': 'middle', class: 'axis' }, when));
  });
  return svg;
}

function table(t, caption) {
  return h('table', { class: 'visually-hidden', id: 'tabella-andamento' },
    h('caption', {}, caption),
    h('thead', {}, h('tr', {}, ['Dalle', 'Inviati', 'Consegnati', 'Letti', 'Non riusciti']
      .map((c) => h('th', { scope: 'col' }, c)))),
    h('tbody', {}, t.buckets.map((d) => h('tr', {},
      h('th', { scope: 'row' }, clock(d.at, t.time_zone, t.step_s)),
      h('td', {}, d.sent), h('td', {}, d.delivered), h('td', {}, d.read), h('td', {}, d.failed)))));
}

// "ogni 30 secondi", "ogni 5 minuti", "ogni ora".
function every(step) {
  if (step < 60) return `ogni ${step} secondi`;
  if (step < 3600) return step === 60 ? 'ogni minuto' : `ogni ${step / 60} minuti`;
  if (step < 86400) return step === 3600 ? 'ogni ora' : `ogni ${step / 3600} ore`;
  return step === 86400 ? 'ogni giorno' : `ogni ${step / 86400} giorni`;
}

// The figure (or a sentence while nothing has been sent yet).
export function timelineChart(t) {
  if (!t.buckets.length) return h('p', { id: 'grafico-andamento' }, 'Ancora nessun messaggio inviato: il grafico apparirà con i primi invii.');
  const caption = `Messaggi nel tempo, ${every(t.step_s)} (ora del Comune)`;
  return h('figure', { class: 'growth mb-4', id: 'grafico-andamento' },
    h('figcaption', { class: 'fw-semibold mb-2' }, caption),
    drawing(t),
    h('p', { class: 'small mb-0', 'aria-hidden': 'true' },
      h('span', { class: 'legend-key tl-sent' }), ' inviati ',
      h('span', { class: 'legend-key tl-delivered ms-3' }), ' consegnati ',
      h('span', { class: 'legend-key tl-read ms-3' }), ' letti ',
      h('span', { class: 'legend-key tl-failed ms-3' }), ' non riusciti'),
    h('p', { class: 'small' }, 'Ogni messaggio è contato nell\'intervallo del suo ultimo cambiamento: un messaggio letto conta tra gli inviati, i consegnati e i letti quando è stato letto.'),
    table(t, caption));
}
