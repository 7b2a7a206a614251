// Argomenti: the comune's topics (GET /api/v1/topics) with their keyword
// and how many active subscribers chose each; for approvers, a form to
// add one, a dialog to rename it or change its keyword, and deletion
// after a confirmation (refused by the server while a notice or a
// subscriber uses it).
import { call, explain } from '../api.js';
import { h, show, say } from '../dom.js';
import { session } from '../session.js';
import { askDialog } from './dialog.js';
import { field, fieldError, clearErrors } from './fields.js';

const FIELDS = { slug: 'slug', name: 'nome', keyword: 'parola' };
const RULES = {
  slug: 'da 1 a 32 tra lettere minuscole, cifre, - e _',
  name: 'da 1 a 60 caratteri, su una riga',
  keyword: 'una sola parola di 2-32 lettere o cifre',
};
const CLASH = {
  join: 'una parola per iscriversi', leave: 'una parola per cancellarsi',
  topics: 'una parola per vedere gli argomenti', help: 'una parola per chiedere aiuto',
  reserved: 'una parola riservata (CONFERMA, TUTTI, TUTTE)', topic: 'la parola chiave di un altro argomento',
};

// The API's error for the form whose ids start with prefix: on its field, or said.
function showError(err, prefix, root) {
  const b = err.body || {};
  const id = FIELDS[b.field] ? `${prefix}-${FIELDS[b.field]}` : null;
  let text;
  if (err.status === 409 && b.field === 'keyword')
    text = `Parola chiave già in uso: è ${CLASH[b.clash] || 'già usata'}${b.topic ? ` («${b.topic}»)` : ''}. Scegline un'altra.`;
  else if (err.status === 409 && b.field === 'slug') text = 'Esiste già un argomento con questo identificativo.';
  else if (err.status === 400) text = `Valore non valido: ${RULES[b.field] || b.message}.`;
  else text = explain(err);
  clearErrors(root);
  if (!id || !fieldError(id, text)) say(text, 'danger');
}

// "Strade e viabilità" -> slug "strade-e-viabilita", keyword "STRADE".
function slugOf(name) {
  return name.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase()
    .replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 32);
}
function keywordOf(name) {
  const first = name.normalize('NFD').replace(/[\u0300-\u036f]/g, '').split(/[^A-Za-z0-9]+/).find(Boolean) || '';
  return first.toUpperCase().slice(0, 32);
}

function addForm(reload) {
  const name = h('input', { type: 'text', class: 'form-control', required: true, maxlength: '60' });
  const keyword = h('input', { type: 'text', class: 'form-control', required: true, maxlength: '32', autocapitalize: 'characters' });
  const slug = h('input', { type: 'text', class: 'form-control', required: true, maxlength: '32', pattern: '[a-z0-9_\\-]{1,32}' });
  let touched = false;
  keyword.addEventListener('input', () => { touched = true; });
  slug.addEventListener('input', () => { touched = true; });
  name.addEventListener('input', () => {
    if (touched) return;
    slug.value = slugOf(name.value);
    keyword.value = keywordOf(name.value);
  });
  const form = h('form', { id: 'nuovo-argomento', novalidate: true, onsubmit: async (ev) => {
    ev.preventDefault();
    clearErrors(form);
    try {
      const t = await call('POST', '/api/v1/topics', { slug: slug.value.trim(), name: name.value.trim(), keyword: keyword.value.trim() });
      await reload();
      say(`Argomento «${t.name}» aggiunto: i cittadini lo scelgono scrivendo ${t.keyword}.`, 'success');
    } catch (err) {
      showError(err, 'nuovo', form);
    }
  } },
  h('div', { class: 'row' },
    h('div', { class: 'col-12 col-md-4' }, field('nuovo-nome', 'Nome', name, 'Come lo leggono i cittadini, per esempio «Strade e viabilità».')),
    h('div', { class: 'col-12 col-md-4' }, field('nuovo-parola', 'Parola chiave', keyword, 'Una parola, lettere e cifre: chi la scrive su WhatsApp sceglie l\'argomento.')),
    h('div', { class: 'col-12 col-md-4' }, field('nuovo-slug', 'Identificativo', slug, 'Minuscole, cifre, - e _: compare negli avvisi e nei link. Non si cambia più.'))),
  h('button', { type: 'submit', class: 'btn btn-primary', id: 'aggiungi-argomento' }, 'Aggiungi l\'argomento'));
  return h('section', { class: 'mb-4', 'aria-labelledby': 'titolo-nuovo' },
    h('h2', { class: 'h4', id: 'titolo-nuovo' }, 'Aggiungi un argomento'), form);
}

// The dialog to rename t or change its keyword; resolves when closed.
function editDialog(t, reload) {
  return new Promise((resolve) => {
    const back = document.activeElement;
    const name = h('input', { type: 'text', class: 'form-control', value: t.name, maxlength: '60' });
    const keyword = h('input', { type: 'text', class: 'form-control', value: t.keyword, maxlength: '32' });
    const dialog = h('dialog', { class: 'console-dialog', 'aria-labelledby': 'modifica-titolo' });
    const close = () => { dialog.close(); dialog.remove(); if (back && back.focus) back.focus(); resolve(); };
    const form = h('form', { method: 'dialog', novalidate: true, onsubmit: async (ev) => {
      ev.preventDefault();
      clearErrors(form);
      const body = {};
      if (name.value.trim() !== t.name) body.name = name.value.trim();
      if (keyword.value.trim().toUpperCase() !== t.keyword) body.keyword = keyword.value.trim();
      if (!Object.keys(body).length) { close(); return; }
      try {
        const u = await call('PATCH', `/api/v1/topics/${encodeURIComponent(t.slug)}`, body);
        close();
        await reload();
        say(`Argomento «${u.name}» salvato (parola chiave ${u.keyword}).`, 'success');
      } catch (err) {
        showError(err, 'modifica', form);
      }
    } },
    h('h2', { class: 'h4', id: 'modifica-titolo' }, `Modifica «${t.name}»`),
    field('modifica-nome', 'Nome', name),
    field('modifica-parola', 'Parola chiave', keyword, 'Chi si era iscritto all\'argomento resta iscritto.'),
    h('div', { class: 'd-flex gap-2 justify-content-end' },
      h('button', { type: 'button', class: 'btn btn-outline-secondary', id: 'modifica-annulla', onclick: close }, 'Indietro'),
      h('button', { type: 'submit', class: 'btn btn-primary', id: 'modifica-salva' }, 'Salva')));
    dialog.append(form);
    dialog.addEventListener('cancel', (ev) => { ev.preventDefault(); close(); });
    document.body.append(dialog);
    dialog.showModal();
    name.focus();
  });
}

async function remove(t, reload) {
  const ok = await askDialog({
    title: `Eliminare l'argomento «${t.name}»?`,
    text: 'Si può eliminare solo un argomento che nessun avviso usa e nessun iscritto ha scelto.',
    confirm: 'Elimina',
  });
  if (ok === null) return;
  try {
    await call('DELETE', `/api/v1/topics/${encodeURIComponent(t.slug)}`);
    await reload();
    say(`Argomento «${t.name}» eliminato.`, 'success');
  } catch (err) {
    if (err.status === 409) say(`«${t.name}» non si può eliminare: è usato da avvisi o scelto da iscritti. Puoi rinominarlo.`, 'warning');
    else say(explain(err), 'danger');
  }
}

function table(list, mayChange, reload) {
  if (!list.length) return h('p', { id: 'nessun-argomento' }, 'Il Comune non ha ancora argomenti: gli iscritti ricevono tutti gli avvisi.');
  return h('div', { class: 'table-responsive' }, h('table', { class: 'table', id: 'tabella-temi' },
    h('caption', { class: 'visually-hidden' }, 'Argomenti del Comune'),
    h('thead', {}, h('tr', {},
      h('th', { scope: 'col' }, 'Argomento'), h('th', { scope: 'col' }, 'Parola chiave'),
      h('th', { scope: 'col' }, 'Identificativo'), h('th', { scope: 'col' }, 'Iscritti che l\'hanno scelto'),
      mayChange ? h('th', { scope: 'col' }, 'Azioni') : null)),
    h('tbody', {}, list.map((t) => h('tr', { 'data-slug': t.slug },
      h('th', { scope: 'row' }, t.name), h('td', {}, h('code', {}, t.keyword)), h('td', {}, t.slug),
      h('td', {}, t.subscribers),
      mayChange ? h('td', { class: 'text-nowrap' },
        h('button', { type: 'button', class: 'btn btn-sm btn-outline-primary me-2', 'data-azione': 'modifica',
          'aria-label': `Modifica ${t.name}`, onclick: () => editDialog(t, reload) }, 'Modifica'),
        h('button', { type: 'button', class: 'btn btn-sm btn-outline-danger', 'data-azione': 'elimina',
          'aria-label': `Elimina ${t.name}`, onclick: () => remove(t, reload) }, 'Elimina')) : null)))));
}

export async function topicsPage() {
  const mayChange = session.me && session.me.role !== 'editor';
  const area = h('section', { id: 'elenco-temi', 'aria-labelledby': 'titolo-elenco' });
  async function reload() {
    const data = await call('GET', '/api/v1/topics');
    area.replaceChildren(h('h2', { class: 'h4', id: 'titolo-elenco' }, 'Argomenti del Comune'),
      table(data.topics, mayChange, reload));
  }
  await reload();
  show(
    h('h1', { class: 'h2 mb-3' }, 'Argomenti'),
    h('p', {}, 'I cittadini scelgono gli argomenti che li interessano scrivendo la parola chiave; '
      + 'chi non sceglie riceve tutti gli avvisi.'),
    area,
    mayChange ? addForm(reload) : h('p', {}, 'Solo chi approva gli avvisi può cambiare gli argomenti.'));
}
