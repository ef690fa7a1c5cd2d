// The live room list: newRoom, updateRoom and removeRoom events from /topic/room, and one catch-up from the
// API on every (re)connect. An item has one markup, the `room(room)` fragment of fragments/items.html: the
// server renders the first list with it, and <template id="room-template"> is the same fragment rendered empty,
// which fill() completes. A full room (participants = max) shows "Full" and no link: entering would be refused.
// Below: the create form's states.
import { api } from './common/http.js';
import { stompClient } from './common/stomp.js';
import { fillPerson } from './person.js';

const list = document.getElementById('rooms');
const empty = document.getElementById('no-rooms');
const live = document.getElementById('live');
const template = document.getElementById('room-template');

const itemOf = (id) => list.querySelector(`li[data-room-id="${CSS.escape(id)}"]`);
const refreshEmpty = () => empty.classList.toggle('hidden', list.children.length > 0);

/** Puts a room ({id, title, locked, participants, max, owner}) into a list item, new or server-rendered. */
function fill(item, room) {
  const full = room.participants >= room.max;
  item.dataset.roomId = room.id;
  item.classList.toggle('full', full);
  const link = item.querySelector('.room-link');
  if (full) link.removeAttribute('href'); else link.href = `/room/${encodeURIComponent(room.id)}`;
  item.querySelector('.title').textContent = room.title;
  item.querySelector('.lock').classList.toggle('hidden', !room.locked);
  item.querySelector('.participants').textContent = room.participants;
  item.querySelector('.max').textContent = room.max;
  item.querySelector('.enter').classList.toggle('hidden', full);
  item.querySelector('.full-label').classList.toggle('hidden', !full);
  fillPerson(item.querySelector('.owner .person'), room.owner);
}

const handlers = {
  newRoom(room) {
    if (itemOf(room.id)) return handlers.updateRoom(room);
    const item = template.content.firstElementChild.cloneNode(true);
    fill(item, room);
    list.prepend(item);
    refreshEmpty();
  },
  updateRoom(room) {
    const item = itemOf(room.id);
    if (item) fill(item, room); else handlers.newRoom(room);
  },
  removeRoom(room) {
    itemOf(room.id)?.remove();
    refreshEmpty();
  },
};

const client = stompClient({
  onConnect() {
    live.textContent = 'live';
    live.dataset.state = 'online';
    client.subscribe('/topic/room', (frame) => {
      const event = JSON.parse(frame.body);
      const handler = handlers[event.type];
      if (handler) handler(event.room);
    });
    // The list may have changed between rendering and subscribing (or while reconnecting): catch up once.
    api('GET', '/api/rooms').then((rooms) => {
      const ids = new Set(rooms.map((r) => r.id));
      [...list.children].forEach((item) => { if (!ids.has(item.dataset.roomId)) item.remove(); });
      rooms.slice().reverse().forEach((room) => handlers.updateRoom(room));
      // updateRoom prepends new ones; keep the server's order (newest first).
      rooms.forEach((room) => list.append(itemOf(room.id)));
      refreshEmpty();
    }).catch(() => {});
  },
  onWebSocketClose() {
    live.textContent = 'reconnecting…';
    live.dataset.state = 'offline';
  },
});
client.activate();

// ---- The create form (fragments/room-form.html), posted by htmx ----
// In flight: the button is disabled (a second click, or Enter, sends nothing) and says "Creating…" until the
// page leaves for the room. A failure shows as one: red button, the ProblemDetail's detail in #create-error,
// both cleared by the next try. A 422 swaps in a fresh form with the field errors. The server makes one room per
// idempotencyKey whatever arrives, and a new key is drawn once a room was made, for a page restored from the
// back-forward cache.

const isCreateForm = (element) => element instanceof HTMLFormElement && element.id === 'room-form';

function newKey() {
  if (crypto.randomUUID) return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16)); // randomUUID needs a secure context; this does not
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

function setBusy(form, busy) {
  const button = form.querySelector('button[type=submit]');
  if (!button.dataset.idleLabel) button.dataset.idleLabel = button.textContent;
  button.disabled = busy;
  button.textContent = busy ? button.dataset.busyLabel : button.dataset.idleLabel;
  form.setAttribute('aria-busy', String(busy));
}

function showFailure(form, message) {
  form.querySelector('button[type=submit]').classList.toggle('failed', message !== null);
  form.querySelector('#create-error').textContent = message ?? '';
}

/** What went wrong, in words: the ProblemDetail's detail, else the status. */
function failureOf(xhr) {
  if (xhr.status === 0) return 'No answer from the server. Check your connection and try again.';
  try {
    const detail = JSON.parse(xhr.responseText).detail;
    if (detail) return detail;
  } catch (e) { /* not a ProblemDetail */ }
  return `The room could not be created (error ${xhr.status}). Reload the page and try again.`;
}

document.addEventListener('htmx:beforeRequest', (event) => {
  const form = event.detail.elt;
  if (!isCreateForm(form)) return;
  showFailure(form, null);
  setBusy(form, true);
});

document.addEventListener('htmx:afterRequest', (event) => {
  const form = event.detail.elt;
  if (!isCreateForm(form) || !form.isConnected) return; // a 422 swapped in a fresh form
  const { xhr, successful } = event.detail;
  if (successful && xhr.getResponseHeader('HX-Redirect')) {
    form.querySelector('input[name=idempotencyKey]').value = newKey();
    return; // on its way into the room: stay busy
  }
  setBusy(form, false);
  if (!successful) showFailure(form, failureOf(xhr));
});

window.addEventListener('pageshow', (event) => {
  const form = document.getElementById('room-form');
  if (!event.persisted || !form) return;
  setBusy(form, false);
  showFailure(form, null);
  form.querySelector('input[name=idempotencyKey]').value = newKey();
});
