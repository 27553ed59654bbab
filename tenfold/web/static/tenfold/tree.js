// The alignment tree's expanders. htmx fetches a branch the first time a button is pressed;
// after that the button only shows and hides what was fetched, so folding costs no request,
// and aria-expanded always tells screen readers the state. Without JavaScript the buttons
// submit their small GET forms and open the branch as a page.
(() => {
  const regionOf = (button) => document.getElementById(button.getAttribute("aria-controls"));

  // Capture phase: runs before htmx's own click handler, which never sees a folding click.
  document.addEventListener(
    "click",
    (event) => {
      const button = event.target.closest("[data-tree-toggle][data-loaded]");
      if (!button) return;
      event.preventDefault();
      event.stopPropagation();
      const open = button.getAttribute("aria-expanded") === "true";
      button.setAttribute("aria-expanded", String(!open));
      const region = regionOf(button);
      if (region) region.hidden = open;
    },
    true,
  );

  document.addEventListener("htmx:afterSwap", (event) => {
    const target = event.detail.target;
    if (!target || !target.id) return;
    if (target.id === "tree-explain") {
      const heading = target.querySelector("#explain-heading");
      if (heading) heading.focus();
      return;
    }
    const button = document.querySelector(`[data-tree-toggle][aria-controls="${target.id}"]`);
    if (!button) return;
    button.setAttribute("data-loaded", "");
    button.setAttribute("aria-expanded", "true");
    target.hidden = false;
  });
})();
