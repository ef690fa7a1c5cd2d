// The STOMP client every live page uses. @stomp/stompjs is the webjar's UMD bundle, loaded by a deferred classic
// <script> in the layout head: deferred scripts run before module scripts, so window.StompJs is there by now.

/** A not yet activated client for /ws on this host; options (callbacks mostly) are merged over the defaults. */
export function stompClient(options) {
  const { Client, ReconnectionTimeMode } = window.StompJs;
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  return new Client({
    brokerURL: `${scheme}://${location.host}/ws`,
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
