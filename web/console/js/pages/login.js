// Accedi: comune, nome utente, password (POST /console/api/login).
import { call } from '../api.js';
import { h, show, say, clearMessages } from '../dom.js';

export function loginPage(onLogin) {
  const comune = h('input', { type: 'text', id: 'comune-id', name: 'comune', class: 'form-control',
    autocomplete: 'organization', required: true, autocapitalize: 'none', spellcheck: 'false' });
  const login = h('input', { type: 'text', id: 'login', name: 'login', class: 'form-control',
    autocomplete: 'username', required: true, autocapitalize: 'none', spellcheck: 'false' });
  const password = h('input', { type: 'password', id: 'password', name: 'password', class: 'form-control',
    autocomplete: 'current-password', required: true });
  const button = h('button', { type: 'submit', class: 'btn btn-primary', id: 'accedi' }, 'Accedi');

  async function submit(ev) {
    ev.preventDefault();
    clearMessages();   /* the answer to this attempt is announced anew */
    button.disabled = true;
    try {
      const me = await call('POST', '/console/api/login',
        { comune: comune.value.trim(), login: login.value.trim(), password: password.value });
      onLogin(me);
    } catch (err) {
      password.value = '';
      if (err.status === 401) say('Nome utente o password non corretti.', 'danger');
      else if (err.status === 429) say(limited(err), 'danger');
      else say('Accesso non riuscito: il servizio non risponde, riprova tra poco.', 'danger');
      password.focus();
    } finally {
      button.disabled = false;
    }
  }

  show(
    h('div', { class: 'row justify-content-center' },
      h('div', { class: 'col-12 col-md-8 col-lg-5' },
        h('h1', { class: 'h2 mb-4' }, 'Accedi alla console'),
        h('p', {}, 'Per gli uffici comunicazione del Comune: scrivi, fai approvare e segui gli avvisi ai cittadini.'),
        h('form', { id: 'form-accesso', onsubmit: submit, novalidate: false },
          field('comune-id', 'Comune (codice)', comune, 'Il codice del Comune, ad esempio «demo».'),
          field('login', 'Nome utente', login),
          field('password', 'Password', password),
          button))));
}

// The 429 in words: who is held back, and for how long.
function limited(err) {
  const minutes = Math.max(1, Math.ceil(err.retryAfter / 60));
  const wait = `Riprova tra ${minutes} ${minutes === 1 ? 'minuto' : 'minuti'}.`;
  return err.body.error === 'locked'
    ? `Troppi tentativi sbagliati per questo utente: l'accesso è bloccato. ${wait}`
    : `Troppi accessi da questo indirizzo. ${wait}`;
}

function field(id, label, input, hint) {
  const hintId = hint ? `${id}-aiuto` : null;
  if (hintId) input.setAttribute('aria-describedby', hintId);
  return h('div', { class: 'mb-4' },
    h('label', { for: id, class: 'form-label fw-semibold' }, label),
    input,
    hint ? h('small', { id: hintId, class: 'form-text' }, hint) : null);
}
