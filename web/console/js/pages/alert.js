// Avviso consortile (consortium staff): one alert for several comuni of
// the consortium (POST /api/v1/alerts): one notice per comune, already
// submitted, each approved in its comune. Then the group: per comune its
// state and a link to its notice, and what citizens will receive.
import { call, explain } from '../api.js';
import { h, show, say, chars, stateBadge, CATEGORIES } from '../dom.js';
import { session } from '../session.js';
import { myComuni } from './comuni.js';
import { previewBlock } from './preview.js';

const LIMITS = { titolo: 120, testo: 3000 };

function field(id, label, input, hint) {
  if (hint) input.setAttribute('aria-describedby', `${id}-aiuto`);
  return h('div', { class: 'mb-4' },
    h('label', { for: id, class: 'form-label fw-semibold' }, label), input,
    hint ? h('small', { id: `${id}-aiuto`, class: 'form-text d-block' }, hint) : null);
}

// A text input with its count of characters (code points).
function counted(input, max) {
  const counter = h('small', { class: 'counter d-block', id: `${input.id}-conta` });
  const update = () => {
    const n = chars(input.value);
    counter.textContent = `${n} caratteri su ${max}`;
    counter.classList.toggle('over', n > max);
  };
  input.setAttribute('aria-describedby', counter.id);
  input.addEventListener('input', update);
  update();
  return [input, counter];
}

export async function alertPage() {
  if (!session.me || session.me.role !== 'consortium') {
    show(h('h1', { class: 'h2' }, 'Avviso consortile'),
      h('p', {}, 'Solo il personale del consorzio può inviare un avviso a più Comuni.'));
    return;
  }
  const comuni = await myComuni();
  const boxes = comuni.map((c) => h('input', { type: 'checkbox', class: 'form-check-input', id: `comune-${c.id}`,
    value: c.id, name: 'comuni' }));
  const all = h('button', { type: 'button', class: 'btn btn-sm btn-outline-primary mb-2', id: 'seleziona-tutti',
    onclick: () => {
      const on = !boxes.every((b) => b.checked);
      boxes.forEach((b) => { b.checked = on; });
      all.textContent = on ? 'Deseleziona tutti' : 'Seleziona tutti';
    } }, 'Seleziona tutti');
  const title = h('input', { type: 'text', id: 'titolo', class: 'form-control', required: true });
  const body = h('textarea', { id: 'testo', class: 'form-control', rows: '6', required: true });
  const link = h('input', { type: 'url', id: 'link', class: 'form-control', placeholder: 'https://' });
  const topics = h('input', { type: 'text', id: 'argomenti', class: 'form-control' });
  const category = h('select', { id: 'categoria', class: 'form-select' },
    Object.entries(CATEGORIES).map(([k, v]) => h('option', { value: k, selected: k === 'civil_protection' }, v)));
  const urgent = h('input', { type: 'checkbox', id: 'urgente', class: 'form-check-input', checked: true });
  const result = h('section', { id: 'gruppo', 'aria-labelledby': 'titolo-gruppo', hidden: true });

  async function onSubmit(ev) {
    ev.preventDefault();
    const chosen = boxes.filter((b) => b.checked).map((b) => b.value);
    if (!chosen.length) { say('Scegli almeno un Comune.', 'danger'); boxes[0].focus(); return; }
    const req = { comuni: chosen, title: title.value.trim(), body: body.value, category: category.value,
      urgent: urgent.checked, topics: topics.value.split(',').map((t) => t.trim()).filter(Boolean) };
    if (link.value.trim()) req.link = link.value.trim();
    try {
      const r = await call('POST', '/api/v1/alerts', req);
      say(`Avviso consortile creato per ${r.notices.length} Comuni: ora lo approva ciascun Comune.`, 'success');
      await showGroup(r, comuni, result);
    } catch (err) {
      say(err.status === 403 && err.body.field === 'comuni'
        ? 'Uno dei Comuni scelti non è tra quelli del tuo consorzio.' : explain(err), 'danger');
    }
  }

  show(
    h('h1', { class: 'h2 mb-3' }, 'Avviso consortile'),
    h('p', {}, 'Un avviso per più Comuni del consorzio: ogni Comune riceve il proprio avviso, già inviato per l\'approvazione, che parte dal suo numero WhatsApp e dal suo bot una volta approvato.'),
    h('form', { id: 'form-consortile', onsubmit: onSubmit, 'aria-label': 'Avviso consortile' },
      h('fieldset', { class: 'mb-4' },
        h('legend', { class: 'form-label fw-semibold fs-6' }, 'Comuni'),
        all,
        h('div', { id: 'elenco-comuni' }, comuni.map((c, i) => h('div', { class: 'form-check' }, boxes[i],
          h('label', { for: boxes[i].id, class: 'form-check-label' }, c.name))))),
      field('titolo', 'Titolo', h('div', {}, ...counted(title, LIMITS.titolo))),
      field('testo', 'Testo', h('div', {}, ...counted(body, LIMITS.testo))),
      field('link', 'Link (facoltativo)', link, 'Un indirizzo https://. Senza link, il messaggio rimanda alla pagina dell\'avviso nell\'archivio di ciascun Comune.'),
      field('argomenti', 'Argomenti (facoltativo)', topics, 'Separati da virgola. Senza argomenti l\'avviso va a tutti gli iscritti di ogni Comune.'),
      field('categoria', 'Categoria', category),
      h('div', { class: 'form-check mb-4' }, urgent,
        h('label', { for: 'urgente', class: 'form-check-label fw-semibold' }, 'Urgente (parte anche nelle ore di silenzio)')),
      h('button', { type: 'submit', class: 'btn btn-primary', id: 'invia-consortile' }, 'Invia ai Comuni scelti per l\'approvazione')),
    result);
}

// The notice, once the composer has applied it (a read may briefly 409/404).
async function settled(id, tries = 10) {
  for (let i = 0; ; i++) {
    try { return await call('GET', `/api/v1/notices/${id}`); } catch (err) {
      if (i >= tries || ![404, 409, 503].includes(err.status)) throw err;
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}

async function showGroup(r, comuni, box) {
  const name = (id) => (comuni.find((c) => c.id === id) || { name: id }).name;
  const rows = await Promise.all(r.notices.map(async (n) => {
    let status = n.status;
    try { status = (await settled(n.id)).status; } catch (err) { /* the state sent back stays */ }
    return h('tr', {}, h('th', { scope: 'row' }, name(n.comune_id)), h('td', {}, stateBadge(status)),
      h('td', {}, h('a', { href: `#/avvisi/${n.id}` }, 'apri l\'avviso')));
  }));
  let preview = null;
  try {
    preview = previewBlock(await call('GET', `/api/v1/notices/${r.notices[0].id}/preview`));
  } catch (err) { /* the table is what matters */ }
  box.hidden = false;
  box.replaceChildren(
    h('h2', { class: 'h4 mt-4', id: 'titolo-gruppo', tabindex: '-1' }, 'Avvisi creati'),
    h('p', { class: 'small' }, `Gruppo ${r.group_id}`),
    h('table', { class: 'table', id: 'tabella-gruppo' },
      h('caption', { class: 'visually-hidden' }, 'Un avviso per Comune'),
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Comune'), h('th', { scope: 'col' }, 'Stato'),
        h('th', { scope: 'col' }, 'Avviso'))),
      h('tbody', {}, rows)),
    preview ? h('h3', { class: 'h5' }, `Cosa riceveranno i cittadini (${name(r.notices[0].comune_id)})`) : null,
    preview);
  box.querySelector('h2').focus();
}
