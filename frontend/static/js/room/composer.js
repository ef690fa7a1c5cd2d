// The message form. It says (to the room, through the outbox) or, with a whisper target chosen in the
// participant list, whispers; the target shows as a chip in front of the field until cancelled.
import { person } from '../person.js';

/** onSay(chat) and onWhisper(who, chat) get the trimmed, non-empty text; the field is cleared first. */
export function createComposer({ form, input, whisperTo, onSay, onWhisper }) {
  let target = null;
  const placeholder = input.placeholder; // the page's own, for talking to everyone

  function whisperTarget(who) {
    target = who;
    whisperTo.classList.toggle('hidden', !who);
    whisperTo.querySelector('.target').replaceChildren(...(who ? [person(who)] : []));
    input.placeholder = who ? `Whisper to ${who.name}…` : placeholder;
    input.focus();
  }

  whisperTo.querySelector('.cancel').addEventListener('click', () => whisperTarget(null));

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const chat = input.value.trim();
    if (!chat) return;
    input.value = '';
    if (target) onWhisper(target, chat); else onSay(chat);
  });

  return {
    whisperTarget,
    /** Who I whisper to, or null. */
    target: () => target,
  };
}
