// What #messages shows, and in which order. Stored lines carry the room's seq: each is shown exactly once and
// placed by seq, however it arrived (the page's own history, live, catch-up after a reconnect, an older page),
// so a line that comes twice or late cannot double or jump. Lines without a seq (whispers, the outbox's) stay
// below the stored ones: a whisper where it arrived, unconfirmed messages at the very end.
import { api } from '../common/http.js';
import { renderLine } from './lines.js';

/**
 * list: #messages. older: the "load older" button. base: /api/rooms/{id}. maxPage: the largest limit the history
 * API accepts. onStored(line): a line was shown for the first time (the outbox confirms by its clientId).
 */
export function createHistory({ list, older, base, meId, maxPage, onStored }) {
  const seen = new Set();
  let lastSeq = 0;

  const nearBottom = () => list.scrollHeight - list.scrollTop - list.clientHeight < 80;
  const scrollToEnd = () => { list.scrollTop = list.scrollHeight; };
  const firstPending = () => list.querySelector('li.pending, li.failed');

  function place(li, seq) {
    // Usually the newest: straight above the unconfirmed lines. Otherwise before the first later one.
    const after = seq > lastSeq ? null
      : [...list.querySelectorAll('li[data-seq]')].find((el) => Number(el.dataset.seq) > seq);
    list.insertBefore(li, after || firstPending());
  }

  /** Shows stored lines not shown yet, each at its seq; follows them down if the reader was at the bottom. */
  function show(lines) {
    const stick = nearBottom();
    let mine = false;
    lines.forEach((line) => {
      if (seen.has(line.seq)) return;
      seen.add(line.seq);
      place(renderLine(line, meId), line.seq);
      lastSeq = Math.max(lastSeq, line.seq);
      if (line.user?.id === meId) mine = true;
      onStored(line);
    });
    if (stick || mine) scrollToEnd();
  }

  /** A whisper: not stored, no seq; shown where it arrives, above the unconfirmed lines. */
  function showWhisper(whisper) {
    list.insertBefore(renderLine(whisper, meId), firstPending());
    scrollToEnd();
  }

  /** An outbox line: at the very end until the stored line replaces it. */
  function showPending(li) {
    list.append(li);
    scrollToEnd();
  }

  /** After a reconnect: everything stored after seq `from`, page by page (at most 100 pages of maxPage). */
  async function catchUp(from) {
    let after = from;
    for (let page = 0; page < 100; page++) {
      const lines = await api('GET', `${base}/chats?after=${after}&limit=${maxPage}`);
      show(lines);
      if (lines.length < maxPage) return;
      after = lines[lines.length - 1].seq;
    }
  }

  // One page before the first line shown, keeping the reader's place; the button goes once nothing older is left.
  older.addEventListener('click', async () => {
    const first = Math.min(...[...seen].filter((s) => s > 0));
    const lines = await api('GET', `${base}/chats?before=${first}`);
    const keep = list.scrollHeight - list.scrollTop;
    show(lines);
    list.scrollTop = list.scrollHeight - keep;
    older.classList.toggle('hidden', lines.length === 0);
  });

  return {
    show, showWhisper, showPending, catchUp,
    /** The newest seq shown: where a catch-up after a reconnect starts. */
    lastSeq: () => lastSeq,
  };
}
