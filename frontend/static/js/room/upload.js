// GIF upload. htmx posts the form (multipart, with the CSRF header from app.js); this only shows its progress
// and its answer, from htmx's events. The GIF itself reaches the chat like any line, on the room topic.

/** form: #gif-form. box: the progress row. progress: its <progress>. status: its text. */
export function wireUpload({ form, box, progress, status }) {
  form.addEventListener('htmx:beforeRequest', () => {
    box.classList.remove('hidden');
    progress.value = 0;
    status.textContent = 'uploading…';
  });
  form.addEventListener('htmx:xhr:progress', (event) => {
    if (!event.detail.lengthComputable) return;
    box.classList.remove('hidden');
    progress.value = Math.round((event.detail.loaded / event.detail.total) * 100);
    status.textContent = `${progress.value}%`;
  });
  form.addEventListener('htmx:afterRequest', (event) => {
    const xhr = event.detail.xhr;
    if (xhr.status >= 200 && xhr.status < 300) {
      status.textContent = 'sent';
      form.reset();
      setTimeout(() => box.classList.add('hidden'), 1500);
    } else {
      let detail = `upload failed (${xhr.status})`;
      try { detail = JSON.parse(xhr.responseText).detail || detail; } catch (e) { /* not JSON */ }
      status.textContent = detail;
    }
  });
}
