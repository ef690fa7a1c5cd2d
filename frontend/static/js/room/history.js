// What #messages shows, and in which order. Stored lines carry the room's seq: each is shown exactly once and
// placed by seq, however it arrived (the page's own history, live, catch-up after a reconnect, an older page),
// so a line that comes twice or late cannot double or jump. Lines without a seq (whispers, the outbox's) stay
// below the stored ones: a whisper where it arrived, unconfirmed messages at the very end.
// The reader keeps their place: new lines follow them down only while they are at the bottom (or wrote the line);
// otherwise "New messages ↓" says there is more below.
import { api } from '../common/http.js';
import { paint } from '../common/colors.js';
import { regroup, renderLine } from './lines.js';

/**
 * list: #messages. older: the "load older" button. marker: the "new messages" button. base: /api/rooms/{id}.
 * pageSize: lines per older page (the page came with at most as many). maxPage: the largest limit the history
 * API accepts (catch-up pages). onStored(line): a line was shown for the
 * first time (the outbox confirms by its clientId). onArrived(line): a new line from somebody else came in (live
 * or in a catch-up; a whisper too). say(text): the banner.
 */
export function createHistory({ list, older, marker, base, meId, pageSize, maxPage, onStored, onArrived, say }) {
  const seen = new Set();
  let lastSeq = 0;
  let olderLeft = true; // false once the room's first line is shown or a page came back short

  const nearBottom = () => list.scrollHeight - list.scrollTop - list.clientHeight < 80;
  const firstPending = () => list.querySelector('li.pending, li.failed');
  const oldestSeq = () => Math.min(...seen);

  function scrollToEnd() {
    list.scrollTop = list.scrollHeight;
    marker.classList.add('hidden');
  }

  function place(li, seq) {
    // Usually the newest: straight above the unconfirmed lines. Otherwise before the first later one.
    const after = seq > lastSeq ? null
      : [...list.querySelectorAll('li[data-seq]')].find((el) => Number(el.dataset.seq) > seq);
    list.insertBefore(li, after || firstPending());
  }

  /** Shows "load older" while there may be older lines: the room's first line (seq 1) is the oldest there is. */
  function updateOlder() {
    if (seen.size && oldestSeq() <= 1) olderLeft = false;
    older.classList.toggle('hidden', !olderLeft || seen.size === 0);
  }

  /**
   * Shows stored lines not shown yet, each at its seq. kind: 'live' (new lines: follow them down if the reader is
   * at the bottom, else show the marker), 'initial' (the page's own lines: not news) or 'older' (above the rest:
   * the caller keeps the reader's place).
   */
  function show(lines, kind = 'live') {
    const stick = nearBottom();
    let mine = false;
    let news = false;
    lines.forEach((line) => {
      if (seen.has(line.seq)) return;
      seen.add(line.seq);
      const newest = line.seq > lastSeq;
      place(renderLine(line, meId), line.seq);
      lastSeq = Math.max(lastSeq, line.seq);
      if (line.user?.id === meId) mine = true;
      else if (newest && kind === 'live') {
        news = true;
        onArrived(line);
      }
      onStored(line);
    });
    regroup(list);
    updateOlder();
    if (kind === 'older') return;
    if (stick || mine) scrollToEnd();
    else if (news) marker.classList.remove('hidden');
  }

  /** A whisper: not stored, no seq; shown where it arrives, above the unconfirmed lines. */
  function showWhisper(whisper) {
    const stick = nearBottom();
    const li = renderLine(whisper, meId);
    list.insertBefore(li, firstPending());
    paint(li); // its names again, now on the whisper's tinted background
    regroup(list);
    const mine = whisper.from.id === meId;
    if (!mine) onArrived(whisper);
    if (stick || mine) scrollToEnd(); else marker.classList.remove('hidden');
  }

  /** An outbox line: at the very end until the stored line replaces it. */
  function showPending(li) {
    list.append(li);
    regroup(list);
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

  // One page before the first line shown, keeping the reader's place.
  older.addEventListener('click', async () => {
    older.disabled = true;
    try {
      const lines = await api('GET', `${base}/chats?before=${oldestSeq()}&limit=${pageSize}`);
      const keep = list.scrollHeight - list.scrollTop;
      show(lines, 'older');
      list.scrollTop = list.scrollHeight - keep;
      if (lines.length < pageSize) olderLeft = false;
      updateOlder();
    } catch (e) {
      say(`Older messages could not be loaded: ${e.message}`);
    } finally {
      older.disabled = false;
    }
  });

  marker.addEventListener('click', scrollToEnd);
  list.addEventListener('scroll', () => { if (nearBottom()) marker.classList.add('hidden'); });

  return {
    /** The lines the page came with: fewer than a page means there is nothing older. */
    start(lines) {
      if (lines.length < pageSize) olderLeft = false;
      show(lines, 'initial');
    },
    show, showWhisper, showPending, catchUp,
    /** The newest seq shown: where a catch-up after a reconnect starts. */
    lastSeq: () => lastSeq,
    /** The room is over for this page: nothing older can be fetched any more. */
    stop() {
      olderLeft = false;
      older.classList.add('hidden');
    },
  };
}
