// "Invia una prova a me": the notice's current version, as citizens get
// it but titled "[PROVA] …", to the person's own WhatsApp or Telegram
// (POST /api/v1/notices/{id}/test-send, docs/api.md). Without an alert
// address the button is disabled and says why.
import { call, explain } from '../api.js';
import { h } from '../dom.js';
import { session } from '../session.js';

const KINDS = { whatsapp: 'WhatsApp', telegram: 'Telegram' };

// Why a test failed, in words.
function why(err) {
  const b = err.body || {};
  if (b.error === 'no_alert_address') return 'Non hai un numero WhatsApp o una chat Telegram per le prove: chiedi all\'amministratore di impostarlo.';
  if (b.error === 'rate_limited') return 'Hai già inviato 5 prove negli ultimi 10 minuti: riprova più tardi.';
  if (b.error === 'invalid_state') return 'La prova si invia solo per bozze, avvisi da approvare o respinti.';
  if (b.error === 'no_channel') return 'Il Comune non ha un canale da cui inviarti la prova.';
  return explain(err);
}

// The box: button, explanation, aria-live status. noticeId() gives the
// saved notice's id (null: not saved yet); beforeSend() may save first
// (false: do not send).
export function testSendBox(noticeId, beforeSend = async () => true) {
  const kind = session.me && session.me.alert_kind;
  const status = h('p', { id: 'prova-esito', class: 'small mt-2', 'aria-live': 'polite', role: 'status' });
  const help = h('small', { id: 'prova-aiuto', class: 'form-text d-block' }, kind
    ? `Invia la versione salvata al tuo ${KINDS[kind]}, come la riceveranno i cittadini, con il titolo preceduto da «[PROVA]». Solo a te.`
    : 'Non hai un numero WhatsApp o una chat Telegram per le prove: chiedi all\'amministratore di impostarlo.');
  const button = h('button', { type: 'button', class: 'btn btn-outline-secondary', id: 'prova',
    'aria-describedby': 'prova-aiuto', disabled: !kind }, 'Invia una prova a me');
  button.addEventListener('click', async () => {
    if (!(await beforeSend()) || !noticeId()) return;
    button.disabled = true;
    status.textContent = 'Invio della prova…';
    try {
      const r = await call('POST', `/api/v1/notices/${noticeId()}/test-send`, {});
      status.textContent = `Prova inviata al tuo ${KINDS[r.kind] || r.kind}.`;
    } catch (err) {
      status.textContent = why(err);
    } finally {
      button.disabled = false;
    }
  });
  return h('div', { class: 'mt-3', id: 'prova-box' }, button, help, status);
}
