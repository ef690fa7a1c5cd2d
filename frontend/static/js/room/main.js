// The room page: reads what the server put on the page, wires the parts together and runs the connection.
//   history.js      what #messages shows: stored lines exactly once, by seq; catch-up; older pages
//   lines.js        the one renderer of a chat line
//   outbox.js       messages on their way (typed offline, resent on reconnect, confirmed or failed)
//   participants.js who is here, owner's powers      typing.js  "X is typing…"
//   composer.js     the message form, whisper mode   upload.js  GIF upload progress
// A module script: it runs once the document is parsed, after the deferred stompjs and htmx scripts.
import { isGoingAway, stompClient } from '../common/stomp.js';
import { createComposer } from './composer.js';
import { createHistory } from './history.js';
import { createOutbox } from './outbox.js';
import { createParticipants } from './participants.js';
import { createTyping } from './typing.js';
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
  banner.textContent = text;
  banner.classList.toggle('hidden', !text);
}

const disable = (form) => form.querySelectorAll('input, button').forEach((el) => { el.disabled = true; });

/** The room is over for this page (kicked, deleted, refused): say why and stay disconnected. */
function stop(message) {
  over = true;
  say(message);
  setStatus('offline', 'disconnected');
  disable($('composer'));
  disable($('gif-form'));
  participants.stop();
  client.deactivate();
}

const onRoomEvent = (frame) => {
  const event = JSON.parse(frame.body);
  if (event.type === 'presence') participants.render(event.owner, event.participants);
  else if (event.type === 'roomDeleted') stop('This room was deleted.');
  else if (event.seq !== undefined) history.show([event]);
};

const client = stompClient({
  onConnect() {
    setStatus('online', 'online');
    say('');
    const resumeFrom = history.lastSeq();
    client.subscribe('/user/queue/notice', (frame) => {
      const notice = JSON.parse(frame.body);
      if (notice.type === 'kicked' && notice.room === roomId) stop(notice.reason);
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
    // A restart: the close follows, and the client reconnects by itself as after any lost connection.
    if (isGoingAway(frame)) return;
    stop(frame.headers.message ? `Cannot stay in this room: ${frame.headers.message.replace(/\.$/, '')}.` : 'Disconnected.');
  },
  onWebSocketClose() {
    if (over) return;
    setStatus('offline', 'reconnecting…');
    outbox.disconnected();
  },
});

const history = createHistory({
  list: messages,
  older: $('load-older'),
  base,
  meId: me.id,
  maxPage: Number(messages.dataset.maxPage),
  onStored: (line) => { if (line.clientId) outbox.confirm(line.clientId); },
});

const outbox = createOutbox({ client, roomId, me, history });

const composer = createComposer({
  form: $('composer'),
  input: $('message'),
  whisperTo: $('whisper-to'),
  onSay: (chat) => outbox.queue(chat),
  onWhisper(who, chat) {
    // Whispers are not stored and have no outbox: they need the connection now.
    if (!client.connected) { say('Whispers need a connection; try again in a moment.'); return; }
    client.publish({
      destination: `/app/chat/${roomId}/whisper`,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ to: who.id, chat }),
    });
  },
});

const participants = createParticipants({
  list: $('participants'),
  count: $('participant-count'),
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
  input: $('message'), line: $('typing'), client, roomId, meId: me.id,
});

wireUpload({ form: $('gif-form'), box: $('upload'), progress: $('upload-progress'), status: $('upload-status') });

// The page came with the last lines as JSON (chatLimits.history of them at most): the same renderer as live
// lines shows them. Fewer than that means there is nothing older to load.
const initial = JSON.parse(messages.dataset.history);
history.show(initial); // and scrolls to the end: an empty list is "at the bottom"
$('load-older').classList.toggle('hidden', initial.length < Number(messages.dataset.historyLimit));
client.activate();
