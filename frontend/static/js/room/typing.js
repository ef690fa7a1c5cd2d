// "X is typing…": my typing goes out at most every 2 s on /topic/chat/{id}/typing as {id}; somebody else's shows
// until 3 s after their last signal. Names come from the participant list (a signal carries only the id).
const SEND_EVERY = 2000;
const SHOW_FOR = 3000;

/** input: the message field. line: #typing. nameOf(id): a participant's name, or undefined. */
export function createTyping({ input, line, client, roomId, meId, nameOf }) {
  const typers = new Map(); // id → timeout that forgets them
  let lastTyped = 0;

  function render() {
    const names = [...typers.keys()].map(nameOf).filter(Boolean);
    line.textContent = names.length ? `${names.join(', ')} ${names.length > 1 ? 'are' : 'is'} typing…` : '';
  }

  input.addEventListener('input', () => {
    if (!client.connected || Date.now() - lastTyped < SEND_EVERY || !input.value) return;
    lastTyped = Date.now();
    client.publish({ destination: `/topic/chat/${roomId}/typing`, body: JSON.stringify({ id: meId }) });
  });

  return {
    /** Listens on this connection; call once per connection, once inside the room. */
    subscribe() {
      client.subscribe(`/topic/chat/${roomId}/typing`, (frame) => {
        const { id } = JSON.parse(frame.body);
        if (id === meId) return;
        clearTimeout(typers.get(id));
        typers.set(id, setTimeout(() => { typers.delete(id); render(); }, SHOW_FOR));
        render();
      });
    },
  };
}
