// "X is typing…": my typing goes out at most every 2 s on /topic/chat/{id}/typing (an empty body: the server writes
// the signal from my identity, {type: "typing", room, user: {id, name, color}}); somebody else's shows until 3 s
// after their last signal, or until a line from them arrives. A whisper being written sends no signal: the room
// would see who is whispering.
const SEND_EVERY = 2000;
const SHOW_FOR = 3000;

/** input: the message field. line: #typing. whispering(): true while the field writes a whisper. */
export function createTyping({ input, line, client, roomId, meId, whispering }) {
  const typers = new Map(); // id → {name, timeout that forgets them}
  let lastTyped = 0;
  let over = false;

  function render() {
    const names = [...typers.values()].map((typer) => typer.name);
    line.textContent = names.length ? `${names.join(', ')} ${names.length > 1 ? 'are' : 'is'} typing…` : '';
  }

  function forget(id) {
    const typer = typers.get(id);
    if (!typer) return;
    clearTimeout(typer.timeout);
    typers.delete(id);
    render();
  }

  input.addEventListener('input', () => {
    if (over || whispering() || !client.connected || Date.now() - lastTyped < SEND_EVERY || !input.value) return;
    lastTyped = Date.now();
    client.publish({ destination: `/topic/chat/${roomId}/typing`, body: '{}' });
  });

  return {
    /** Listens on this connection; call once per connection, once inside the room. */
    subscribe() {
      client.subscribe(`/topic/chat/${roomId}/typing`, (frame) => {
        const { user } = JSON.parse(frame.body);
        if (over || !user || user.id === meId) return;
        clearTimeout(typers.get(user.id)?.timeout);
        const timeout = setTimeout(() => forget(user.id), SHOW_FOR);
        typers.set(user.id, { name: user.name, timeout });
        render();
      });
    },
    /** Somebody's line arrived: they are done typing it. */
    heard: (id) => forget(id),
    /** The room is over for this page. */
    stop() {
      over = true;
      [...typers.keys()].forEach(forget);
    },
  };
}
