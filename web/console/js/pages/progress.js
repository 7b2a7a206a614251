// In corso: the notices being sent; one notice's progress from GET
// .../stats every few seconds, and the cancel button (with confirmation).
import { call, explain } from '../api.js';
import { h, show, say, stateBadge, when, STATES } from '../dom.js';
import { session } from '../session.js';
import { askDialog } from './dialog.js';
import { comunePicker, comuneQuery } from './comuni.js';
import { timelineChart, reasonText } from './timeline.js';

const REFRESH_MS = 3000;
const RUNNING = ['approved', 'scheduled', 'sending', 'paused'];

export async function progressPage(id) {
  if (id) return followPage(id);
  const lists = await Promise.all(RUNNING.map((s) => call('GET', `/api/v1/notices?status=${s}&limit=50${comuneQuery()}`)));
  const picker = await comunePicker(() => progressPage());
  const notices = lists.flatMap((l) => l.notices);
  show(
    h('h1', { class: 'h2 mb-3' }, 'In corso'),
    picker,
    notices.length
      ? h('ul', { class: 'list-unstyled', id: 'in-corso' }, notices.map((n) => h('li', { class: 'notice-row' },
        h('div', { class: 'd-flex flex-wrap justify-content-between gap-2' },
          h('a', { href: `#/in-corso/${n.id}`, class: 'fw-semibold' }, n.title), stateBadge(n.status)),
        h('div', { class: 'small' }, n.status === 'scheduled' ? `Programmato per ${when(n.scheduled_at)}`
          : `Approvato da ${n.approver || '—'} · ${when(n.approved_at)}`))))
      : h('p', {}, 'Nessun avviso in invio in questo momento.'));
}

// The share of the recipients settled (0-100).
function percent(s) {
  if (!s.recipients) return s.status === 'sent' ? 100 : 0;
  return Math.floor(((s.recipients - s.pending) * 100) / s.recipients);
}

async function followPage(id) {
  const n = await call('GET', `/api/v1/notices/${id}`);
  const bar = h('div', { class: 'progress-bar', role: 'progressbar', 'aria-valuemin': '0',
    'aria-valuemax': '100', 'aria-labelledby': 'etichetta-avanzamento' });
  const label = h('p', { id: 'etichetta-avanzamento', class: 'fw-semibold' });
  const live = h('p', { class: 'visually-hidden', 'aria-live': 'polite', id: 'avanzamento-annuncio' });
  const badge = h('span', { id: 'stato-avviso' }, stateBadge(n.status));
  const grid = h('dl', { class: 'stat-grid', id: 'numeri' });
  const controls = h('div', { class: 'd-flex flex-wrap gap-2 my-3', id: 'comandi' });
  const chart = h('div', { id: 'zona-grafico' });
  let timer = null, lastPercent = -1, stopped = false;

  function cell(label_, value, wide = false) {
    return h('div', { class: wide ? 'stat-wide' : null }, h('dt', {}, label_), h('dd', {}, value ?? 0));
  }

  function draw(s) {
    const p = percent(s);
    bar.style.width = `${p}%`;
    bar.setAttribute('aria-valuenow', String(p));
    bar.textContent = `${p}%`;
    bar.classList.toggle('bg-success', p === 100 && s.status === 'sent');
    bar.classList.toggle('bg-primary', !(p === 100 && s.status === 'sent'));
    label.textContent = `Avanzamento: ${p}% (${s.recipients - s.pending} di ${s.recipients} destinatari)`;
    badge.replaceChildren(stateBadge(s.status));
    // Announce each quarter and the end, not every refresh.
    if (Math.floor(p / 25) !== Math.floor(lastPercent / 25) || (p === 100 && lastPercent !== 100))
      live.textContent = `Invio al ${p}%. Stato: ${STATES[s.status] || s.status}.`;
    lastPercent = p;
    const failed = Object.entries(s.failed_by_reason || {}).map(([k, v]) => `${reasonText(k)}: ${v}`).join('; ');
    grid.replaceChildren(
      cell('Destinatari', s.recipients), cell('Inviati', s.sent), cell('Consegnati', s.delivered),
      cell('Letti', s.read), cell('Non riusciti', s.failed), cell('In attesa (limite WhatsApp)', s.held && s.held_until ? `${s.held}, fino a ${when(s.held_until)}` : s.held),
      cell('Saltati (iscrizione revocata)', s.skipped), cell('Fermati', s.stopped), cell('Da inviare', s.pending),
      cell('Tempo stimato', s.eta_s == null || !s.pending ? '—' : `${Math.ceil(s.eta_s / 60)} min`));
    if (failed) grid.append(cell('Motivi degli errori', failed, true));
    drawControls(s.status);
  }

  function drawControls(status) {
    const approver = session.me && session.me.role !== 'editor';
    const buttons = [];
    if (approver && status === 'sending')
      buttons.push(h('button', { type: 'button', class: 'btn btn-outline-primary', onclick: () => act('pause') }, 'Metti in pausa'));
    if (approver && status === 'paused')
      buttons.push(h('button', { type: 'button', class: 'btn btn-primary', onclick: () => act('resume') }, 'Riprendi'));
    if (approver && RUNNING.includes(status))
      buttons.push(h('button', { type: 'button', class: 'btn btn-danger', id: 'annulla-invio', onclick: cancel }, 'Annulla l\'invio'));
    if (controls.childElementCount !== buttons.length || controls.dataset.status !== status) {
      controls.replaceChildren(...buttons);
      controls.dataset.status = status;
    }
  }

  async function act(action) {
    try {
      await call('POST', `/api/v1/notices/${id}/${action}`, {});
      say(action === 'pause' ? 'Invio in pausa.' : 'Invio ripreso.', 'success');
      tick();
    } catch (err) { say(explain(err), 'danger'); }
  }

  async function cancel() {
    const ok = await askDialog({
      title: 'Annullare l\'invio?',
      text: `Nessun altro messaggio di «${n.title}» partirà. I messaggi già inviati non si possono ritirare.`,
      confirm: 'Sì, annulla l\'invio',
    });
    if (ok === null) return;
    try {
      await call('POST', `/api/v1/notices/${id}/cancel`, { reason: 'annullato dalla console' });
      say('Invio annullato: nessun altro messaggio partirà.', 'success');
      tick();
    } catch (err) { say(explain(err), 'danger'); }
  }

  async function tick() {
    if (stopped) return;
    clearTimeout(timer);
    try {
      const [s, t] = await Promise.all([call('GET', `/api/v1/notices/${id}/stats`),
        call('GET', `/api/v1/notices/${id}/timeline`)]);
      draw(s);
      chart.replaceChildren(timelineChart(t));
      if (['sent', 'cancelled'].includes(s.status) && percent(s) === 100) return;
    } catch (err) {
      say(explain(err), 'warning');
    }
    if (!stopped) timer = setTimeout(tick, REFRESH_MS);
  }

  show(
    h('p', {}, h('a', { href: '#/in-corso' }, '← Tutti gli invii in corso')),
    h('h1', { class: 'h2' }, n.title),
    h('p', {}, 'Stato: ', badge, ' · ', h('a', { href: `#/avvisi/${id}` }, 'dati e storia dell\'avviso')),
    label,
    h('div', { class: 'progress console-progress mb-3' }, bar),
    live,
    controls,
    h('h2', { class: 'h4' }, 'Numeri dell\'invio'),
    h('p', { class: 'small' }, `Aggiornati ogni ${REFRESH_MS / 1000} secondi.`),
    grid,
    h('h2', { class: 'h4 mt-4' }, 'Andamento nel tempo'),
    chart);
  await tick();
  return () => { stopped = true; clearTimeout(timer); };
}
