// Messages on their way. A message typed while offline waits here (shown as "waiting for connection…") and goes
// out once the connection is back. Each has a clientId: the server stores a clientId once, so sending again after
// a lost RECEIPT or a reconnect cannot double it. A message leaves the outbox when its stored line arrives with
// that clientId (confirm) or when the server refuses it on /user/queue/errors (fail: marked "not sent").
import { renderLine, setDelivery } from './lines.js';

const WAITING = 'waiting for connection…';
const SENDING = 'sending…';

// The last id's millisecond and its counter: ids made in one millisecond count up (RFC 9562, method 1).
let lastMillis = 0;
let counter = 0;

/**
 * A time-ordered RFC 9562 version 7 UUID: 48 bits of Unix milliseconds, a 12-bit counter, 62 random bits. Why not
 * a random one: the server stores a message under (room, sender, clientId), so ids that increase are appended next
 * to each other in the store's B-tree and one commit rewrites one page per sender, not one per message.
 * (crypto.randomUUID makes version 4 ids and needs a secure context; plain http on a LAN is not one.)
 */
function uuid() {
  const now = Date.now();
  if (now > lastMillis) {
    lastMillis = now;
    counter = 0;
  } else if (++counter > 0xfff) { // 4,096 ids in one millisecond: borrow the next one
    lastMillis += 1;
    counter = 0;
  }
  const b = crypto.getRandomValues(new Uint8Array(16));
  let t = lastMillis;
  for (let i = 5; i >= 0; i--) {
    b[i] = t % 256;
    t = Math.floor(t / 256);
  }
  b[6] = 0x70 | (counter >> 8);
  b[7] = counter & 0xff;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** client: the room's STOMP client. me: {id, name, color}. history: where the pending lines are shown. */
export function createOutbox({ client, roomId, me, history }) {
  const items = []; // {clientId, chat, li, sent}, oldest first
  // Refused ones, still on screen. A refusal may still be followed by the stored line ("could not be confirmed in
  // time" when the store answered late): the copy marked "not sent" must then go, or the message shows twice.
  const failed = new Map(); // clientId -> li

  /** Sends every message not sent on this connection yet; does nothing while offline. */
  function flush() {
    if (!client.connected) return;
    items.filter((item) => !item.sent).forEach((item) => {
      item.sent = true;
      setDelivery(item.li, 'pending', SENDING);
      client.publish({
        destination: `/app/chat/${roomId}`,
        headers: { 'content-type': 'application/json', receipt: `chat-${item.clientId}` },
        body: JSON.stringify({ chat: item.chat, clientId: item.clientId }),
      });
    });
  }

  /** A new message: shown at once as pending, sent now if connected. */
  function queue(chat) {
    const li = renderLine({ type: 'chat', user: me, chat }, me.id, '');
    setDelivery(li, 'pending', client.connected ? SENDING : WAITING);
    history.showPending(li);
    items.push({ clientId: uuid(), chat, li, sent: false });
    flush();
  }

  const take = (clientId) => {
    const i = items.findIndex((item) => item.clientId === clientId);
    return i < 0 ? null : items.splice(i, 1)[0];
  };

  /** Its stored line is shown: the pending (or refused) copy goes. */
  function confirm(clientId) {
    take(clientId)?.li.remove();
    failed.get(clientId)?.remove();
    failed.delete(clientId);
  }

  /** Refused by the server: stays on screen, marked with the reason, never resent. */
  function fail(clientId, reason) {
    const item = take(clientId);
    if (!item) return;
    setDelivery(item.li, 'failed', `not sent: ${reason}`);
    failed.set(clientId, item.li);
  }

  /** The connection dropped: whatever was not confirmed goes again after the reconnect (the clientId makes a repeat harmless). */
  function disconnected() {
    items.forEach((item) => {
      item.sent = false;
      setDelivery(item.li, 'pending', WAITING);
    });
  }

  return { queue, flush, confirm, fail, disconnected };
}
