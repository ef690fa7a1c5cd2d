// GIF upload. htmx posts the form (multipart, with the CSRF header from app.js); this shows its progress and its
// answer, from htmx's events, and keeps the button disabled while one upload is on its way. A refusal shows as
// one (#upload[data-state=failed]: the ProblemDetail's detail, or why there was no answer) until the next try.
// The GIF itself reaches the chat like any line, on the room topic.

const UNREACHABLE = 'The server could not be reached.';

/** form: #gif-form. box: the progress row. progress: its <progress>. status: its text. button, input: the form's. */
export function wireUpload({ form, box, progress, status, button, input }) {
  let over = false;
  let hideLater = null;

  function show(state, text) {
    clearTimeout(hideLater);
    box.dataset.state = state;
    box.classList.remove('hidden');
    status.textContent = text;
  }

  const busy = (yes) => { button.disabled = yes || over; input.disabled = over; };

  form.addEventListener('htmx:beforeRequest', (event) => {
    if (over) { event.preventDefault(); return; }
    progress.value = 0;
    show('uploading', 'uploading…');
    busy(true);
  });
  form.addEventListener('htmx:xhr:progress', (event) => {
    if (!event.detail.lengthComputable || box.dataset.state !== 'uploading') return;
    progress.value = Math.round((event.detail.loaded / event.detail.total) * 100);
    status.textContent = `${progress.value}%`;
  });
  form.addEventListener('htmx:afterRequest', (event) => {
    busy(false);
    const xhr = event.detail.xhr;
    if (xhr.status >= 200 && xhr.status < 300) {
      progress.value = 100;
      show('sent', 'sent');
      form.reset();
      hideLater = setTimeout(() => box.classList.add('hidden'), 1500);
    } else {
      show('failed', refusal(xhr));
    }
  });

  return {
    /** The room is over for this page: nothing more to upload. */
    stop() {
      over = true;
      busy(false);
    },
  };
}

/** Why an upload failed, in words: the server's ProblemDetail, or that nothing answered. */
function refusal(xhr) {
  if (xhr.status === 0) return UNREACHABLE;
  try {
    const detail = JSON.parse(xhr.responseText).detail;
    if (detail) return detail;
  } catch (e) { /* not JSON: a proxy's page, say */ }
  return `The upload failed (HTTP ${xhr.status}).`;
}
