// Small DOM helpers: elements built from data (never HTML strings from
// the server), the status messages read out by screen readers, the
// Italian names of states and dates.

// h('p', {class: 'x', onclick: fn}, 'text', child...): an element.
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.className = v;
    else if (k === 'text') el.textContent = v;
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

// Replaces the page's content and moves the focus to its heading, so a
// screen reader announces the new page and Tab starts from there.
export function show(...children) {
  const page = document.getElementById('pagina');
  page.replaceChildren(...children.filter((c) => c !== null && c !== undefined && c !== false));
  const h1 = page.querySelector('h1');
  if (h1) {
    h1.setAttribute('tabindex', '-1');
    h1.focus();
    document.title = `${h1.textContent} · Banditore`;
  }
}

// A status message (aria-live region): kind is success, danger, info, warning.
export function say(text, kind = 'info') {
  const box = document.getElementById('messaggi');
  const alert = h('div', { class: `alert alert-${kind}`, role: kind === 'danger' ? 'alert' : null }, text);
  box.replaceChildren(alert);
}

let pending = null;   // a message for the next page (sayNext)

// A status message for the page the address changes to next (a message
// said before navigating would be cleared with the old page's).
export function sayNext(text, kind = 'info') {
  pending = [text, kind];
}

// Clears the messages of the page left; says the one kept for the next.
export function clearMessages() {
  document.getElementById('messaggi').replaceChildren();
  if (pending) {
    say(...pending);
    pending = null;
  }
}

export const STATES = {
  draft: 'Bozza', submitted: 'Da approvare', rejected: 'Respinto', approved: 'Approvato',
  scheduled: 'Programmato', sending: 'In invio', paused: 'In pausa', sent: 'Inviato',
  cancelled: 'Annullato',
};

export const ACTIONS = {
  create: 'ha creato l\'avviso', edit: 'ha modificato il testo', submit: 'ha chiesto l\'approvazione',
  approve: 'ha approvato', reject: 'ha respinto', schedule: 'ha programmato l\'invio',
  cancel: 'ha annullato', pause: 'ha messo in pausa', resume: 'ha ripreso l\'invio',
  fanout: 'invio avviato', sent: 'invio concluso', test_send: 'ha inviato una prova a sé',
};

// A notice's categories, as the API names them, in words.
export const CATEGORIES = { other: 'Altro', outage: 'Interruzione di servizio', roads: 'Strade e viabilità',
  weather: 'Meteo', civil_protection: 'Protezione civile', waste: 'Rifiuti', deadline: 'Scadenze', event: 'Eventi' };

export const CHANNELS = { whatsapp: 'WhatsApp', telegram: 'Telegram (bot)', telegram_channel: 'Canale Telegram' };

export function stateBadge(status) {
  const color = { draft: 'secondary', submitted: 'warning', rejected: 'danger', sending: 'primary',
    sent: 'success', cancelled: 'dark', paused: 'warning' }[status] || 'info';
  return h('span', { class: `badge bg-${color}${color === 'warning' ? ' text-dark' : ''}` },
    STATES[status] || status);
}

// "3 dicembre 2026, 10:15" in Italian time (the comuni's zone), whatever
// the browser's own: a time reads the same on every editor's screen.
export function when(iso) {
  if (!iso) return '—';
  const d = new Date(iso);
  return d.toLocaleString('it-IT', { dateStyle: 'long', timeStyle: 'short', timeZone: 'Europe/Rome' });
}

// Characters as a person counts them (code points, not UTF-16 units).
export function chars(text) {
  return [...text].length;
}

// An ISO time as a datetime-local field's value (the browser's time), or ''.
export function localInputValue(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  const pad = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}
