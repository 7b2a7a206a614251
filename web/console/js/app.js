// The console's shell: who is logged in (GET /console/api/me), the menu,
// and the page for the address's #fragment. Pages are modules of pages/.
import { call, setCsrf, explain } from './api.js';
import { h, say, clearMessages } from './dom.js';
import { loginPage } from './pages/login.js';
import { listPage } from './pages/list.js';
import { noticePage } from './pages/notice.js';
import { composePage } from './pages/compose.js';
import { approvalsPage } from './pages/approvals.js';
import { progressPage } from './pages/progress.js';
import { subscribersPage } from './pages/subscribers.js';
import { alertPage } from './pages/alert.js';
import { peoplePage } from './pages/people.js';
import { forgetComuni, myComuni } from './pages/comuni.js';
import { topicsPage } from './pages/topics.js';
import { settingsPage } from './pages/settings.js';
import { session } from './session.js';


const ROLES = { editor: 'redattore', approver: 'approvatore', consortium: 'consorzio' };

// route: [section, page function] for a #fragment.
function route(hash) {
  const parts = hash.replace(/^#\/?/, '').split('?')[0].split('/');
  switch (parts[0]) {
    case 'avvisi': return parts[1] ? ['avvisi', () => noticePage(parts[1])] : ['avvisi', listPage];
    case 'nuovo': return ['nuovo', () => composePage(parts[1])];
    case 'da-approvare': return ['da-approvare', approvalsPage];
    case 'in-corso': return ['in-corso', () => progressPage(parts[1])];
    case 'iscritti': return ['iscritti', subscribersPage];
    case 'avviso-consortile': return ['avviso-consortile', alertPage];
    case 'persone': return ['persone', peoplePage];
    case 'argomenti': return ['argomenti', topicsPage];
    case 'impostazioni': return ['impostazioni', settingsPage];
    default: return ['avvisi', listPage];
  }
}

let stopPage = null;   // what the current page must stop (a refresh timer)

export async function render() {
  if (stopPage) { stopPage(); stopPage = null; }
  if (!session.me) {
    showUser();
    stopPage = loginPage(onLogin) || null;
    return;
  }
  const [section, page] = route(location.hash);
  for (const a of document.querySelectorAll('#menu a')) {
    if (a.dataset.sezione === section) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  try {
    stopPage = (await page()) || null;
  } catch (err) {
    if (err.status === 401) return sessionEnded();
    say(explain(err), 'danger');
  }
}

// The person logged in, named in the header, with the Esci button.
function showUser() {
  const zone = document.getElementById('utente');
  const menu = document.getElementById('menu');
  if (!session.me) {
    zone.replaceChildren();
    menu.hidden = true;
    document.getElementById('comune').textContent = 'Console degli avvisi';
    return;
  }
  const me = session.me;
  menu.hidden = false;
  // Entries for some roles only (the server refuses the others anyway).
  for (const li of menu.querySelectorAll('[data-ruoli]'))
    li.hidden = !li.dataset.ruoli.split(' ').includes(me.role);
  const title = document.getElementById('comune');
  title.textContent = `Comune: ${me.comune}`;
  // The comune's name, once known ("Comune di ..." as the comune wrote it).
  myComuni().then((list) => {
    const own = list.find((c) => c.own);
    if (own && session.me === me)
      title.textContent = /^comune\b/i.test(own.name) ? own.name : `Comune: ${own.name}`;
  }).catch(() => {});
  zone.replaceChildren(
    h('span', { class: 'me-2' }, `${me.name} (${ROLES[me.role] || me.role})`),
    h('button', { type: 'button', class: 'btn btn-sm btn-outline-light', id: 'esci', onclick: logout }, 'Esci'));
}

function onLogin(me) {
  forgetComuni();
  session.me = me;
  setCsrf(me.csrf);
  showUser();
  clearMessages();
  if (!location.hash || location.hash === '#/accedi') location.hash = '#/avvisi';
  else render();
}

async function logout() {
  try {
    await call('POST', '/console/api/logout');
  } catch (err) {
    /* the session is gone either way */
  }
  session.me = null;
  forgetComuni();
  setCsrf('');
  history.replaceState(null, '', '#/accedi');   /* no hashchange: the message stays */
  await render();
  say('Sei uscito dalla console.', 'success');
}

export function sessionEnded() {
  session.me = null;
  setCsrf('');
  say('La sessione è scaduta: accedi di nuovo.', 'warning');
  render();
}

async function start() {
  try {
    session.me = await call('GET', '/console/api/me');
    setCsrf(session.me.csrf);
  } catch (err) {
    session.me = null;
  }
  showUser();
  window.addEventListener('hashchange', () => { clearMessages(); render(); });
  render();
}

start();
