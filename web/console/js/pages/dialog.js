// A modal confirmation (the native <dialog>: focus kept inside, Esc
// closes it, focus back where it was). Resolves to the text typed (""
// when there is no field), or null if cancelled.
import { h } from '../dom.js';

export function askDialog({ title, text, label, confirm, required = false, danger = true }) {
  return new Promise((resolve) => {
    const back = document.activeElement;
    const field = label ? h('textarea', { id: 'dialogo-campo', class: 'form-control', rows: '3', required }) : null;
    const dialog = h('dialog', { class: 'console-dialog', 'aria-labelledby': 'dialogo-titolo' });
    const close = (value) => {
      dialog.close();
      dialog.remove();
      if (back && back.focus) back.focus();
      resolve(value);
    };
    const form = h('form', { method: 'dialog', onsubmit: (ev) => {
      ev.preventDefault();
      if (field && required && !field.value.trim()) { field.focus(); return; }
      close(field ? field.value.trim() : '');
    } },
    h('h2', { class: 'h4', id: 'dialogo-titolo' }, title),
    text ? h('p', {}, text) : null,
    field ? h('div', { class: 'mb-3' }, h('label', { for: 'dialogo-campo', class: 'form-label' }, label), field) : null,
    h('div', { class: 'd-flex gap-2 justify-content-end' },
      h('button', { type: 'button', class: 'btn btn-outline-secondary', id: 'dialogo-annulla', onclick: () => close(null) }, 'Indietro'),
      h('button', { type: 'submit', class: `btn ${danger ? 'btn-danger' : 'btn-primary'}`, id: 'dialogo-conferma' }, confirm)));
    dialog.append(form);
    dialog.addEventListener('cancel', (ev) => { ev.preventDefault(); close(null); });
    document.body.append(dialog);
    dialog.showModal();
    (field || dialog.querySelector('#dialogo-annulla')).focus();
  });
}
