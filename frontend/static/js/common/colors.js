// Identity colors arrive as data-color attributes and are applied through CSSOM: the Content-Security-Policy
// (style-src 'self') forbids inline style attributes, but not setting element.style from a script of our own.

const HEX = /^#[0-9a-f]{6}$/i;

/** Colors every [data-color] under root: a .swatch gets it as background, anything else as text color. */
export function paint(root = document) {
  root.querySelectorAll('[data-color]').forEach((el) => {
    const color = el.dataset.color;
    if (!HEX.test(color)) return;
    if (el.classList.contains('swatch')) el.style.backgroundColor = color;
    else el.style.color = color;
  });
}
