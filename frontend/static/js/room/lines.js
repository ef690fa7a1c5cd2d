// THE chat-line renderer. Every line in #messages comes from here: the page's own history (JSON in
// #messages[data-history]), live MESSAGEs, catch-up and older pages (all one shape: {type, id, seq, room,
// user, chat?, gif?, event?, clientId?, createdAt}), whispers ({type: "whisper", from, to, chat, createdAt}) and the
// outbox's not yet confirmed lines. The markup is <template id="line-template"> in room.html; a clone keeps
// the parts this line has and loses the others. Text only ever goes in through textContent.
import { clock } from '../common/clock.js';
import { fillPerson } from '../person.js';

const template = document.getElementById('line-template');

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
  if (system) part('system-text').textContent = line.chat;
  else part('system-text').remove();
  if (!system && who) fillPerson(part('person'), who);
  else part('person').remove();
  if (line.type === 'whisper') {
    part('whisper-label').textContent = line.from.id === meId ? `whispers to ${line.to.name}` : 'whispers to you';
  } else {
    part('whisper-label').remove();
  }
  if (!system && line.chat !== undefined) part('text').textContent = line.chat;
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
