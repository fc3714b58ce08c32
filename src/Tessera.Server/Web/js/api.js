// Talking to the server: the token (from the address, local storage or the user), JSON requests, errors.
const KEY = 'tessera.token';

export function token() {
  return localStorage.getItem(KEY);
}

export function setToken(value) {
  if (value) localStorage.setItem(KEY, value); else localStorage.removeItem(KEY);
}

/** Takes a token from "#token=..." into local storage and removes it from the address bar. */
export function adoptTokenFromAddress() {
  const match = /(?:^#|&)token=([^&]+)/.exec(location.hash);
  if (!match) return;
  setToken(decodeURIComponent(match[1]));
  history.replaceState(null, '', location.pathname + location.search + '#/tasks');
}

/** Asks for a token (none, or refused) and resolves when one is given. */
export function askForToken(reason) {
  const dialog = document.getElementById('token-dialog');
  document.getElementById('token-reason').textContent = reason;
  return new Promise(resolve => {
    const form = document.getElementById('token-form');
    form.onsubmit = () => {
      setToken(document.getElementById('token-input').value.trim());
      resolve();
    };
    if (!dialog.open) dialog.showModal();
  });
}

/** An error answered by the server: status and the message naming the problem. */
export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }

  /** "inputs.red.band: missing ..." → { field: "inputs.red.band", text: "missing ..." }. */
  get field() {
    const match = /^([A-Za-z0-9_.\[\]]+): (.*)$/s.exec(this.message);
    return match ? { field: match[1], text: match[2] } : null;
  }
}

/** A JSON request; resolves to the envelope's data. A refused token asks for another and tries again. */
export async function api(path, { method = 'GET', body } = {}) {
  for (;;) {
    const headers = { Accept: 'application/json' };
    if (token()) headers.Authorization = `Bearer ${token()}`;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    if (response.status === 401) {
      setToken(null);
      await askForToken('The token was refused or is missing. Give an API token of this server.');
      continue;
    }
    const text = await response.text();
    let json = null;
    try { json = text ? JSON.parse(text) : null; } catch { /* not JSON */ }
    if (!response.ok) throw new ApiError(response.status, json?.message ?? json?.detail ?? `${response.status} ${response.statusText}`);
    return json?.data ?? json;
  }
}

/** A URL of this server that a plain <img> or map layer can load: the token rides in the query. */
export function withToken(url) {
  const t = token();
  if (!t) return url;
  return url + (url.includes('?') ? '&' : '?') + 'access_token=' + encodeURIComponent(t);
}
