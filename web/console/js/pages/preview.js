// What citizens receive, drawn from GET /api/v1/notices/{id}/preview: the
// WhatsApp template's three parameters in a bubble, the Telegram message
// with its formatting. The texts are the server's, as the composer sends
// them (common/render.c); nothing here rewrites them.
import { h, chars } from '../dom.js';

const WA_MAX = 1024;   // WhatsApp: a template's text at most
const TG_MAX = 4096;   // Telegram: a message at most

// The Telegram text (HTML parse mode: <b>, <i>, <u>, <s>, <code>, <a>, and
// the entities &lt; &gt; &amp; &quot;) as DOM nodes, without innerHTML.
function tgNodes(text) {
  const out = [];
  const stack = [{ el: document.createDocumentFragment() }];
  const re = /<(\/?)(b|i|u|s|code)>|([^<]+)|(<)/g;
  const unescape = (s) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&');
  let m;
  while ((m = re.exec(text)) !== null) {
    const top = stack[stack.length - 1].el;
    if (m[2] && !m[1]) {
      const el = document.createElement(m[2] === 'b' ? 'strong' : m[2] === 'i' ? 'em' : m[2]);
      top.append(el);
      stack.push({ el, tag: m[2] });
    } else if (m[2] && m[1]) {
      if (stack.length > 1) stack.pop();
    } else {
      top.append(document.createTextNode(unescape(m[3] || m[4])));
    }
  }
  out.push(stack[0].el);
  return out;
}

// The Telegram text as the citizen reads it (tags gone, entities decoded).
export function tgPlain(text) {
  const div = document.createElement('div');
  div.append(...tgNodes(text));
  return div.textContent;
}

export function previewBlock(p) {
  const params = p.whatsapp.params;
  const waLen = params.reduce((a, s) => a + chars(s), 0);
  const tgLen = chars(tgPlain(p.telegram.text));
  return h('div', { class: 'anteprima', id: 'anteprima' },
    h('h3', { class: 'h5' }, 'WhatsApp'),
    h('p', { class: 'small' }, `Modello approvato «${p.whatsapp.template}» (${p.whatsapp.language}): titolo, testo e link.`),
    h('div', { class: 'wa-phone mb-2' },
      h('div', { class: 'wa-bubble', id: 'anteprima-whatsapp' },
        h('strong', { 'data-param': '1' }, params[0]), '\n',
        h('span', { 'data-param': '2' }, params[1]), '\n',
        h('span', { 'data-param': '3' }, params[2]))),
    h('p', { class: `counter${waLen > WA_MAX ? ' over' : ''}` },
      `Parametri: ${waLen} caratteri (il modello intero ne ammette al massimo ${WA_MAX}; oltre, il testo viene accorciato con «…»).`),
    h('h3', { class: 'h5 mt-3' }, 'Telegram'),
    h('div', { class: 'tg-chat mb-2' },
      h('div', { class: 'tg-bubble', id: 'anteprima-telegram' }, tgNodes(p.telegram.text))),
    h('p', { class: `counter${tgLen > TG_MAX ? ' over' : ''}` },
      `${tgLen} caratteri su ${TG_MAX}.`));
}
