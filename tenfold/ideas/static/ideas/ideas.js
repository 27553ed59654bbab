// Ctrl+Enter (Cmd+Enter on a Mac) in a form marked data-submit-shortcut sends it, as its button
// would; htmx then posts it. One listener on the document also serves forms that htmx swaps in.
// (An hx-trigger filter would need eval, which the Content-Security-Policy forbids.)
document.addEventListener("keydown", (event) => {
  if (event.key !== "Enter" || !(event.ctrlKey || event.metaKey)) return;
  const form = event.target instanceof Element ? event.target.closest("form[data-submit-shortcut]") : null;
  if (form === null) return;
  event.preventDefault();
  form.requestSubmit();
});
