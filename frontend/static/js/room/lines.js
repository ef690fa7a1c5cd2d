// THE chat-line renderer. Every line in #messages comes from here: the page's own history (JSON in
// #messages[data-history]), live MESSAGEs, catch-up and older pages (all one shape: {type, id, seq, room,
// user, chat?, gif?, event?, clientId?, createdAt}), whispers ({type: "whisper", from, to, chat, createdAt}) and the
// outbox's not yet confirmed lines. The markup is <template id="line-template"> in room.html; a clone keeps
// the parts this line has and loses the others. Text only ever goes in through text nodes: web addresses become
// links built as elements, never through innerHTML.
import { clock } from '../common/clock.js';
import { fillPerson } from '../person.js';

const template = document.getElementById('line-template');

/** Lines of one sender this close together are one group, shown under one name. */
export const GROUP_WITHIN_MS = 5 * 60 * 1000;

/**
 * The <li> for one line. meId decides how a whisper is labelled. delivery, for a line that is not stored yet,
 * is the text of its .delivery status (see setDelivery); stored lines have none.
 */
export function renderLine(line, meId, delivery) {
  const li = template.content.firstElementChild.cloneNode(true);
  const part = (name) => li.querySelector(`.${name}`);
  li.classList.add(line.type);
  if (line.seq !== undefined) li.dataset.seq = line.seq;

  const system = line.type === 'system';
  const who = line.user || line.from;
  if (who) li.dataset.user = who.id;
  if (line.createdAt) li.dataset.time = line.createdAt;
  if (system) part('system-text').textContent = line.chat;
  else part('system-text').remove();
  if (!system && who) fillPerson(part('person'), who);
  else part('person').remove();
  if (line.type === 'whisper') {
    part('whisper-label').textContent = line.from.id === meId ? `whispers to ${line.to.name}` : 'whispers to you';
  } else {
    part('whisper-label').remove();
  }
  if (!system && line.chat !== undefined) appendText(part('text'), line.chat);
  else part('text').remove();
  if (!system && line.gif !== undefined) part('gif').src = line.gif;
  else part('gif').remove();
  if (delivery !== undefined) part('delivery').textContent = delivery;
  else part('delivery').remove();
  const time = li.querySelector('time');
  if (line.createdAt) {
    time.dateTime = line.createdAt;
    time.textContent = clock(line.createdAt);
  } else {
    time.remove();
  }
  return li;
}

/** An unconfirmed line's state: 'pending' (text says what it waits for) or 'failed' (text says why). */
export function setDelivery(li, state, text) {
  li.classList.toggle('pending', state === 'pending');
  li.classList.toggle('failed', state === 'failed');
  li.querySelector('.delivery').textContent = text;
}

/**
 * Marks every line of list that continues the one above it (.continued: its name is hidden from sight, not from
 * screen readers): both are talk (text or GIF) of the same sender, less than GROUP_WITHIN_MS apart. Lines not
 * stored yet have no time and continue their sender's group.
 */
export function regroup(list) {
  let previous = null;
  for (const li of list.children) {
    li.classList.toggle('continued', continues(previous, li));
    previous = li;
  }
}

const talk = (li) => li.classList.contains('chat') || li.classList.contains('gif');

function continues(previous, li) {
  if (!previous || !talk(previous) || !talk(li) || previous.dataset.user !== li.dataset.user) return false;
  if (!previous.dataset.time || !li.dataset.time) return true;
  const gap = Date.parse(li.dataset.time) - Date.parse(previous.dataset.time);
  return gap >= 0 && gap < GROUP_WITHIN_MS;
}

// Web addresses in a message: http and https only (a javascript: or data: address never matches, so it stays
// text). \b keeps "xhttps://" whole; what may end an address is cut below.
const ADDRESS = /\bhttps?:\/\/[^\s<>"'`]+/gi;
const TRAILING = /[.,;:!?'"*_~]$/;
const CLOSERS = { ')': '(', ']': '[', '}': '{' };

/** Appends text to el as text nodes, with each http(s) address as a link that opens apart from this page. */
export function appendText(el, text) {
  let at = 0;
  for (const match of text.matchAll(ADDRESS)) {
    const address = trimEnd(match[0]);
    const href = safeHref(address);
    if (!href) continue;
    if (match.index > at) el.append(text.slice(at, match.index));
    const a = document.createElement('a');
    a.href = href;
    a.textContent = address;
    // The linked page gets neither this window (noopener) nor where the reader came from (noreferrer), and no
    // credit from us for a link anyone could post (nofollow).
    a.rel = 'noopener noreferrer nofollow';
    a.target = '_blank';
    el.append(a);
    at = match.index + address.length;
  }
  if (at < text.length) el.append(text.slice(at));
}

/** Punctuation that ends the sentence, not the address; a closing bracket only without its opening one inside. */
function trimEnd(address) {
  let end = address;
  for (;;) {
    const last = end.slice(-1);
    const opener = CLOSERS[last];
    if (TRAILING.test(last)) {
      end = end.slice(0, -1);
    } else if (opener && count(end, opener) < count(end, last)) {
      end = end.slice(0, -1);
    } else {
      return end;
    }
  }
}

const count = (s, c) => s.split(c).length - 1;

/** The address as the browser reads it, if it is an http(s) one with a host; else null. */
function safeHref(address) {
  try {
    const url = new URL(address);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname ? url.href : null;
  } catch (e) {
    return null;
  }
}
