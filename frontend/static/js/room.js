// A room: live participants, join/exit/owner/kick lines, deletion and kick notices.
(function () {
  'use strict';

  document.addEventListener('DOMContentLoaded', () => {
    const body = document.body;
    const roomId = body.dataset.roomId;
    const meId = body.dataset.meId;
    let ownerId = body.dataset.ownerId;
    const messages = document.getElementById('messages');
    const participants = document.getElementById('participants');
    const participantCount = document.getElementById('participant-count');
    const status = document.getElementById('status');
    const banner = document.getElementById('banner');
    const deleteButton = document.getElementById('delete-room');
    const template = document.getElementById('participant-template');
    let lastSeq = Math.max(0, ...[...messages.children].map((li) => Number(li.dataset.seq) || 0));
    let receipts = 0;
    let over = false;

    function setStatus(state, text) {
      status.dataset.state = state;
      status.textContent = text;
    }

    function stop(message) {
      over = true;
      banner.textContent = message;
      banner.classList.remove('hidden');
      setStatus('offline', 'disconnected');
      deleteButton.classList.add('hidden');
      participants.querySelectorAll('.kick').forEach((b) => b.classList.add('hidden'));
      client.deactivate();
    }

    function scrollToEnd() {
      messages.scrollTop = messages.scrollHeight;
    }

    /** Appends a stored line once, in seq order; a line already shown is ignored. */
    function append(line) {
      if (line.seq <= lastSeq) return;
      lastSeq = line.seq;
      const li = document.createElement('li');
      li.className = `message ${line.type}`;
      li.dataset.seq = line.seq;
      if (line.type === 'system') {
        const text = document.createElement('span');
        text.className = 'system-text';
        text.textContent = line.chat;
        li.append(text);
      } else {
        li.append(GifChat.person(line.user));
        if (line.chat !== undefined) {
          const text = document.createElement('span');
          text.className = 'text';
          text.textContent = line.chat;
          li.append(text);
        }
        if (line.gif !== undefined) {
          const img = document.createElement('img');
          img.className = 'gif';
          img.alt = 'GIF';
          img.src = line.gif;
          li.append(img);
        }
      }
      const time = document.createElement('time');
      time.dateTime = line.createdAt;
      time.textContent = GifChat.clock(line.createdAt);
      li.append(time);
      messages.append(li);
      scrollToEnd();
    }

    function renderParticipants(owner, people) {
      ownerId = owner.id;
      const iOwn = ownerId === meId;
      deleteButton.classList.toggle('hidden', !iOwn || over);
      participants.replaceChildren(...people.map((who) => {
        const li = template.content.firstElementChild.cloneNode(true);
        li.dataset.id = who.id;
        li.querySelector('.person').replaceWith(GifChat.person(who));
        li.querySelector('.owner-badge').classList.toggle('hidden', who.id !== ownerId);
        li.querySelector('.me-badge').classList.toggle('hidden', who.id !== meId);
        const kick = li.querySelector('.kick');
        kick.classList.toggle('hidden', !iOwn || who.id === meId || over);
        kick.addEventListener('click', () => {
          if (!confirm(`Remove ${who.name} from the room?`)) return;
          GifChat.api('POST', `/api/rooms/${encodeURIComponent(roomId)}/kick/${encodeURIComponent(who.id)}`)
            .catch((e) => alert(e.message));
        });
        return li;
      }));
      participantCount.textContent = people.length;
    }

    function refreshParticipants() {
      GifChat.api('GET', `/api/rooms/${encodeURIComponent(roomId)}/participants`)
        .then((p) => renderParticipants(p.owner, p.participants))
        .catch(() => {});
    }

    const onRoomEvent = (frame) => {
      const event = JSON.parse(frame.body);
      switch (event.type) {
        case 'presence': renderParticipants(event.owner, event.participants); break;
        case 'roomDeleted': stop('This room was deleted.'); break;
        default: append(event);
      }
    };

    const client = GifChat.stompClient({
      onConnect() {
        setStatus('online', 'online');
        client.subscribe('/user/queue/notice', (frame) => {
          const notice = JSON.parse(frame.body);
          if (notice.type === 'kicked' && notice.room === roomId) stop(notice.reason);
        });
        const receipt = `enter-${++receipts}`;
        client.watchForReceipt(receipt, refreshParticipants);
        client.subscribe(`/topic/chat/${roomId}`, onRoomEvent, { receipt });
      },
      onStompError(frame) {
        stop(frame.headers.message ? `Cannot stay in this room: ${frame.headers.message}.` : 'Disconnected.');
      },
      onWebSocketClose() {
        if (!over) setStatus('offline', 'reconnecting…');
      },
    });

    deleteButton.addEventListener('click', () => {
      if (!confirm('Delete this room for everyone?')) return;
      GifChat.api('DELETE', `/api/rooms/${encodeURIComponent(roomId)}`).catch((e) => alert(e.message));
    });

    scrollToEnd();
    client.activate();
  });
})();
