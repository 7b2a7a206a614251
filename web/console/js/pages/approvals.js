// Da approvare: the submitted notices; approve (now or at a time) or
// reject with a reason. Four eyes shown: who wrote it, and that whoever
// approves must be another person.
import { call, explain } from '../api.js';
import { h, show, say, sayNext, when, localInputValue, CHANNELS } from '../dom.js';
import { session } from '../session.js';
import { askDialog } from './dialog.js';
import { comunePicker, comuneQuery } from './comuni.js';

export async function approvalsPage() {
  const data = await call('GET', `/api/v1/notices?status=submitted&limit=100${comuneQuery()}`);
  const picker = await comunePicker(approvalsPage);
  const mayApprove = session.me && session.me.role !== 'editor';

  async function approve(n, when_input) {
    const body = { version: n.version };
    // Empty means now, even if the author proposed a time (null says so).
    body.scheduled_at = when_input.value ? new Date(when_input.value).toISOString() : null;
    try {
      await call('POST', `/api/v1/notices/${n.id}/approve`, body);
      sayNext(`Avviso «${n.title}» approvato${body.scheduled_at ? ' e programmato' : ': l\'invio parte ora'}.`, 'success');
      location.hash = `#/in-corso/${n.id}`;
    } catch (err) {
      say(explain(err), 'danger');
    }
  }

  async function reject(n) {
    const reason = await askDialog({
      title: `Respingere «${n.title}»?`,
      label: 'Motivo (lo legge chi ha scritto l\'avviso)',
      confirm: 'Respingi', required: true,
    });
    if (reason === null) return;
    try {
      await call('POST', `/api/v1/notices/${n.id}/reject`, { reason });
      say(`Avviso «${n.title}» respinto. Chi l'ha scritto può correggerlo e inviarlo di nuovo.`, 'success');
      approvalsPage();
    } catch (err) {
      say(explain(err), 'danger');
    }
  }

  const cards = data.notices.map((n) => {
    // The person wrote, edited or submitted this version: four eyes bars them.
    const mine = !!n.you_contributed;
    const whenId = `quando-${n.id}`;
    // The author's proposed time, if any, is the default.
    const whenInput = h('input', { type: 'datetime-local', id: whenId, class: 'form-control',
      value: localInputValue(n.scheduled_at) });
    return h('article', { class: 'card card-bg mb-4', 'aria-labelledby': `t-${n.id}` },
      h('div', { class: 'card-body' },
        h('h2', { class: 'h4 card-title', id: `t-${n.id}` }, h('a', { href: `#/avvisi/${n.id}` }, n.title)),
        h('p', { class: 'small' }, `Scritto da ${n.author || '—'} · inviato per l'approvazione ${when(n.submitted_at)}`,
          n.urgent ? ' · URGENTE' : '', n.scheduled_at ? ` · invio proposto per ${when(n.scheduled_at)}` : ''),
        h('p', { class: 'wa-bubble border' }, n.body),
        h('p', { class: 'small' }, 'Argomenti: ', (n.topics || []).length ? n.topics.join(', ') : 'tutti gli iscritti',
          ' · Canali: ', (n.channels || []).length ? n.channels.map((c) => CHANNELS[c] || c).join(', ') : 'tutti'),
        mine
          ? h('div', { class: 'alert alert-warning' },
            'Hai scritto tu questo avviso: per la regola dei quattro occhi deve approvarlo un\'altra persona.')
          : h('p', { class: 'small' }, 'Regola dei quattro occhi: chi approva deve essere una persona diversa da chi ha scritto.'),
        mayApprove && !mine ? h('div', { class: 'row g-2 align-items-end' },
          h('div', { class: 'col-12 col-md-6' },
            h('label', { for: whenId, class: 'form-label' }, 'Invia il (vuoto: subito)'), whenInput),
          h('div', { class: 'col-12 col-md-6 d-flex gap-2' },
            h('button', { type: 'button', class: 'btn btn-success', 'data-approva': n.id,
              onclick: () => approve(n, whenInput) }, 'Approva'),
            h('button', { type: 'button', class: 'btn btn-outline-danger', 'data-respingi': n.id,
              onclick: () => reject(n) }, 'Respingi'))) : null));
  });

  show(
    h('h1', { class: 'h2 mb-3' }, 'Da approvare'),
    picker,
    mayApprove ? null : h('p', {}, 'Solo gli approvatori possono approvare o respingere: qui vedi cosa è in attesa.'),
    cards.length ? h('div', { id: 'coda' }, cards) : h('p', {}, 'Nessun avviso in attesa di approvazione.'));
}
