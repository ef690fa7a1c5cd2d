// A room: messages (stored, ordered by seq, shown exactly once across reconnects), an outbox for messages typed
// while offline, whispers, typing signals, GIF uploads with progress, live participants, kick and deletion.
(function () {
  'use strict';

  document.addEventListener('DOMContentLoaded', () => {
    const body = document.body;
    const roomId = body.dataset.roomId;
    const meId = body.dataset.meId;
    const base = `/api/rooms/${encodeURIComponent(roomId)}`;
    let ownerId = body.dataset.ownerId;
    const $ = (id) => document.getElementById(id);
    const messages = $('messages');
    const participants = $('participants');
    const status = $('status');
    const banner = $('banner');
    const composer = $('composer');
    const input = $('message');
    const whisperTo = $('whisper-to');
    const typing = $('typing');
    const template = $('participant-template');
    const seen = new Set([...messages.children].map((li) => Number(li.dataset.seq)));
    let lastSeq = Math.max(0, ...seen);
    let people = [];
    let whisperTarget = null;
    let over = false;
    let receipts = 0;
    const outbox = []; // {clientId, chat, li, sent}

    const uuid = () => {
      const b = crypto.getRandomValues(new Uint8Array(16));
      b[6] = (b[6] & 0x0f) | 0x40;
      b[8] = (b[8] & 0x3f) | 0x80;
      const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
      return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
    };

    function setStatus(state, text) {
      status.dataset.state = state;
      status.textContent = text;
    }

    function say(text) {
      banner.textContent = text;
      banner.classList.toggle('hidden', !text);
    }

    function stop(message) {
      over = true;
      say(message);
      setStatus('offline', 'disconnected');
      composer.querySelectorAll('input, button').forEach((el) => { el.disabled = true; });
      $('gif-form').querySelectorAll('input, button').forEach((el) => { el.disabled = true; });
      $('delete-room').classList.add('hidden');
      participants.querySelectorAll('.kick, .whisper').forEach((b) => b.classList.add('hidden'));
      client.deactivate();
    }

    const nearBottom = () => messages.scrollHeight - messages.scrollTop - messages.clientHeight < 80;
    const scrollToEnd = () => { messages.scrollTop = messages.scrollHeight; };

    function lineElement(line) {
      const li = document.createElement('li');
      li.className = `message ${line.type}`;
      if (line.type === 'system') {
        const text = document.createElement('span');
        text.className = 'system-text';
        text.textContent = line.chat;
        li.append(text);
      } else {
        li.append(GifChat.person(line.user || line.from));
        if (line.type === 'whisper') {
          const label = document.createElement('span');
          label.className = 'whisper-label';
          label.textContent = line.from.id === meId ? `whispers to ${line.to.name}` : 'whispers to you';
          li.append(label);
        }
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
          img.loading = 'lazy';
          img.src = line.gif;
          li.append(img);
        }
      }
      if (line.createdAt) {
        const time = document.createElement('time');
        time.dateTime = line.createdAt;
        time.textContent = GifChat.clock(line.createdAt);
        li.append(time);
      }
      return li;
    }

    /** Shows a stored line once, in seq order, whichever way it arrived (live, catch-up, older page). */
    function show(line) {
      if (seen.has(line.seq)) return;
      seen.add(line.seq);
      const stick = nearBottom();
      const li = lineElement(line);
      li.dataset.seq = line.seq;
      const after = [...messages.querySelectorAll('li[data-seq]')].find((el) => Number(el.dataset.seq) > line.seq);
      messages.insertBefore(li, after || firstPending());
      lastSeq = Math.max(lastSeq, line.seq);
      if (line.clientId) confirm(line.clientId);
      if (stick || line.user?.id === meId) scrollToEnd();
    }

    const firstPending = () => messages.querySelector('li.pending, li.failed');

    // ---- the outbox: messages typed while offline go out once the connection is back, exactly once ----
    function queue(chat) {
      const li = document.createElement('li');
      li.className = 'message chat pending';
      li.append(GifChat.person({ name: $('me-name').textContent, color: $('me-name').dataset.color }));
      const text = document.createElement('span');
      text.className = 'text';
      text.textContent = chat;
      const state = document.createElement('span');
      state.className = 'delivery';
      state.textContent = client.connected ? 'sending…' : 'waiting for connection…';
      li.append(text, state);
      messages.append(li);
      scrollToEnd();
      const item = { clientId: uuid(), chat, li, sent: false };
      outbox.push(item);
      flush();
    }

    function flush() {
      if (!client.connected) return;
      outbox.filter((item) => !item.sent).forEach((item) => {
        item.sent = true;
        item.li.querySelector('.delivery').textContent = 'sending…';
        client.publish({
          destination: `/app/chat/${roomId}`,
          headers: { 'content-type': 'application/json', receipt: `chat-${item.clientId}` },
          body: JSON.stringify({ chat: item.chat, clientId: item.clientId }),
        });
      });
    }

    function confirm(clientId) {
      const i = outbox.findIndex((item) => item.clientId === clientId);
      if (i < 0) return;
      outbox[i].li.remove();
      outbox.splice(i, 1);
    }

    function fail(clientId, reason) {
      const i = outbox.findIndex((item) => item.clientId === clientId);
      if (i < 0) return;
      const { li } = outbox[i];
      outbox.splice(i, 1);
      li.classList.replace('pending', 'failed');
      li.querySelector('.delivery').textContent = `not sent: ${reason}`;
    }

    // ---- participants ----
    function renderParticipants(owner, list) {
      ownerId = owner.id;
      people = list;
      const iOwn = ownerId === meId;
      $('delete-room').classList.toggle('hidden', !iOwn || over);
      participants.replaceChildren(...list.map((who) => {
        const li = template.content.firstElementChild.cloneNode(true);
        li.dataset.id = who.id;
        li.querySelector('.person').replaceWith(GifChat.person(who));
        li.querySelector('.owner-badge').classList.toggle('hidden', who.id !== ownerId);
        li.querySelector('.me-badge').classList.toggle('hidden', who.id !== meId);
        const kick = li.querySelector('.kick');
        kick.classList.toggle('hidden', !iOwn || who.id === meId || over);
        kick.addEventListener('click', () => {
          if (!window.confirm(`Remove ${who.name} from the room?`)) return;
          GifChat.api('POST', `${base}/kick/${encodeURIComponent(who.id)}`).catch((e) => say(e.message));
        });
        const whisper = li.querySelector('.whisper');
        whisper.classList.toggle('hidden', who.id === meId || over);
        whisper.addEventListener('click', () => setWhisper(who));
        return li;
      }));
      $('participant-count').textContent = list.length;
      if (whisperTarget && !list.some((p) => p.id === whisperTarget.id)) setWhisper(null);
    }

    const refreshParticipants = () => GifChat.api('GET', `${base}/participants`)
      .then((p) => renderParticipants(p.owner, p.participants)).catch(() => {});

    function setWhisper(who) {
      whisperTarget = who;
      whisperTo.classList.toggle('hidden', !who);
      whisperTo.querySelector('.target').replaceChildren(...(who ? [GifChat.person(who)] : []));
      input.placeholder = who ? `Whisper to ${who.name}…` : 'Say something…';
      input.focus();
    }
    whisperTo.querySelector('.cancel').addEventListener('click', () => setWhisper(null));

    // ---- history ----
    async function catchUp(from) {
      let after = from;
      for (let page = 0; page < 100; page++) {
        const lines = await GifChat.api('GET', `${base}/chats?after=${after}&limit=200`);
        lines.forEach(show);
        if (lines.length < 200) return;
        after = lines[lines.length - 1].seq;
      }
    }

    $('load-older').addEventListener('click', async () => {
      const first = Math.min(...[...seen].filter((s) => s > 0));
      const lines = await GifChat.api('GET', `${base}/chats?before=${first}`);
      const keep = messages.scrollHeight - messages.scrollTop;
      lines.forEach(show);
      messages.scrollTop = messages.scrollHeight - keep;
      $('load-older').classList.toggle('hidden', lines.length === 0);
    });

    // ---- typing ----
    const typers = new Map();
    function showTyping() {
      const names = [...typers.keys()].map((id) => people.find((p) => p.id === id)?.name).filter(Boolean);
      typing.textContent = names.length ? `${names.join(', ')} ${names.length > 1 ? 'are' : 'is'} typing…` : '';
    }
    let lastTyped = 0;
    input.addEventListener('input', () => {
      if (!client.connected || Date.now() - lastTyped < 2000 || !input.value) return;
      lastTyped = Date.now();
      client.publish({ destination: `/topic/chat/${roomId}/typing`, body: JSON.stringify({ id: meId }) });
    });

    // ---- the connection ----
    const onRoomEvent = (frame) => {
      const event = JSON.parse(frame.body);
      if (event.type === 'presence') renderParticipants(event.owner, event.participants);
      else if (event.type === 'roomDeleted') stop('This room was deleted.');
      else if (event.seq !== undefined) show(event);
    };

    const client = GifChat.stompClient({
      onConnect() {
        setStatus('online', 'online');
        say('');
        const resumeFrom = lastSeq;
        client.subscribe('/user/queue/notice', (frame) => {
          const notice = JSON.parse(frame.body);
          if (notice.type === 'kicked' && notice.room === roomId) stop(notice.reason);
        });
        client.subscribe('/user/queue/errors', (frame) => {
          const error = JSON.parse(frame.body);
          if (error.clientId) fail(error.clientId, error.message); else say(error.message);
        });
        client.subscribe('/user/queue/whisper', (frame) => {
          const whisper = JSON.parse(frame.body);
          if (whisper.room !== roomId) return;
          messages.insertBefore(lineElement(whisper), firstPending());
          scrollToEnd();
        });
        const receipt = `enter-${++receipts}`;
        client.watchForReceipt(receipt, () => {
          refreshParticipants();
          catchUp(resumeFrom).catch(() => {}).then(flush);
          client.subscribe(`/topic/chat/${roomId}/typing`, (frame) => {
            const { id } = JSON.parse(frame.body);
            if (id === meId) return;
            clearTimeout(typers.get(id));
            typers.set(id, setTimeout(() => { typers.delete(id); showTyping(); }, 3000));
            showTyping();
          });
        });
        client.subscribe(`/topic/chat/${roomId}`, onRoomEvent, { receipt });
      },
      onStompError(frame) {
        stop(frame.headers.message ? `Cannot stay in this room: ${frame.headers.message}.` : 'Disconnected.');
      },
      onWebSocketClose() {
        if (over) return;
        setStatus('offline', 'reconnecting…');
        // Unconfirmed messages go again after reconnecting; the clientId makes a repeat harmless.
        outbox.forEach((item) => {
          item.sent = false;
          item.li.querySelector('.delivery').textContent = 'waiting for connection…';
        });
      },
    });

    composer.addEventListener('submit', (event) => {
      event.preventDefault();
      const chat = input.value.trim();
      if (!chat) return;
      input.value = '';
      if (whisperTarget) {
        if (!client.connected) { say('Whispers need a connection; try again in a moment.'); return; }
        client.publish({
          destination: `/app/chat/${roomId}/whisper`,
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ to: whisperTarget.id, chat }),
        });
      } else {
        queue(chat);
      }
    });

    // ---- GIF upload (htmx posts the form; we show its progress and its answer) ----
    const gifForm = $('gif-form');
    const upload = $('upload');
    const progress = $('upload-progress');
    const uploadStatus = $('upload-status');
    gifForm.addEventListener('htmx:xhr:progress', (event) => {
      if (!event.detail.lengthComputable) return;
      upload.classList.remove('hidden');
      progress.value = Math.round((event.detail.loaded / event.detail.total) * 100);
      uploadStatus.textContent = `${progress.value}%`;
    });
    gifForm.addEventListener('htmx:beforeRequest', () => {
      upload.classList.remove('hidden');
      progress.value = 0;
      uploadStatus.textContent = 'uploading…';
    });
    gifForm.addEventListener('htmx:afterRequest', (event) => {
      const xhr = event.detail.xhr;
      if (xhr.status >= 200 && xhr.status < 300) {
        uploadStatus.textContent = 'sent';
        gifForm.reset();
        setTimeout(() => upload.classList.add('hidden'), 1500);
      } else {
        let detail = `upload failed (${xhr.status})`;
        try { detail = JSON.parse(xhr.responseText).detail || detail; } catch (e) { /* not JSON */ }
        uploadStatus.textContent = detail;
      }
    });

    $('delete-room').addEventListener('click', () => {
      if (!window.confirm('Delete this room for everyone?')) return;
      GifChat.api('DELETE', base).catch((e) => say(e.message));
    });

    scrollToEnd();
    client.activate();
  });
})();
