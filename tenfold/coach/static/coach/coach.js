// The coach's "use this wording" buttons: put the rewrite into the form field it belongs to
// and let the live check run again.
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-coach-apply]");
  if (!button) return;
  const form = button.closest("form");
  const field = form && form.querySelector(`[name="${button.dataset.coachField || "title"}"]`);
  if (!field) return;
  field.value = button.dataset.coachApply;
  field.dispatchEvent(new Event("input", { bubbles: true }));
  field.focus();
  const end = field.value.indexOf("…");
  if (end >= 0 && field.setSelectionRange) field.setSelectionRange(end, end + 1);
});
