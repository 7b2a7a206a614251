// Form fields with a label, a hint and an error said in words next to
// the field (aria-describedby names both), for Argomenti and
// Impostazioni: field() builds one, fieldError() shows the API's 400 or
// 409 on the field it names, clearErrors() empties them all.
import { h } from '../dom.js';

// field('silenzio-inizio', 'Inizio', input, 'hint'): the block, with the
// input's id set and described by its hint and its error.
export function field(id, label, input, hint) {
  input.id = id;
  input.setAttribute('aria-describedby', `${hint ? `${id}-aiuto ` : ''}${id}-errore`);
  return h('div', { class: 'mb-3 campo' },
    h('label', { for: id, class: 'form-label fw-semibold' }, label), input,
    hint ? h('small', { id: `${id}-aiuto`, class: 'form-text d-block' }, hint) : null,
    h('p', { id: `${id}-errore`, class: 'campo-errore mb-0', hidden: true }));
}

// Shows text as the error of the field with that id, and focuses it.
export function fieldError(id, text) {
  const input = document.getElementById(id);
  const box = document.getElementById(`${id}-errore`);
  if (!input || !box) return false;
  box.textContent = text;
  box.hidden = false;
  input.setAttribute('aria-invalid', 'true');
  input.focus();
  return true;
}

// Clears every field error inside root.
export function clearErrors(root) {
  for (const box of root.querySelectorAll('.campo-errore')) {
    box.hidden = true;
    box.textContent = '';
  }
  for (const input of root.querySelectorAll('[aria-invalid="true"]')) input.removeAttribute('aria-invalid');
}

// "3 dicembre 2026, 14:05" in the comune's time zone.
export function whenIn(iso, timeZone) {
  try {
    return new Date(iso).toLocaleString('it-IT', { dateStyle: 'long', timeStyle: 'short', timeZone });
  } catch (e) {
    return new Date(iso).toLocaleString('it-IT', { dateStyle: 'long', timeStyle: 'short' });
  }
}
