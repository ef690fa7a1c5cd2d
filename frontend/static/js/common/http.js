// CSRF and JSON for every request the pages make themselves (htmx gets the same header in app.js).
// The token is in <meta> tags of the layout, so no script needs to be inline.

const meta = (name) => document.querySelector(`meta[name="${name}"]`)?.content ?? null;

/** {headerName: token} for Spring Security's CSRF check, or {} where the page has no token. */
export function csrfHeaders() {
  const header = meta('csrf-header');
  const token = meta('csrf-token');
  return header && token ? { [header]: token } : {};
}

/** fetch with the CSRF header and JSON; rejects with the ProblemDetail's detail on an error status. */
export async function api(method, url, body) {
  const headers = { Accept: 'application/json', ...csrfHeaders() };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetch(url, {
    method, headers, credentials: 'same-origin', body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) {
    let detail = response.statusText;
    try { detail = (await response.json()).detail || detail; } catch (e) { /* not JSON */ }
    const error = new Error(detail);
    error.status = response.status;
    throw error;
  }
  return response.status === 204 ? null : response.json();
}
