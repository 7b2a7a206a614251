// The editors' API with the session cookie (docs/console-ui.md): every
// request but a GET carries the session's CSRF token in X-CSRF-Token.

let csrf = '';

export function setCsrf(token) {
  csrf = token || '';
}

export class ApiError extends Error {
  constructor(status, body, retryAfter = 0) {
    super((body && (body.message || body.error)) || `HTTP ${status}`);
    this.status = status;
    this.body = body || {};
    this.retryAfter = retryAfter;   // seconds (Retry-After), 0 if none
  }
}

// call('POST', '/api/v1/notices', {...}): the answer's JSON (null for 204);
// throws ApiError for any answer that is not 2xx.
export async function call(method, path, body) {
  const headers = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && method !== 'HEAD') headers['X-CSRF-Token'] = csrf;
  let res;
  try {
    res = await fetch(path, {
      method, headers, credentials: 'same-origin', cache: 'no-store',
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (e) {
    throw new ApiError(0, { error: 'network', message: 'Il servizio non risponde: controlla la connessione e riprova.' });
  }
  if (res.status === 204) return null;
  let json = null;
  try { json = await res.json(); } catch (e) { json = null; }
  if (!res.ok) throw new ApiError(res.status, json, Number(res.headers.get('Retry-After')) || 0);
  return json;
}

// An error in words for the person in front of the screen.
export function explain(err) {
  const b = err.body || {};
  switch (err.status) {
    case 0: return b.message;
    case 400: return `Controlla il campo «${b.field || '?'}»: ${b.message || 'valore non valido'}.`;
    case 401: return 'La sessione è scaduta: accedi di nuovo.';
    case 403:
      if (b.error === 'four_eyes') return 'Non puoi approvare un avviso che hai scritto o modificato: deve farlo un\'altra persona.';
      if (b.error === 'csrf') return 'Richiesta rifiutata per sicurezza: ricarica la pagina.';
      return 'Il tuo ruolo non permette questa operazione.';
    case 404: return 'Avviso non trovato.';
    case 409: return `L'avviso è cambiato nel frattempo (${b.message || 'conflitto'}): ricarica la pagina.`;
    case 429: return 'Troppi tentativi: riprova tra qualche minuto.';
    case 503: return 'Il servizio è momentaneamente occupato: riprova tra poco.';
    default: return `Errore ${err.status}: ${b.message || b.error || 'imprevisto'}.`;
  }
}
