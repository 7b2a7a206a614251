// Nuovo avviso's "Destinatari": how many subscribers the targeting reaches
// now, what WhatsApp would cost, and whether quiet hours would hold a
// normal notice (GET /api/v1/audience), asked again a moment after the
// topics or channels change. All of it in an aria-live region.
import { call, explain } from '../api.js';
import { h } from '../dom.js';

const WAIT_MS = 400;   // the targeting must rest this long before asking

function money(value, currency, digits) {
  return new Intl.NumberFormat('it-IT', { style: 'currency', currency: currency || 'EUR',
    minimumFractionDigits: 2, maximumFractionDigits: digits }).format(value);
}

function people(n) {
  return n === 1 ? '1 iscritto' : `${n} iscritti`;
}

// "08:00" of the comune's local time the quiet hours end at.
function localTime(iso) {
  return iso ? iso.slice(11, 16) : '';
}

// audienceBox(): { box, update(targeting) } where targeting is
// { topics: [...], channels: [...], urgent: bool }.
export function audienceBox() {
  const count = h('p', { id: 'pubblico', class: 'fw-semibold mb-1' }, 'Calcolo dei destinatari…');
  const cost = h('p', { id: 'costo', class: 'small mb-0' });
  const quiet = h('p', { id: 'silenzio', class: 'alert alert-warning mt-2 mb-0', hidden: true });
  const box = h('div', { class: 'audience-box mb-4', id: 'destinatari' },
    h('h2', { class: 'h5', id: 'titolo-destinatari' }, 'Destinatari'),
    h('div', { 'aria-live': 'polite', 'aria-labelledby': 'titolo-destinatari' }, count, cost, quiet));
  let timer = null, asked = 0, last = null, urgent = false;

  function drawQuiet() {
    const q = last && last.quiet_hours;
    const held = !!(q && q.held && !urgent);
    quiet.hidden = !held;
    quiet.textContent = held
      ? `Sarà inviato alle ${localTime(q.until_local)}, dopo l'orario di silenzio (${q.start}–${q.end}). `
        + 'Solo un avviso urgente parte nelle ore di silenzio.'
      : '';
  }

  // "7 su WhatsApp, 5 su Telegram": the kinds chosen (all when none is).
  function split(a, channels) {
    const all = !channels.length;
    return [all || channels.includes('whatsapp') ? `${a.whatsapp} su WhatsApp` : null,
      all || channels.includes('telegram') ? `${a.telegram} su Telegram` : null].filter(Boolean).join(', ');
  }

  function draw(a, channels) {
    last = a;
    count.dataset.total = String(a.total);
    count.textContent = a.total
      ? `Lo riceveranno ${people(a.total)}: ${split(a, channels)}.`
      : 'Nessun iscritto lo riceverebbe con questi argomenti e canali.';
    if (channels.includes('telegram_channel'))
      count.textContent += ' In più, chi segue il canale Telegram pubblico (non contato).';
    const c = a.cost || {};
    cost.textContent = `Costo stimato su WhatsApp: ${money(c.estimate || 0, c.currency, 2)} `
      + `(${money(c.per_message || 0, c.currency, 4)} a messaggio; Telegram è gratuito).`;
    drawQuiet();
  }

  async function ask(query, channels) {
    const mine = ++asked;
    try {
      const a = await call('GET', `/api/v1/audience?${query}`);
      if (mine !== asked) return;   // the targeting changed meanwhile
      box.dataset.query = query;
      draw(a, channels);
    } catch (err) {
      if (mine !== asked) return;
      last = null;
      box.dataset.query = query;
      count.textContent = `Destinatari non calcolati. ${explain(err)}`;
      cost.textContent = '';
      drawQuiet();
    }
  }

  function update(t) {
    urgent = !!t.urgent;
    drawQuiet();
    const query = new URLSearchParams({ topics: t.topics.join(','), channels: t.channels.join(',') }).toString();
    if (query === box.dataset.query && last) return;
    clearTimeout(timer);
    timer = setTimeout(() => ask(query, t.channels), WAIT_MS);
  }

  return { box, update };
}
