// Loaded by every page (the layout head), as a module: it runs after the deferred htmx and stompjs scripts and
// before DOMContentLoaded, with the whole document parsed. What every page needs and nothing more:
// identity colors painted, and htmx requests carrying the CSRF header and painting what they swap in.
// No inline script anywhere: the Content-Security-Policy forbids it. User text only ever goes into textContent.
import { paint } from './common/colors.js';
import { csrfHeaders } from './common/http.js';

document.addEventListener('htmx:configRequest', (event) => {
  Object.assign(event.detail.headers, csrfHeaders());
});
document.addEventListener('htmx:afterSwap', (event) => paint(event.target));

paint(document);
