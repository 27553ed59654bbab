// The coach's "use this wording" buttons: put the rewrite into the form field it belongs to
// and let the live check run again.

// Pressing the button must not take the focus from the field: the blur would fire a "change"
// that re-renders the findings between the press and the release, and the click would be lost.
document.addEventListener("mousedown", (event) => {
  if (event.target.closest("[data-coach-apply]")) event.preventDefault();
});

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
