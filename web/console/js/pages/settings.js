// Impostazioni del Comune: quiet hours and time zone, the texts citizens
// read, the command keywords, the automatic reply's interval and the
// WhatsApp price (GET/PATCH /api/v1/comune; only the fields changed are
// sent), and the last changes, who made them and when.
import { call, explain } from '../api.js';
import { h, show, say } from '../dom.js';
import { session } from '../session.js';
import { field, fieldError, clearErrors, whenIn } from './fields.js';

const ZONES = ['Europe/Rome', 'Europe/San_Marino', 'Europe/Vatican', 'Europe/Zurich', 'Europe/Vienna',
  'Europe/Ljubljana', 'Europe/Paris', 'Europe/Berlin', 'UTC'];

// API field -> [input id, name in Modifiche recenti].
const FIELDS = {
  quiet_start: ['silenzio-inizio', 'Orario di silenzio, inizio'],
  quiet_end: ['silenzio-fine', 'Orario di silenzio, fine'],
  time_zone: ['fuso-orario', 'Fuso orario'],
  contact_text: ['testo-contatti', 'Testo dei contatti'],
  privacy_url: ['link-privacy', 'Link all\'informativa privacy'],
  join_keywords: ['parole-iscrizione', 'Parole per iscriversi'],
  leave_keywords: ['parole-cancellazione', 'Parole per cancellarsi'],
  topics_keywords: ['parole-argomenti', 'Parole per gli argomenti'],
  help_keywords: ['parole-aiuto', 'Parole per l\'aiuto'],
  auto_reply_every_s: ['risposta-ore', 'Risposta automatica'],
  wa_price_eur: ['prezzo-whatsapp', 'Costo WhatsApp per messaggio'],
};

// What a field takes, said when the API refuses a value.
const RULES = {
  quiet_start: 'un orario, ore e minuti', quiet_end: 'un orario, ore e minuti',
  time_zone: 'un fuso orario riconosciuto, per esempio Europe/Rome',
  contact_text: 'al massimo 1000 caratteri',
  privacy_url: 'un indirizzo che inizia con https:// (oppure vuoto)',
  join_keywords: 'parole singole di lettere o cifre, separate da virgole',
  leave_keywords: 'parole singole di lettere o cifre, separate da virgole',
  topics_keywords: 'parole singole di lettere o cifre, separate da virgole',
  help_keywords: 'parole singole di lettere o cifre, separate da virgole',
  auto_reply_every_s: 'un numero di ore da 0 a 8760',
  wa_price_eur: 'un importo da 0 a 9,9999 euro, per esempio 0,0300',
};

function fieldName(f) {
  if (f.startsWith('topic:')) return `Argomento «${f.slice(6)}»`;
  return FIELDS[f] ? FIELDS[f][1] : f;
}

function shown(field, v) {
  if (v === null || v === undefined) return '(nessuno)';
  if (v === '') return field.endsWith('_keywords') ? '(predefinite)' : '(vuoto)';
  return field.endsWith('_keywords') ? v.split(',').join(', ') : v;
}

function changesList(s) {
  if (!s.changes.length) return h('p', { id: 'modifiche-recenti' }, 'Nessuna modifica registrata.');
  return h('ul', { class: 'changes', id: 'modifiche-recenti' }, s.changes.map((c) => h('li', {},
    h('strong', {}, fieldName(c.field)), `: ${shown(c.field, c.old)} → ${shown(c.field, c.new)}`, h('br'),
    h('small', {}, `${whenIn(c.at, s.time_zone)} · ${c.actor}`))));
}

function keywordInput(list) {
  return h('input', { type: 'text', class: 'form-control', value: list.join(', '), autocapitalize: 'characters' });
}

function keywordHint(defaults) {
  return `Parole separate da virgole. Vuoto: quelle predefinite (${defaults.join(', ')}).`;
}

// The inputs for settings s, each read back as the API takes it.
function inputs(s) {
  const zones = ZONES.includes(s.time_zone) ? ZONES : [s.time_zone, ...ZONES];
  return {
    quiet_start: h('input', { type: 'time', class: 'form-control', value: s.quiet_start, required: true }),
    quiet_end: h('input', { type: 'time', class: 'form-control', value: s.quiet_end, required: true }),
    time_zone: h('select', { class: 'form-select' },
      zones.map((z) => h('option', { value: z, selected: z === s.time_zone }, z))),
    contact_text: Object.assign(h('textarea', { class: 'form-control', rows: '3', maxlength: '1000' }), { value: s.contact_text }),
    privacy_url: h('input', { type: 'url', class: 'form-control', value: s.privacy_url, placeholder: 'https://' }),
    join_keywords: keywordInput(s.join_keywords),
    leave_keywords: keywordInput(s.leave_keywords),
    topics_keywords: keywordInput(s.topics_keywords),
    help_keywords: keywordInput(s.help_keywords),
    auto_reply_every_s: h('input', { type: 'number', class: 'form-control', min: '0', max: '8760', step: 'any',
      value: String(s.auto_reply_every_s / 3600) }),
    wa_price_eur: h('input', { type: 'number', class: 'form-control', min: '0', max: '9.9999', step: '0.0001',
      value: Number(s.wa_price_eur).toFixed(4) }),
  };
}

// The value of input k as the API takes it.
function valueOf(k, el) {
  if (k.endsWith('_keywords')) return el.value.split(',').map((w) => w.trim()).filter(Boolean);
  if (k === 'auto_reply_every_s') return el.value === '' ? -1 : Math.round(Number(el.value) * 3600);
  if (k === 'wa_price_eur') return el.value.trim();
  return el.value;
}

function same(a, b) {
  return JSON.stringify(a) === JSON.stringify(b);
}

function form(s, inp, mayChange, onSave) {
  const kw = s.default_keywords;
  const f = (k, label, hint) => field(FIELDS[k][0], label, inp[k], hint);
  const fieldsets = [
    h('fieldset', {}, h('legend', {}, 'Orario di silenzio'),
      h('p', { class: 'small' }, 'Un avviso normale approvato in quest\'orario parte quando finisce; gli avvisi urgenti partono subito. Inizio e fine uguali: nessun orario di silenzio.'),
      h('div', { class: 'row' },
        h('div', { class: 'col-6 col-md-3' }, f('quiet_start', 'Inizio')),
        h('div', { class: 'col-6 col-md-3' }, f('quiet_end', 'Fine')),
        h('div', { class: 'col-12 col-md-6' }, f('time_zone', 'Fuso orario', 'Gli orari sono quelli di questo fuso.')))),
    h('fieldset', {}, h('legend', {}, 'Testi per i cittadini'),
      f('contact_text', 'Dove scrivere al Comune', 'Lo leggono i cittadini che scrivono al numero degli avvisi, nella risposta automatica. Al massimo 1000 caratteri.'),
      f('privacy_url', 'Link all\'informativa privacy', 'Indirizzo che inizia con https://')),
    h('fieldset', {}, h('legend', {}, 'Parole chiave'),
      h('div', { class: 'row' },
        h('div', { class: 'col-12 col-md-6' }, f('join_keywords', 'Per iscriversi', keywordHint(kw.join))),
        h('div', { class: 'col-12 col-md-6' }, f('leave_keywords', 'Per cancellarsi', keywordHint(kw.leave))),
        h('div', { class: 'col-12 col-md-6' }, f('topics_keywords', 'Per vedere gli argomenti', keywordHint(kw.topics))),
        h('div', { class: 'col-12 col-md-6' }, f('help_keywords', 'Per chiedere aiuto', keywordHint(kw.help))))),
    h('fieldset', {}, h('legend', {}, 'Risposte e costi'),
      h('div', { class: 'row' },
        h('div', { class: 'col-12 col-md-6' }, f('auto_reply_every_s', 'Risposta automatica, al massimo una ogni (ore)', 'A chi scrive un messaggio che non è un comando. 0: sempre.')),
        h('div', { class: 'col-12 col-md-6' }, f('wa_price_eur', 'Costo WhatsApp per messaggio (euro)', 'Quanto il Comune paga a Meta per ogni avviso consegnato su WhatsApp: serve alla stima dei costi.')))),
  ];
  if (!mayChange) for (const fs of fieldsets) fs.disabled = true;
  return h('form', { class: 'settings-form', id: 'impostazioni', novalidate: true, onsubmit: onSave },
    fieldsets,
    mayChange ? h('button', { type: 'submit', class: 'btn btn-primary', id: 'salva-impostazioni' }, 'Salva le impostazioni')
      : h('p', {}, 'Solo chi approva gli avvisi può cambiare le impostazioni.'));
}

export async function settingsPage() {
  const mayChange = session.me && session.me.role !== 'editor';
  let s = await call('GET', '/api/v1/comune');
  const inp = inputs(s);
  const recent = h('section', { class: 'mt-5 mb-4', 'aria-labelledby': 'titolo-modifiche' },
    h('h2', { class: 'h4', id: 'titolo-modifiche' }, 'Modifiche recenti'), changesList(s));

  async function onSave(ev) {
    ev.preventDefault();
    const root = document.getElementById('impostazioni');
    clearErrors(root);
    const body = {};
    for (const [k, el] of Object.entries(inp)) {
      const v = valueOf(k, el);
      const old = k === 'wa_price_eur' ? Number(s.wa_price_eur).toFixed(4) : s[k];
      if (!same(v, old)) body[k] = v;
    }
    if (!Object.keys(body).length) { say('Nessuna modifica da salvare.', 'info'); return; }
    try {
      s = await call('PATCH', '/api/v1/comune', body);
      recent.replaceChildren(h('h2', { class: 'h4', id: 'titolo-modifiche' }, 'Modifiche recenti'), changesList(s));
      say(`Impostazioni salvate (${Object.keys(body).length === 1 ? '1 modifica' : `${Object.keys(body).length} modifiche`}): valgono per tutti i servizi entro pochi secondi.`, 'success');
    } catch (err) {
      const b = err.body || {};
      const id = FIELDS[b.field] ? FIELDS[b.field][0] : null;
      let text = explain(err);
      if (err.status === 400) text = `Valore non valido: ${RULES[b.field] || b.message}.`;
      else if (err.status === 409) text = `Parola già in uso: è la parola chiave dell'argomento «${b.topic || '?'}». Toglila da qui o cambia quella dell'argomento.`;
      if (!id || !fieldError(id, text)) say(text, 'danger');
    }
  }

  show(
    h('h1', { class: 'h2 mb-3' }, 'Impostazioni del Comune'),
    h('p', {}, `${s.name}. Ciò che cambi qui vale per i messaggi ai cittadini e per gli avvisi entro pochi secondi.`),
    form(s, inp, mayChange, onSave),
    recent);
}
