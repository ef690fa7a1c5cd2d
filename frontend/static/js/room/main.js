// The room page: reads what the server put on the page, wires the parts together and runs the connection.
//   history.js      what #messages shows: stored lines exactly once, by seq; catch-up; older pages; "new messages"
//   lines.js        the one renderer of a chat line (links, grouping by sender)
//   outbox.js       messages on their way (typed offline, resent on reconnect, confirmed or failed)
//   participants.js who is here, owner's powers      typing.js  "X is typing…"
//   composer.js     the message form, whisper mode   upload.js  GIF upload progress and refusals
//   unread.js       the count in the tab's title while it is hidden
// A module script: it runs once the document is parsed, after the deferred stompjs and htmx scripts.
import { isConnectionLost, stompClient } from '../common/stomp.js';
import { createComposer } from './composer.js';
import { createHistory } from './history.js';
import { createOutbox } from './outbox.js';
import { createParticipants } from './participants.js';
import { createTyping } from './typing.js';
import { createUnread } from './unread.js';
import { wireUpload } from './upload.js';

const $ = (id) => document.getElementById(id);
const page = document.body.dataset;
const roomId = page.roomId;
const me = { id: page.meId, name: page.meName, color: page.meColor };
const base = `/api/rooms/${encodeURIComponent(roomId)}`;
const messages = $('messages');
const status = $('status');
const banner = $('banner');
let over = false; // kicked or the room deleted: no reconnecting, nothing to send
let receipts = 0;

function setStatus(state, text) {
  status.dataset.state = state;
  status.textContent = text;
}

function say(text) {
  if (over && !text) return; // why the room is over stays, with the way back
  banner.textContent = text;
  $('banner-row').classList.toggle('hidden', !text);
}

/** When a kick's ban ends, as the reader reads times: the time alone today, with the date otherwise. */
function when(iso) {
  const at = new Date(iso);
  return at.toDateString() === new Date().toDateString()
    ? at.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })
    : at.toLocaleString([], { dateStyle: 'medium', timeStyle: 'short' });
}

/**
 * The room is over for this page (kicked, deleted, refused): say why, offer the way back, and go read-only —
 * nothing to send or upload, nobody listed — and stay disconnected. The first reason wins.
 */
function stop(message, listNote) {
  if (over) return;
  over = true;
  const focusLost = document.activeElement?.closest('#composer, #gif-form') != null;
  say(message);
  $('back-to-lobby').classList.remove('hidden');
  setStatus('offline', 'disconnected');
  composer.disable();
  upload.stop();
  participants.stop(listNote);
  typing.stop();
  history.stop();
  client.deactivate();
  // Whoever was typing had the focus in a field that is disabled now: give it to the way out.
  if (focusLost) $('back-to-lobby').focus();
}

const kicked = (notice) => stop(
  `You were removed from this room by the owner.${notice.until ? ` You can enter it again after ${when(notice.until)}.` : ''}`,
  'You are no longer in this room.',
);

const onRoomEvent = (frame) => {
  const event = JSON.parse(frame.body);
  if (event.type === 'presence') participants.render(event.owner, event.participants);
  else if (event.type === 'roomDeleted') stop('This room was deleted.', 'Nobody is here: the room is gone.');
  else if (event.seq !== undefined) history.show([event]);
};

const client = stompClient({
  onConnect() {
    setStatus('online', 'online');
    say('');
    const resumeFrom = history.lastSeq();
    client.subscribe('/user/queue/notice', (frame) => {
      const notice = JSON.parse(frame.body);
      if (notice.type === 'kicked' && notice.room === roomId) kicked(notice);
    });
    client.subscribe('/user/queue/errors', (frame) => {
      const error = JSON.parse(frame.body);
      if (error.clientId) outbox.fail(error.clientId, error.message); else say(error.message);
    });
    client.subscribe('/user/queue/whisper', (frame) => {
      const whisper = JSON.parse(frame.body);
      if (whisper.room === roomId) history.showWhisper(whisper);
    });
    // Subscribing to the room topic is entering the room. Once its RECEIPT is in, I am a member: the participant
    // list, the history API and the typing topic answer me now. Lines published meanwhile come on the topic,
    // and the catch-up from resumeFrom fills whatever a disconnect missed; the outbox goes last.
    const receipt = `enter-${++receipts}`;
    client.watchForReceipt(receipt, () => {
      participants.refresh();
      history.catchUp(resumeFrom).catch(() => {}).then(outbox.flush);
      typing.subscribe();
    });
    client.subscribe(`/topic/chat/${roomId}`, onRoomEvent, { receipt });
  },
  onStompError(frame) {
    // A restart, a missed heart-beat, a slow link: the close follows, and the client reconnects by itself as after
    // any lost connection; the catch-up fills the gap.
    if (isConnectionLost(frame)) return;
    stop(frame.headers.message ? `Cannot stay in this room: ${frame.headers.message.replace(/\.$/, '')}.` : 'Disconnected.',
      'You are no longer in this room.');
  },
  onWebSocketClose() {
    if (over) return;
    setStatus('offline', 'reconnecting…');
    outbox.disconnected();
  },
});

const unread = createUnread();

const history = createHistory({
  list: messages,
  older: $('load-older'),
  marker: $('new-messages'),
  base,
  meId: me.id,
  pageSize: Math.min(Number(messages.dataset.historyLimit), Number(messages.dataset.maxPage)),
  maxPage: Number(messages.dataset.maxPage),
  onStored: (line) => { if (line.clientId) outbox.confirm(line.clientId); },
  onArrived(line) {
    if (line.type === 'system') return;
    typing.heard((line.user || line.from).id);
    unread.arrived();
  },
  say,
});

const outbox = createOutbox({ client, roomId, me, history });

const composer = createComposer({
  form: $('composer'),
  input: $('message'),
  send: $('send'),
  whisperTo: $('whisper-to'),
  onSay: (chat) => outbox.queue(chat),
  onWhisper(who, chat) {
    // Whispers are not stored and have no outbox: they need the connection now.
    if (!client.connected) { say('Whispers need a connection; try again in a moment.'); return false; }
    client.publish({
      destination: `/app/chat/${roomId}/whisper`,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ to: who.id, chat }),
    });
    return true;
  },
});

const participants = createParticipants({
  list: $('participants'),
  card: $('participants-card'),
  toggle: $('participants-toggle'),
  count: $('participant-count'),
  toggleCount: $('participants-toggle-count'),
  note: $('participants-over'),
  template: $('participant-template'),
  deleteRoom: $('delete-room'),
  meId: me.id,
  base,
  onWhisper: (who) => composer.whisperTarget(who),
  onChange(people) {
    const target = composer.target();
    if (target && !people.some((p) => p.id === target.id)) composer.whisperTarget(null);
  },
  say,
});

const typing = createTyping({
  input: $('message'), line: $('typing'), client, roomId, meId: me.id, whispering: () => composer.target() !== null,
});

const upload = wireUpload({
  form: $('gif-form'),
  box: $('upload'),
  progress: $('upload-progress'),
  status: $('upload-status'),
  button: $('gif-send'),
  input: $('gif-input'),
});

// The page came with the last lines as JSON (chatLimits.history of them at most): the same renderer as live
// lines shows them, and scrolls to the end (an empty list is "at the bottom").
history.start(JSON.parse(messages.dataset.history));
client.activate();
