// Times travel as ISO-8601 instants and are shown in the reader's own time zone and format, which only the
// browser knows: that is why the server never formats a time on a page.

/** "14:05" (or "2:05 PM") for an ISO instant, in the reader's locale. */
export function clock(iso) {
  return new Date(iso).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}
