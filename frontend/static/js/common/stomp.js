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

export function isGoingAway(frame) {
  return frame.headers.message === GOING_AWAY;
}
