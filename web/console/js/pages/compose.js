// Nuovo avviso (and editing a draft): the form, the character counts, the
// preview as citizens will receive it (saved draft, then GET .../preview),
// save and submit for approval.
import { call, explain } from '../api.js';
import { h, show, say, sayNext, chars, localInputValue, CATEGORIES, CHANNELS } from '../dom.js';
import { previewBlock } from './preview.js';
import { audienceBox } from './audience.js';
import { testSendBox } from './testsend.js';

const LIMITS = { titolo: 120, testo: 3000 };

// A text field with its label, its count of characters and its limit.
function counted(id, label, input, max, hint) {
  const counter = h('small', { id: `${id}-conta`, class: 'counter d-block' });
  const update = () => {
    const n = chars(input.value);
    counter.textContent = `${n} caratteri su ${max}`;
    counter.classList.toggle('over', n > max);
    input.setAttribute('aria-invalid', n > max ? 'true' : 'false');
  };
  input.setAttribute('aria-describedby', `${id}-conta${hint ? ` ${id}-aiuto` : ''}`);
  input.addEventListener('input', update);
  update();
  return h('div', { class: 'mb-4' },
    h('label', { for: id, class: 'form-label fw-semibold' }, label), input, counter,
    hint ? h('small', { id: `${id}-aiuto`, class: 'form-text d-block' }, hint) : null);
}

export async function composePage(id) {
  let notice = id ? await call('GET', `/api/v1/notices/${id}`) : null;
  let dirty = !notice;

  const title = h('input', { type: 'text', id: 'titolo', class: 'form-control', required: true,
    value: notice ? notice.title : '' });
  const body = h('textarea', { id: 'testo', class: 'form-control', rows: '7', required: true });
  body.value = notice ? notice.body : '';
  const link = h('input', { type: 'url', id: 'link', class: 'form-control', inputmode: 'url',
    placeholder: 'https://', value: notice ? notice.link || '' : '', 'aria-describedby': 'link-aiuto' });
  const topics = h('input', { type: 'text', id: 'argomenti', class: 'form-control',
    value: notice ? (notice.topics || []).join(', ') : '', 'aria-describedby': 'argomenti-aiuto' });
  const category = h('select', { id: 'categoria', class: 'form-select' },
    Object.entries(CATEGORIES).map(([k, v]) => h('option', { value: k, selected: notice ? notice.category === k : k === 'other' }, v)));
  const channelBoxes = Object.entries(CHANNELS).map(([k, v]) => {
    const box = h('input', { type: 'checkbox', id: `canale-${k}`, value: k, class: 'form-check-input',
      checked: notice ? (notice.channels || []).includes(k) : false });
    return [box, h('div', { class: 'form-check form-check-inline' }, box,
      h('label', { for: `canale-${k}`, class: 'form-check-label' }, v))];
  });
  const urgent = h('input', { type: 'checkbox', id: 'urgente', class: 'form-check-input',
    checked: notice ? !!notice.urgent : false, 'aria-describedby': 'urgente-aiuto' });
  const sendAt = h('input', { type: 'datetime-local', id: 'invio-programmato', class: 'form-control',
    value: notice ? localInputValue(notice.scheduled_at) : '', 'aria-describedby': 'invio-programmato-aiuto' });
  const previewArea = h('div', { id: 'area-anteprima' },
    h('p', {}, 'Salva la bozza per vedere l\'anteprima esatta di ciò che riceveranno i cittadini.'));

  // Once the preview shows a saved version, an edit makes it stale: say so.
  const stale = h('p', { class: 'alert alert-warning', id: 'anteprima-vecchia', hidden: true },
    'Hai modificato l\'avviso: salva la bozza per aggiornare l\'anteprima.');
  for (const el of [title, body, link, topics, category, urgent, sendAt, ...channelBoxes.map((c) => c[0])])
    el.addEventListener('input', () => { dirty = true; stale.hidden = !notice; });
  // Who the targeting reaches, its cost, the quiet hours: asked again as it changes.
  const audience = audienceBox();
  for (const el of [topics, urgent, ...channelBoxes.map((c) => c[0])])
    el.addEventListener('input', () => audience.update(fields()));

  function fields() {
    return {
      title: title.value.trim(),
      body: body.value,
      link: link.value.trim(),
      topics: topics.value.split(',').map((t) => t.trim()).filter(Boolean),
      channels: channelBoxes.filter(([b]) => b.checked).map(([b]) => b.value),
      urgent: urgent.checked,
      category: category.value,
      scheduled_at: sendAt.value ? new Date(sendAt.value).toISOString() : null,
    };
  }

  // Saves the draft (create, or edit with the version seen); true on success.
  async function save() {
    if (!dirty && notice) return true;
    try {
      if (!notice) {
        const r = await call('POST', '/api/v1/notices', fields());
        notice = await call('GET', `/api/v1/notices/${r.id}`);
        history.replaceState(null, '', `#/nuovo/${r.id}`);
      } else {
        await call('PUT', `/api/v1/notices/${notice.id}`, { ...fields(), version: notice.version });
        notice = await call('GET', `/api/v1/notices/${notice.id}`);
      }
      dirty = false;
      return true;
    } catch (err) {
      say(explain(err), 'danger');
      return false;
    }
  }

  async function refreshPreview() {
    const p = await call('GET', `/api/v1/notices/${notice.id}/preview`);
    previewArea.replaceChildren(previewBlock(p));
    stale.hidden = true;
  }

  async function onSave() {
    if (!(await save())) return;
    await refreshPreview();
    say(`Bozza salvata (versione ${notice.version}). L'anteprima mostra il testo che partirà.`, 'success');
  }

  async function onSubmit(ev) {
    ev.preventDefault();
    if (!(await save())) return;
    try {
      await call('POST', `/api/v1/notices/${notice.id}/submit`, { version: notice.version });
      sayNext('Avviso inviato per l\'approvazione: un approvatore diverso da te dovrà approvarlo.', 'success');
      location.hash = `#/avvisi/${notice.id}`;
    } catch (err) {
      say(explain(err), 'danger');
    }
  }

  show(
    h('h1', { class: 'h2 mb-4' }, notice ? 'Modifica avviso' : 'Nuovo avviso'),
    h('div', { class: 'row g-4' },
      h('form', { class: 'col-12 col-lg-6', id: 'form-avviso', onsubmit: onSubmit, 'aria-label': 'Testo dell\'avviso' },
        counted('titolo', 'Titolo', title, LIMITS.titolo),
        counted('testo', 'Testo', body, LIMITS.testo, 'Va a capo dove vuoi: i cittadini lo leggono così.'),
        h('div', { class: 'mb-4' },
          h('label', { for: 'link', class: 'form-label fw-semibold' }, 'Link (facoltativo)'), link,
          h('small', { id: 'link-aiuto', class: 'form-text d-block' },
            'Un indirizzo https://. Senza link, il messaggio rimanda alla pagina dell\'avviso nell\'archivio del Comune.')),
        h('div', { class: 'mb-4' },
          h('label', { for: 'argomenti', class: 'form-label fw-semibold' }, 'Argomenti (facoltativo)'), topics,
          h('small', { id: 'argomenti-aiuto', class: 'form-text d-block' },
            'Separati da virgola, ad esempio «viabilita, scuole». Senza argomenti l\'avviso va a tutti gli iscritti.')),
        h('div', { class: 'mb-4' },
          h('label', { for: 'categoria', class: 'form-label fw-semibold' }, 'Categoria'), category),
        h('fieldset', { class: 'mb-4' },
          h('legend', { class: 'form-label fw-semibold fs-6' }, 'Canali (nessuno scelto: tutti i canali del Comune)'),
          channelBoxes.map((c) => c[1])),
        h('div', { class: 'form-check mb-1' }, urgent,
          h('label', { for: 'urgente', class: 'form-check-label fw-semibold' }, 'Urgente')),
        h('small', { id: 'urgente-aiuto', class: 'form-text d-block mb-4' },
          'Un avviso urgente parte anche nelle ore di silenzio e ha la precedenza.'),
        audience.box,
        h('div', { class: 'mb-4' },
          h('label', { for: 'invio-programmato', class: 'form-label fw-semibold' }, 'Invio programmato (facoltativo)'), sendAt,
          h('small', { id: 'invio-programmato-aiuto', class: 'form-text d-block' },
            'Vuoto: parte appena approvato. Con una data e ora, chi approva la trova già proposta e può cambiarla.')),
        h('div', { class: 'd-flex flex-wrap gap-2' },
          h('button', { type: 'button', class: 'btn btn-outline-primary', id: 'salva', onclick: onSave },
            'Salva bozza e aggiorna anteprima'),
          h('button', { type: 'submit', class: 'btn btn-primary', id: 'invia' }, 'Invia per l\'approvazione')),
        // The test sends the saved version: an unsaved change is saved first.
        testSendBox(() => notice && notice.id, async () => {
          if (!(await save())) return false;
          await refreshPreview();
          return true;
        })),
      h('section', { class: 'col-12 col-lg-6', 'aria-labelledby': 'titolo-anteprima' },
        h('h2', { class: 'h4', id: 'titolo-anteprima' }, 'Anteprima'),
        stale, previewArea)));
  audience.update(fields());
  if (notice) await refreshPreview();
}
