// Shared by every page: colors, CSRF for htmx and fetch, and the STOMP client factory.
// No inline script anywhere: the Content-Security-Policy forbids it. User text only ever goes into textContent.
(function () {
  'use strict';

  const meta = (name) => {
    const el = document.querySelector(`meta[name="${name}"]`);
    return el ? el.content : null;
  };

  /** Colors come as data-color attributes: set through CSSOM, which the CSP allows (inline style attributes it does not). */
  function paint(root) {
    (root || document).querySelectorAll('[data-color]').forEach((el) => {
      const color = el.dataset.color;
      if (!/^#[0-9a-f]{6}$/i.test(color)) return;
      if (el.classList.contains('swatch')) el.style.backgroundColor = color;
      else el.style.color = color;
    });
  }

  /** A "person" chip: swatch + colored nickname, built from the template markup or from scratch. */
  function person(who) {
    const span = document.createElement('span');
    span.className = 'person';
    const swatch = document.createElement('span');
    swatch.className = 'swatch';
    swatch.dataset.color = who.color;
    const name = document.createElement('span');
    name.className = 'nickname';
    name.dataset.color = who.color;
    name.textContent = who.name;
    span.append(swatch, name);
    paint(span);
    return span;
  }

  function csrfHeaders() {
    const header = meta('csrf-header');
    const token = meta('csrf-token');
    return header && token ? { [header]: token } : {};
  }

  /** fetch with the CSRF header and JSON; rejects with the ProblemDetail's detail on an error status. */
  async function api(method, url, body) {
    const headers = Object.assign({ Accept: 'application/json' }, csrfHeaders());
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const response = await fetch(url, {
      method, headers, credentials: 'same-origin', body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok) {
      let detail = response.statusText;
      try { detail = (await response.json()).detail || detail; } catch (e) { /* not JSON */ }
      const error = new Error(detail);
      error.status = response.status;
      throw error;
    }
    return response.status === 204 ? null : response.json();
  }

  function stompClient(options) {
    const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
    return new StompJs.Client(Object.assign({
      brokerURL: `${scheme}://${location.host}/ws`,
      // Back off exponentially from 500 ms to 10 s while the server is away (restart, network loss).
      reconnectDelay: 500,
      maxReconnectDelay: 10000,
      reconnectTimeMode: StompJs.ReconnectionTimeMode.EXPONENTIAL,
      heartbeatIncoming: 10000,
      heartbeatOutgoing: 10000,
    }, options));
  }

  document.addEventListener('htmx:configRequest', (event) => {
    Object.assign(event.detail.headers, csrfHeaders());
  });
  document.addEventListener('htmx:afterSwap', (event) => paint(event.target));
  /** Times are rendered in the reader's own time zone and format, on the server's pages and live ones alike. */
  function clock(iso) {
    return new Date(iso).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  }

  document.addEventListener('DOMContentLoaded', () => {
    paint(document);
    document.querySelectorAll('time[datetime]').forEach((t) => { t.textContent = clock(t.dateTime); });
  });

  window.GifChat = { paint, person, api, stompClient, clock };
})();
