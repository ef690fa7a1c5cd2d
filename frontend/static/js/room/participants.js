// Who is in the room, who owns it, and what I may do about them. The list comes from presence events on the
// room topic (and once from the API after each (re)connect); ownership moves with it, so the owner's powers
// (remove a participant, delete the room) follow here too. Items are clones of #participant-template, which is
// the server's own participant fragment rendered empty.
import { api } from '../common/http.js';
import { fillPerson } from '../person.js';

/**
 * list: #participants. count: #participant-count. deleteRoom: the owner's delete button. base: /api/rooms/{id}.
 * onWhisper(who): a whisper button was pressed. onChange(people): the list was replaced. say(text): the banner.
 */
export function createParticipants({ list, count, template, deleteRoom, meId, base, onWhisper, onChange, say }) {
  let people = [];
  let over = false;

  function render(owner, members) {
    people = members;
    const iOwn = owner.id === meId;
    deleteRoom.classList.toggle('hidden', !iOwn || over);
    list.replaceChildren(...members.map((who) => {
      const li = template.content.firstElementChild.cloneNode(true);
      li.dataset.id = who.id;
      fillPerson(li.querySelector('.person'), who);
      li.querySelector('.owner-badge').classList.toggle('hidden', who.id !== owner.id);
      li.querySelector('.me-badge').classList.toggle('hidden', who.id !== meId);
      const kick = li.querySelector('.kick');
      kick.classList.toggle('hidden', !iOwn || who.id === meId || over);
      kick.addEventListener('click', () => {
        if (!window.confirm(`Remove ${who.name} from the room?`)) return;
        api('POST', `${base}/kick/${encodeURIComponent(who.id)}`).catch((e) => say(e.message));
      });
      const whisper = li.querySelector('.whisper');
      whisper.classList.toggle('hidden', who.id === meId || over);
      whisper.addEventListener('click', () => onWhisper(who));
      return li;
    }));
    count.textContent = members.length;
    onChange(people);
  }

  deleteRoom.addEventListener('click', () => {
    if (!window.confirm('Delete this room for everyone?')) return;
    api('DELETE', base).catch((e) => say(e.message));
  });

  return {
    render,
    /** The list as the server has it now (after a (re)connect, presence events may have been missed). */
    refresh: () => api('GET', `${base}/participants`).then((p) => render(p.owner, p.participants)).catch(() => {}),
    /** The room is over for me (kicked, deleted): no more buttons, now or in later renders. */
    stop() {
      over = true;
      deleteRoom.classList.add('hidden');
      list.querySelectorAll('.kick, .whisper').forEach((b) => b.classList.add('hidden'));
    },
  };
}
