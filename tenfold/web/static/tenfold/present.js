// Presentation mode (web/present_*.html): one slide at a time.
//
// → PageDown Space: next · ← PageUp: previous · Home End: first, last · F: full screen ·
// Esc: leave full screen, or, outside it, go back to the page the deck came from. The counter
// is a polite live region. Every text comes from the template (data-counter, data-counter-spoken),
// so it stays translated. Keys with a modifier, `?` and `/` are left alone: they belong to the
// shortcuts and the palette of keys.js. Without this file every slide simply shows, stacked.
(function () {
  "use strict";

  var deck = document.getElementById("deck");
  if (!deck) return;
  var slides = Array.prototype.slice.call(deck.querySelectorAll(".slide"));
  if (!slides.length) return;

  var counter = deck.querySelector("[data-testid='slide-counter']");
  var exitUrl = deck.dataset.exitUrl;
  var visibleFormat = deck.dataset.counter || "{current} / {total}";
  var spokenFormat = deck.dataset.counterSpoken || visibleFormat;
  var current = 0;
  // Esc that ends full screen can reach the page as well, just after the browser has left it;
  // that key must not also leave the deck.
  var fullscreenEndedAt = 0;

  function fill(format, index) {
    return format.replace("{current}", String(index + 1)).replace("{total}", String(slides.length));
  }

  function show(index, remember) {
    current = Math.max(0, Math.min(index, slides.length - 1));
    slides.forEach(function (slide, i) {
      slide.hidden = i !== current;
    });
    if (counter) {
      counter.textContent = "";
      var seen = document.createElement("span");
      seen.setAttribute("aria-hidden", "true");
      seen.textContent = fill(visibleFormat, current);
      var heard = document.createElement("span");
      heard.className = "visually-hidden";
      heard.textContent = fill(spokenFormat, current);
      counter.appendChild(seen);
      counter.appendChild(heard);
    }
    if (remember && window.history && window.history.replaceState) {
      window.history.replaceState(null, "", "#slide-" + (current + 1));
    }
    window.scrollTo(0, 0);
  }

  function fullscreenSupported() {
    return !!(document.fullscreenEnabled && document.documentElement.requestFullscreen);
  }

  function toggleFullscreen() {
    if (!fullscreenSupported()) return;
    if (document.fullscreenElement) document.exitFullscreen();
    else document.documentElement.requestFullscreen().catch(function () {});
  }

  document.addEventListener("fullscreenchange", function () {
    if (!document.fullscreenElement) fullscreenEndedAt = Date.now();
  });

  function leave() {
    if (document.fullscreenElement) {
      document.exitFullscreen();
      return;
    }
    if (Date.now() - fullscreenEndedAt < 600) return;
    if (exitUrl) window.location.assign(exitUrl);
  }

  function typing(element) {
    if (!element || element === document.body) return false;
    if (element.isContentEditable) return true;
    var tag = element.tagName;
    return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT";
  }

  document.addEventListener("keydown", function (event) {
    if (event.defaultPrevented || event.isComposing) return;
    if (event.ctrlKey || event.metaKey || event.altKey || event.shiftKey) return;
    if (typing(event.target)) return;
    // The shortcuts sheet or the palette is open: its keys are its own.
    if (document.querySelector("dialog[open]")) return;
    var key = event.key;
    var onControl = event.target.closest && event.target.closest("button, summary, a");
    var handled = true;
    if (key === "ArrowRight" || key === "PageDown" || (key === " " && !onControl)) {
      show(current + 1, true);
    } else if (key === "ArrowLeft" || key === "PageUp") {
      show(current - 1, true);
    } else if (key === "Home") {
      show(0, true);
    } else if (key === "End") {
      show(slides.length - 1, true);
    } else if (key === "f" || key === "F") {
      toggleFullscreen();
    } else if (key === "Escape") {
      leave();
    } else {
      handled = false;
    }
    if (handled) event.preventDefault();
  });

  deck.addEventListener("click", function (event) {
    var target = event.target.closest && event.target.closest("button");
    if (!target) return;
    if (target.hasAttribute("data-deck-next")) show(current + 1, true);
    else if (target.hasAttribute("data-deck-prev")) show(current - 1, true);
    else if (target.hasAttribute("data-deck-full")) toggleFullscreen();
  });

  deck.querySelectorAll("[data-deck-controls]").forEach(function (element) {
    element.hidden = false;
  });
  if (!fullscreenSupported()) {
    var full = deck.querySelector("[data-deck-full]");
    if (full) full.hidden = true;
  }
  deck.classList.add("is-live");
  var match = /^#slide-(\d+)$/.exec(window.location.hash);
  show(match ? parseInt(match[1], 10) - 1 : 0, false);
})();
