// The live room list: newRoom, updateRoom and removeRoom events from /topic/room, and one catch-up from the
// API on every (re)connect. An item has one markup, the `room(room)` fragment of fragments/items.html: the
// server renders the first list with it, and <template id="room-template"> is the same fragment rendered empty,
// which fill() completes.
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
  item.dataset.roomId = room.id;
  item.querySelector('.room-link').href = `/room/${encodeURIComponent(room.id)}`;
  item.querySelector('.title').textContent = room.title;
  item.querySelector('.lock').classList.toggle('hidden', !room.locked);
  item.querySelector('.participants').textContent = room.participants;
  item.querySelector('.max').textContent = room.max;
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
