// Who is in the room, who owns it, and what I may do about them. The list comes from presence events on the
// room topic (and once from the API after each (re)connect); ownership moves with it, so the owner's powers
// (remove a participant, delete the room) follow here too. Items are clones of #participant-template, which is
// the server's own participant fragment rendered empty. On a phone the list folds away behind its count
// ("8/10 ▸" in the room's head, app.css shows it there only): the chat gets the screen.
import { api } from '../common/http.js';
import { fillPerson } from '../person.js';

/**
 * list: #participants. card: the list's card (opened on a phone by toggle). count, toggleCount: where the number
 * shows. note: says why the list is empty once the room is over. deleteRoom: the owner's delete button. base:
 * /api/rooms/{id}. onWhisper(who): a whisper button was pressed. onChange(people): the list was replaced.
 * say(text): the banner.
 */
export function createParticipants({
  list, card, toggle, count, toggleCount, note, template, deleteRoom, meId, base, onWhisper, onChange, say,
}) {
  const max = card.dataset.max;
  let people = [];
  let over = false;
  // Presence events rendered so far: a refresh answered after a newer event is older than what is shown.
  let events = 0;

  function showCount(n) {
    count.textContent = n;
    toggleCount.textContent = `${n}/${max}`;
  }

  function render(owner, members) {
    if (over) return;
    people = members;
    const iOwn = owner.id === meId;
    deleteRoom.classList.toggle('hidden', !iOwn);
    list.replaceChildren(...members.map((who) => {
      const li = template.content.firstElementChild.cloneNode(true);
      li.dataset.id = who.id;
      fillPerson(li.querySelector('.person'), who);
      li.querySelector('.owner-badge').classList.toggle('hidden', who.id !== owner.id);
      li.querySelector('.me-badge').classList.toggle('hidden', who.id !== meId);
      const kick = li.querySelector('.kick');
      kick.setAttribute('aria-label', `Remove ${who.name}`);
      kick.classList.toggle('hidden', !iOwn || who.id === meId);
      kick.addEventListener('click', () => {
        if (!window.confirm(`Remove ${who.name} from the room?`)) return;
        api('POST', `${base}/kick/${encodeURIComponent(who.id)}`).catch((e) => say(e.message));
      });
      const whisper = li.querySelector('.whisper');
      whisper.setAttribute('aria-label', `Whisper to ${who.name}`);
      whisper.classList.toggle('hidden', who.id === meId);
      whisper.addEventListener('click', () => onWhisper(who));
      return li;
    }));
    showCount(members.length);
    onChange(people);
  }

  function open(yes) {
    card.classList.toggle('open', yes);
    toggle.setAttribute('aria-expanded', String(yes));
    toggle.querySelector('.chevron').textContent = yes ? '▾' : '▸';
  }

  toggle.addEventListener('click', () => open(!card.classList.contains('open')));

  deleteRoom.addEventListener('click', () => {
    if (!window.confirm('Delete this room for everyone?')) return;
    api('DELETE', base).catch((e) => say(e.message));
  });

  return {
    /** A presence event from the room topic: the newest list there is. */
    render(owner, members) {
      events += 1;
      render(owner, members);
    },
    /**
     * The list as the server has it now (after a (re)connect, presence events may have been missed) — unless a
     * presence event came while the answer was on its way: the event is newer, the answer would put back an older
     * list (a busy server answers the GET after the joins that followed it).
     */
    refresh() {
      const before = events;
      return api('GET', `${base}/participants`)
        .then((p) => { if (events === before) render(p.owner, p.participants); })
        .catch(() => {});
    },
    /** The room is over for me (kicked, deleted): nobody is listed any more, and why, in its place. */
    stop(why) {
      over = true;
      people = [];
      deleteRoom.classList.add('hidden');
      list.replaceChildren();
      showCount(0);
      note.textContent = why;
      note.classList.remove('hidden');
    },
  };
}
