// The person chip (color swatch + nickname in that color). Its one markup is the Thymeleaf fragment
// `person(who)` in fragments/layout.html: server-rendered places include it, and pages that build chips in the
// browser carry it once, empty, as <template id="person-template">. Chips inside other <template>s are that
// same fragment too; fillPerson() fills those in place.
import { paint } from './common/colors.js';

/** A new chip for who ({name, color}), cloned from #person-template. */
export function person(who) {
  const template = document.getElementById('person-template');
  if (!template) throw new Error('person(): this page has no #person-template');
  return fillPerson(template.content.firstElementChild.cloneNode(true), who);
}

/** Puts who's name and color into an existing chip (a clone, or a server-rendered one); returns the chip. */
export function fillPerson(chip, who) {
  const swatch = chip.querySelector('.swatch');
  const name = chip.querySelector('.nickname');
  swatch.dataset.color = who.color;
  name.dataset.color = who.color;
  name.textContent = who.name;
  paint(chip);
  return chip;
}
