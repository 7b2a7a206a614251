// Persone (approvers only; the server refuses everybody else): the
// comune's console accounts (GET /api/v1/staff), add a person, disable or
// enable them, give a new password. Alert numbers are shown masked; a
// generated password is shown once, on this screen, and never stored.
import { call, explain } from '../api.js';
import { h, show, say, when } from '../dom.js';
import { session } from '../session.js';
import { askDialog } from './dialog.js';

const ROLE_NAMES = { editor: 'Redattore', approver: 'Approvatore', consortium: 'Consorzio' };
const PW_CHARS = 'abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';

// A one-time password: 14 characters from the browser's CSPRNG.
export function onetimePassword(n = 14) {
  const bytes = crypto.getRandomValues(new Uint8Array(n * 2));
  let out = '';
  for (const b of bytes) {
    if (b >= 256 - (256 % PW_CHARS.length)) continue;   /* no bias */
    out += PW_CHARS[b % PW_CHARS.length];
    if (out.length === n) break;
  }
  return out.length === n ? out : onetimePassword(n);
}

// "whatsapp:+39*******12" (the API's redaction) as "WhatsApp +39 *** ** 12".
export function maskedAlert(alert) {
  if (!alert) return '—';
  const [kind, addr] = [alert.slice(0, alert.indexOf(':')), alert.slice(alert.indexOf(':') + 1)];
  const tail = addr.slice(-2);
  if (kind === 'whatsapp') return `WhatsApp ${addr.slice(0, 3)} *** ** ${tail}`;
  return `Telegram, chat *** ${tail}`;
}

// The password shown once, with the words to pass it on.
function showPassword(box, login, pw) {
  box.hidden = false;
  box.replaceChildren(
    h('h2', { class: 'h5', id: 'titolo-password', tabindex: '-1' }, `Password temporanea di ${login}`),
    h('p', {}, 'Comunicala alla persona di persona o per telefono: qui non sarà più mostrata.'),
    h('p', {}, h('code', { id: 'password-mostrata', class: 'fs-5' }, pw)),
    h('button', { type: 'button', class: 'btn btn-sm btn-outline-primary', onclick: () => { box.hidden = true; box.replaceChildren(); } },
      'Fatto, nascondi'));
  box.querySelector('h2').focus();
}

function addForm(reload, pwBox) {
  const name = h('input', { type: 'text', id: 'p-nome', class: 'form-control', required: true, maxlength: '120', autocomplete: 'off' });
  const login = h('input', { type: 'text', id: 'p-login', class: 'form-control', required: true, pattern: '[a-z0-9][a-z0-9._\\-]{0,62}',
    autocomplete: 'off', 'aria-describedby': 'p-login-aiuto' });
  const role = h('select', { id: 'p-ruolo', class: 'form-select' },
    h('option', { value: 'editor' }, 'Redattore (scrive avvisi)'), h('option', { value: 'approver' }, 'Approvatore (approva e gestisce le persone)'));
  const gen = h('input', { type: 'radio', name: 'p-pw', id: 'p-pw-genera', class: 'form-check-input', checked: true });
  const own = h('input', { type: 'radio', name: 'p-pw', id: 'p-pw-scrivi', class: 'form-check-input' });
  const pw = h('input', { type: 'password', id: 'p-password', class: 'form-control', minlength: '10', autocomplete: 'new-password',
    'aria-describedby': 'p-password-aiuto', disabled: true });
  for (const r of [gen, own]) r.addEventListener('change', () => { pw.disabled = gen.checked; });
  const kind = h('select', { id: 'p-avviso-tipo', class: 'form-select' },
    h('option', { value: '' }, 'Nessuno'), h('option', { value: 'whatsapp' }, 'WhatsApp'), h('option', { value: 'telegram' }, 'Telegram'));
  const addr = h('input', { type: 'text', id: 'p-avviso', class: 'form-control', autocomplete: 'off', inputmode: 'tel',
    'aria-describedby': 'p-avviso-aiuto' });

  async function onSubmit(ev) {
    ev.preventDefault();
    const generated = gen.checked;
    const password = generated ? onetimePassword() : pw.value;
    const body = { name: name.value.trim(), login: login.value.trim(), role: role.value, password };
    if (kind.value && addr.value.trim()) body.alert = `${kind.value}:${addr.value.trim()}`;
    try {
      await call('POST', '/api/v1/staff', body);
      say(`${body.name} può accedere alla console come «${body.login}».`, 'success');
      ev.target.reset();
      pw.disabled = true;
      await reload();
      if (generated) showPassword(pwBox, body.login, password);
    } catch (err) {
      say(err.status === 409 ? `Esiste già una persona con l'accesso «${body.login}».` : explain(err), 'danger');
    }
  }

  return h('form', { id: 'form-persona', onsubmit: onSubmit, 'aria-labelledby': 'titolo-aggiungi' },
    h('h2', { class: 'h4', id: 'titolo-aggiungi' }, 'Aggiungi una persona'),
    h('div', { class: 'row g-3' },
      h('div', { class: 'col-12 col-md-6' }, h('label', { for: 'p-nome', class: 'form-label fw-semibold' }, 'Nome e cognome'), name),
      h('div', { class: 'col-12 col-md-6' }, h('label', { for: 'p-login', class: 'form-label fw-semibold' }, 'Nome di accesso'), login,
        h('small', { id: 'p-login-aiuto', class: 'form-text d-block' }, 'Lettere minuscole, cifre, punto, trattino: ad esempio «anna.rossi».')),
      h('div', { class: 'col-12 col-md-6' }, h('label', { for: 'p-ruolo', class: 'form-label fw-semibold' }, 'Ruolo'), role),
      h('fieldset', { class: 'col-12 col-md-6' },
        h('legend', { class: 'form-label fw-semibold fs-6' }, 'Password'),
        h('div', { class: 'form-check' }, gen, h('label', { for: 'p-pw-genera', class: 'form-check-label' }, 'Genera una password temporanea (mostrata una volta)')),
        h('div', { class: 'form-check' }, own, h('label', { for: 'p-pw-scrivi', class: 'form-check-label' }, 'La scrivo io')),
        h('label', { for: 'p-password', class: 'form-label' }, 'Password scelta'), pw,
        h('small', { id: 'p-password-aiuto', class: 'form-text d-block' }, 'Almeno 10 caratteri.')),
      h('div', { class: 'col-12 col-md-6' }, h('label', { for: 'p-avviso-tipo', class: 'form-label fw-semibold' }, 'Avvisi di allerta a (facoltativo)'), kind),
      h('div', { class: 'col-12 col-md-6' }, h('label', { for: 'p-avviso', class: 'form-label fw-semibold' }, 'Numero WhatsApp o chat Telegram'), addr,
        h('small', { id: 'p-avviso-aiuto', class: 'form-text d-block' }, 'Ad esempio +39 333 123 4567: dopo il salvataggio ne vedrai solo le ultime cifre.'))),
    h('button', { type: 'submit', class: 'btn btn-primary mt-3', id: 'aggiungi-persona' }, 'Aggiungi'));
}

function row(p, act) {
  return h('tr', { 'data-login': p.login },
    h('th', { scope: 'row' }, p.name), h('td', {}, p.login), h('td', {}, ROLE_NAMES[p.role] || p.role),
    h('td', {}, maskedAlert(p.alert)),
    h('td', {}, p.disabled ? h('span', { class: 'badge bg-secondary' }, 'Disattivata') : h('span', { class: 'badge bg-success' }, 'Attiva')),
    h('td', { class: 'text-nowrap' },
      p.login === (session.me && session.me.login) ? h('span', { class: 'small' }, 'sei tu') : [
        h('button', { type: 'button', class: 'btn btn-sm btn-outline-primary me-1', 'data-azione': p.disabled ? 'enable' : 'disable',
          onclick: () => act(p, p.disabled ? 'enable' : 'disable') }, p.disabled ? 'Riattiva' : 'Disattiva'),
        h('button', { type: 'button', class: 'btn btn-sm btn-outline-secondary', 'data-azione': 'password',
          onclick: () => act(p, 'password') }, 'Nuova password')]));
}

export async function peoplePage() {
  if (!session.me || session.me.role !== 'approver') {
    show(h('h1', { class: 'h2' }, 'Persone'), h('p', {}, 'Solo un approvatore gestisce le persone del Comune.'));
    return;
  }
  const tbody = h('tbody', {});
  const pwBox = h('section', { class: 'alert alert-warning', id: 'password-nuova', hidden: true, 'aria-labelledby': 'titolo-password' });

  async function reload() {
    const data = await call('GET', '/api/v1/staff');
    tbody.replaceChildren(...data.staff.map((p) => row(p, act)));
  }

  async function act(p, what) {
    const ok = await askDialog({
      title: what === 'disable' ? `Disattivare ${p.name}?` : what === 'enable' ? `Riattivare ${p.name}?` : `Nuova password per ${p.name}?`,
      text: what === 'disable' ? 'Non potrà più accedere; le sue sessioni finiscono subito.'
        : what === 'enable' ? 'Potrà accedere di nuovo con la sua password.'
          : 'Le sue sessioni finiscono subito; la nuova password temporanea sarà mostrata una volta.',
      confirm: what === 'disable' ? 'Disattiva' : what === 'enable' ? 'Riattiva' : 'Genera la password', danger: what === 'disable',
    });
    if (ok === null) return;
    try {
      const pw = what === 'password' ? onetimePassword() : null;
      await call('POST', `/api/v1/staff/${encodeURIComponent(p.login)}/${what}`, pw ? { password: pw } : {});
      await reload();
      if (pw) showPassword(pwBox, p.login, pw);
      else say(what === 'disable' ? `${p.name} è disattivata.` : `${p.name} è di nuovo attiva.`, 'success');
    } catch (err) { say(explain(err), 'danger'); }
  }

  await reload();
  show(
    h('h1', { class: 'h2 mb-3' }, 'Persone'),
    h('p', {}, `Chi accede alla console per il Comune (${session.me.comune}). I numeri per gli avvisi di allerta sono mostrati solo in parte.`),
    pwBox,
    h('table', { class: 'table', id: 'tabella-persone' },
      h('caption', { class: 'visually-hidden' }, 'Persone con accesso alla console'),
      h('thead', {}, h('tr', {}, ['Nome', 'Accesso', 'Ruolo', 'Avvisi di allerta', 'Stato', 'Azioni'].map((c) => h('th', { scope: 'col' }, c)))),
      tbody),
    addForm(reload, pwBox),
    h('p', { class: 'small mt-3' }, 'Ultimo aggiornamento: ', when(new Date().toISOString())));
}
