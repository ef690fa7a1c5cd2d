// Identity colors arrive as data-color attributes and are applied through CSSOM: the Content-Security-Policy
// (style-src 'self') forbids inline style attributes, but not setting element.style from a script of our own.
//
// The color is color-hash's, byte for byte the npm package's answer, and the swatch shows it exactly. Text cannot:
// some of those colors are light (rgb(214,224,108) is 1.42:1 on white). A nickname is written in a shade of the
// same hue and saturation whose contrast on the background behind it reaches WCAG AA's 4.5:1 — so the name still
// reads as "the yellow-green one", and every name is readable.

const HEX = /^#[0-9a-f]{6}$/i;
export const MIN_CONTRAST = 4.5;

/** Colors every [data-color] under root: a .swatch gets it as background, anything else a readable text shade. */
export function paint(root = document) {
  root.querySelectorAll('[data-color]').forEach((el) => {
    const color = el.dataset.color;
    if (!HEX.test(color)) return;
    if (el.classList.contains('swatch')) {
      el.style.backgroundColor = color;
      return;
    }
    el.style.color = readable(color, backgroundOf(el));
    // A chip built before it is placed (person()) was measured against the page's background: measure again
    // where it landed.
    if (!el.isConnected) requestAnimationFrame(() => { if (el.isConnected) el.style.color = readable(color, backgroundOf(el)); });
  });
}

/** The shade of hex (same hue and saturation) nearest to it that reaches MIN_CONTRAST on background [r, g, b]. */
export function readable(hex, background = [255, 255, 255]) {
  const rgb = parseHex(hex);
  if (contrast(rgb, background) >= MIN_CONTRAST) return hex.toLowerCase();
  const [h, s, l] = toHsl(rgb);
  // On a light background darken, on a dark one lighten, a step at a time: the first shade that reads is the
  // closest to the original. Black or white always reaches 4.5:1 on a background that is light or dark enough.
  const darken = luminance(background) > 0.18;
  for (let step = 1; step <= 100; step++) {
    const lightness = darken ? l - step / 100 : l + step / 100;
    if (lightness < 0 || lightness > 1) break;
    const shade = fromHsl(h, s, lightness).map(Math.round); // judged as it will be drawn
    if (contrast(shade, background) >= MIN_CONTRAST) return toHex(shade);
  }
  return darken ? '#000000' : '#ffffff';
}

/** WCAG 2 contrast ratio of two [r, g, b] colors. */
export function contrast(a, b) {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

/**
 * The first opaque background color behind el ([r, g, b]). A detached element has none yet: the page's own
 * background stands in (the darkest of the light ones the chips sit on), then white.
 */
export function backgroundOf(el) {
  const start = el.isConnected ? el : document.body;
  for (let node = start; node && node.nodeType === 1; node = node.parentElement) {
    const rgba = parseCss(getComputedStyle(node).backgroundColor);
    if (rgba && rgba[3] > 0.5) return rgba.slice(0, 3);
  }
  return [255, 255, 255];
}

function luminance([r, g, b]) {
  const channel = (v) => {
    const c = v / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
}

function parseHex(hex) {
  return [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
}

function parseCss(value) {
  const m = /rgba?\(([^)]+)\)/.exec(value || '');
  if (!m) return null;
  const parts = m[1].split(/[ ,/]+/).filter(Boolean).map(Number);
  return [parts[0], parts[1], parts[2], parts.length > 3 ? parts[3] : 1];
}

function toHex(rgb) {
  return '#' + rgb.map((v) => Math.round(v).toString(16).padStart(2, '0')).join('');
}

function toHsl([r, g, b]) {
  const [rr, gg, bb] = [r / 255, g / 255, b / 255];
  const max = Math.max(rr, gg, bb);
  const min = Math.min(rr, gg, bb);
  const l = (max + min) / 2;
  if (max === min) return [0, 0, l];
  const d = max - min;
  const s = l > 0.5 ? d / (2 - max - min) : d / (max + min);
  let h;
  if (max === rr) h = (gg - bb) / d + (gg < bb ? 6 : 0);
  else if (max === gg) h = (bb - rr) / d + 2;
  else h = (rr - gg) / d + 4;
  return [h / 6, s, l];
}

function fromHsl(h, s, l) {
  if (s === 0) return [l * 255, l * 255, l * 255];
  const q = l < 0.5 ? l * (1 + s) : l + s - l * s;
  const p = 2 * l - q;
  const hue = (t) => {
    let x = t;
    if (x < 0) x += 1;
    if (x > 1) x -= 1;
    if (x < 1 / 6) return p + (q - p) * 6 * x;
    if (x < 1 / 2) return q;
    if (x < 2 / 3) return p + (q - p) * (2 / 3 - x) * 6;
    return p;
  };
  return [hue(h + 1 / 3) * 255, hue(h) * 255, hue(h - 1 / 3) * 255];
}
