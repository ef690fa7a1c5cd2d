// The fallback carrier (README, STOMP contract): a WebSocket-like object for @stomp/stompjs built on EventSource
// (server frames, GET /stomp/sse) and fetch POSTs (client frames, POST /stomp/sse/{token}), for networks whose proxy
// refuses WebSocket upgrades. The same STOMP session as over /ws; only the carrier differs.
import { csrfHeaders } from './http.js';

const CONNECTING = 0;
const OPEN = 1;
const CLOSING = 2;
const CLOSED = 3;

/** An event whose data is base64 (a frame a WebSocket would have carried as a binary message) as an ArrayBuffer. */
function bytesOf(base64) {
  const text = atob(base64);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i += 1) bytes[i] = text.charCodeAt(i);
  return bytes.buffer;
}

export class FallbackSocket {
  constructor(path = '/stomp/sse') {
    this.url = `${location.origin}${path}`;
    this.protocol = ''; // CONNECT negotiates the version, as over a WebSocket without a subprotocol
    this.binaryType = 'arraybuffer';
    this.readyState = CONNECTING;
    this.onopen = null;
    this.onmessage = null;
    this.onclose = null;
    this.onerror = null;
    this.pending = []; // what stompjs sent while a POST was in flight: the next POST carries it all, in order
    this.posting = false;
    this.source = new EventSource(path, { withCredentials: true });
    this.source.addEventListener('token', (event) => {
      this.post = `${path}/${encodeURIComponent(event.data)}`;
      this.readyState = OPEN;
      this.onopen?.({ type: 'open' });
    });
    this.source.addEventListener('message', (event) => this.onmessage?.({ type: 'message', data: event.data }));
    this.source.addEventListener('base64', (event) => this.onmessage?.({ type: 'message', data: bytesOf(event.data) }));
    // The stream ended (after an ERROR, at a shutdown) or broke. EventSource would reconnect by itself, but the STOMP
    // session went with the stream: stop it and let stompjs reconnect (a new session; the page catches up by seq).
    this.source.onerror = () => this.closed(1006, 'stream ended', true);
  }

  send(data) {
    if (this.readyState !== OPEN) throw new Error('the fallback connection is not open');
    this.pending.push(data);
    this.flush();
  }

  /** One POST at a time: the server handles a connection's POSTs in order and refuses one that overtakes another. */
  flush() {
    if (this.posting || this.pending.length === 0 || this.readyState !== OPEN) return;
    const body = new Blob(this.pending);
    this.pending = [];
    this.posting = true;
    fetch(this.post, {
      method: 'POST',
      body,
      credentials: 'same-origin',
      headers: { 'Content-Type': 'text/plain;charset=UTF-8', ...csrfHeaders() },
    }).then((response) => {
      this.posting = false;
      if (!response.ok) throw new Error(`POST ${response.status}`);
      this.flush();
    }).catch(() => {
      this.posting = false;
      this.closed(1006, 'upstream request failed', true);
    });
  }

  close() {
    this.closed(1000, '', false);
  }

  closed(code, reason, error) {
    if (this.readyState === CLOSED || this.readyState === CLOSING) return;
    this.readyState = CLOSING;
    this.source.close();
    this.pending = [];
    if (error) this.onerror?.({ type: 'error' });
    // Asynchronously, as a WebSocket's close event comes.
    setTimeout(() => {
      this.readyState = CLOSED;
      this.onclose?.({ type: 'close', code, reason, wasClean: !error });
    }, 0);
  }
}
