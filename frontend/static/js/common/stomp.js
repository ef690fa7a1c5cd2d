// The STOMP client every live page uses. @stomp/stompjs is the webjar's UMD bundle, loaded by a deferred classic
// <script> in the layout head: deferred scripts run before module scripts, so window.StompJs is there by now.

import { FallbackSocket } from './fallback.js';

/** How long a WebSocket may take to open before the page switches to the fallback carrier (README). */
const WEBSOCKET_PATIENCE_MS = 2500;
const REMEMBERED = 'gifchat.transport';
const SUBPROTOCOLS = ['v12.stomp', 'v11.stomp', 'v10.stomp'];

// One choice per page: WebSocket first; the fallback once a WebSocket failed (or did not open in time) before any
// had ever opened here — then for the rest of the browser session too (sessionStorage), so the next page does not
// wait again. A WebSocket that opened once proves the network takes them: later failures (a restart) retry it.
let fallback = sessionStorage.getItem(REMEMBERED) === 'fallback';
let webSocketOpened = false;

function useFallback() {
  if (webSocketOpened || fallback) return;
  fallback = true;
  try { sessionStorage.setItem(REMEMBERED, 'fallback'); } catch (e) { /* storage refused: this page only */ }
}

/** "fallback connection" next to the page's live status, where the page has the element for it. */
function showCarrier() {
  document.getElementById('fallback-note')?.classList.toggle('hidden', !fallback);
}

function webSocket() {
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  const socket = new WebSocket(`${scheme}://${location.host}/ws`, SUBPROTOCOLS);
  const patience = setTimeout(() => {
    if (socket.readyState !== WebSocket.CONNECTING) return;
    useFallback();
    socket.close(); // stompjs hears the close and reconnects, through the fallback now
  }, WEBSOCKET_PATIENCE_MS);
  socket.addEventListener('open', () => {
    clearTimeout(patience);
    webSocketOpened = true;
  });
  socket.addEventListener('close', () => {
    clearTimeout(patience);
    if (!webSocketOpened) useFallback();
  });
  return socket;
}

/** A not yet activated client for /ws on this host (or its fallback); options (callbacks mostly) are merged over the defaults. */
export function stompClient(options) {
  const { Client, ReconnectionTimeMode } = window.StompJs;
  return new Client({
    webSocketFactory() {
      const socket = fallback ? new FallbackSocket() : webSocket();
      showCarrier();
      return socket;
    },
    // Back off exponentially from 500 ms to 10 s while the server is away (restart, network loss).
    reconnectDelay: 500,
    maxReconnectDelay: 10000,
    reconnectTimeMode: ReconnectionTimeMode.EXPONENTIAL,
    heartbeatIncoming: 10000,
    heartbeatOutgoing: 10000,
    ...options,
  });
}

/** The ERROR the server sends every connection when it shuts down (README, STOMP contract): reconnect, don't give up. */
export const GOING_AWAY = 'server going away; reconnect';

// ERRORs about the connection, not about what the page asked for: the server shutting down, a connection that
// went quiet (a background tab's throttled timers miss heart-beats), one that fell behind. The close follows and
// the client reconnects as after any lost connection; the page must not give up on the room for them.
const CONNECTION_LOST = new Set([GOING_AWAY, 'heart-beat timeout', 'idle timeout', 'slow consumer']);

/** Whether an ERROR ended only this connection (reconnect) rather than refused the page (give up). */
export function isConnectionLost(frame) {
  return CONNECTION_LOST.has(frame.headers.message);
}
