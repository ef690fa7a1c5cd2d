// The message form. It says (to the room, through the outbox) or, with a whisper target chosen in the
// participant list, whispers; the target shows as a chip in front of the field until cancelled (× or Escape) or
// until the whisper is sent. The field is a textarea: Enter sends, Shift+Enter starts a new line.
import { paint } from '../common/colors.js';
import { person } from '../person.js';

/**
 * onSay(chat) and onWhisper(who, chat) get the trimmed, non-empty text. The field is cleared once it went: a
 * whisper only when onWhisper returns true (it needs the connection now; otherwise the text stays to try again).
 */
export function createComposer({ form, input, send, whisperTo, onSay, onWhisper }) {
  let target = null;
  const placeholder = input.placeholder; // the page's own, for talking to everyone
  const cancel = whisperTo.querySelector('.cancel');

  function whisperTarget(who, { focus = true } = {}) {
    target = who;
    whisperTo.classList.toggle('hidden', !who);
    whisperTo.querySelector('.target').replaceChildren(...(who ? [person(who)] : []));
    paint(whisperTo); // the name again, now on the chip's tint (person() painted it for white)
    input.placeholder = who ? `Whisper to ${who.name}…` : placeholder;
    if (focus) input.focus();
  }

  cancel.addEventListener('click', () => whisperTarget(null));

  input.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && target) {
      event.preventDefault();
      whisperTarget(null);
      return;
    }
    // Enter while an input method is composing (Korean, Japanese…) confirms the composition: not a send.
    if (event.key !== 'Enter' || event.shiftKey || event.isComposing || event.keyCode === 229) return;
    event.preventDefault();
    form.requestSubmit();
  });

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const chat = input.value.trim();
    if (!chat || input.disabled) return;
    if (target) {
      if (!onWhisper(target, chat)) return;
      input.value = '';
      whisperTarget(null);
    } else {
      input.value = '';
      onSay(chat);
    }
  });

  return {
    whisperTarget,
    /** Who I whisper to, or null. */
    target: () => target,
    /** Nothing more can be sent from this page. */
    disable() {
      whisperTarget(null, { focus: false });
      [input, send, cancel].forEach((el) => { el.disabled = true; });
    },
  };
}
