// Keyboard shortcuts and the command palette, on every page of an organization.
//
// The two <dialog>s come from web/_keys.html. The shortcuts are read from the rows of the
// sheet (data-keys, data-href, data-focus), so every label stays in the template, translated;
// this file only knows keys. The palette's list comes from the search view through htmx as you
// type; the arrow keys move through it (aria-activedescendant: the cursor stays in the field),
// Enter opens the chosen entry, Esc closes. Without this file the search button is a link to
// the search page, which works on its own.
(function () {
  "use strict";

  var palette = document.getElementById("palette");
  var sheet = document.getElementById("shortcuts");
  if (!palette || !sheet || typeof palette.showModal !== "function") return;

  var input = document.getElementById("palette-q");
  var results = document.getElementById("palette-results");
  var live = document.getElementById("palette-live");
  var SEQUENCE_MS = 1500;

  var shortcuts = Array.prototype.map.call(sheet.querySelectorAll(".keys-row[data-keys]"), function (row) {
    return { keys: row.dataset.keys, href: row.dataset.href, focus: row.dataset.focus || "" };
  });

  // --- what counts as typing ---------------------------------------------------------------------
  var NOT_TYPING = /^(button|checkbox|radio|submit|reset|range|color|file|image)$/;
  function typing(element) {
    if (!element || element === document.body) return false;
    // A dialog that has just closed can keep the focus for a moment: not typing any more.
    if (element.closest && element.closest("dialog:not([open])")) return false;
    if (element.isContentEditable) return true;
    var tag = element.tagName;
    if (tag === "TEXTAREA" || tag === "SELECT") return true;
    return tag === "INPUT" && !NOT_TYPING.test(element.type);
  }

  // --- the palette -------------------------------------------------------------------------------
  var active = -1;
  var loaded = false;
  var openWhenShown = false;

  function options() {
    return Array.prototype.slice.call(results.querySelectorAll('[role="option"]'));
  }

  function choose(index) {
    var all = options();
    active = all.length ? Math.max(0, Math.min(index, all.length - 1)) : -1;
    all.forEach(function (option, i) {
      option.setAttribute("aria-selected", i === active ? "true" : "false");
    });
    if (active >= 0) {
      input.setAttribute("aria-activedescendant", all[active].id);
      all[active].scrollIntoView({ block: "nearest" });
    } else {
      input.removeAttribute("aria-activedescendant");
    }
    input.setAttribute("aria-expanded", all.length ? "true" : "false");
  }

  // The list on screen answers what is in the field now (the request after a pause may not
  // have come back yet).
  function normalized(text) {
    return text.trim().replace(/\s+/g, " ");
  }
  function shownFor() {
    var body = results.querySelector(".palette-body");
    return body ? body.dataset.query : null;
  }

  function openChosen() {
    var all = options();
    if (active >= 0 && all[active]) {
      window.location.assign(all[active].href);
      return true;
    }
    return false;
  }

  function openPalette() {
    if (sheet.open) sheet.close();
    if (!palette.open) palette.showModal();
    input.focus();
    input.select();
    if (!loaded) {
      loaded = true;
      input.dispatchEvent(new CustomEvent("palette-open"));
    }
  }

  results.addEventListener("htmx:afterSwap", function () {
    choose(0);
    var body = results.querySelector(".palette-body");
    if (body && live) live.textContent = body.dataset.announce || "";
    if (openWhenShown && shownFor() === normalized(input.value)) {
      openWhenShown = false;
      openChosen();
    }
  });

  // An answer that never comes (a server error, the network) opens nothing later by surprise.
  ["htmx:responseError", "htmx:sendError", "htmx:timeout"].forEach(function (name) {
    input.addEventListener(name, function () {
      openWhenShown = false;
    });
  });

  input.addEventListener("keydown", function (event) {
    if (event.isComposing) return;
    var count = options().length;
    if (event.key === "Escape") {
      // A search field would clear its text first and keep the palette open.
      event.preventDefault();
      palette.close();
    } else if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      if (!count) return;
      var step = event.key === "ArrowDown" ? 1 : -1;
      choose((active + step + count) % count);
    } else if (event.key === "Home" && event.ctrlKey) {
      event.preventDefault();
      choose(0);
    } else if (event.key === "End" && event.ctrlKey) {
      event.preventDefault();
      choose(count - 1);
    } else if (event.key === "Enter") {
      if (!normalized(input.value) && !count) return; // nothing to open: the form's own answer
      event.preventDefault();
      if (shownFor() !== normalized(input.value)) {
        openWhenShown = true; // typed faster than the list: open its first entry when it comes
        return;
      }
      if (!openChosen()) palette.querySelector("form").submit();
    }
  });

  // A click on the backdrop (outside the box) closes, as Esc does.
  [palette, sheet].forEach(function (dialog) {
    dialog.addEventListener("click", function (event) {
      if (event.target === dialog) dialog.close();
    });
  });
  palette.addEventListener("close", function () {
    openWhenShown = false;
  });

  document.addEventListener("click", function (event) {
    var opener = event.target.closest && event.target.closest("[data-palette-open]");
    if (!opener || event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) return;
    event.preventDefault();
    openPalette();
  });

  // --- the shortcuts -----------------------------------------------------------------------------
  var pending = ""; // the first key of a sequence ("g"), while the next is awaited
  var pendingAt = 0;

  function run(shortcut) {
    if (shortcut.focus) {
      var field = document.querySelector(shortcut.focus);
      if (field) {
        field.scrollIntoView({ block: "center" });
        field.focus();
        return;
      }
    }
    window.location.assign(shortcut.href);
  }

  document.addEventListener("keydown", function (event) {
    if (event.defaultPrevented || event.isComposing) return;
    var key = event.key;
    if ((event.ctrlKey || event.metaKey) && !event.altKey && (key === "k" || key === "K")) {
      if (typing(event.target) && !palette.contains(event.target)) return;
      event.preventDefault();
      if (palette.open) palette.close();
      else openPalette();
      return;
    }
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    if (palette.open || typing(event.target)) return;
    if (key === "?") {
      event.preventDefault();
      pending = "";
      if (sheet.open) sheet.close();
      else sheet.showModal();
      return;
    }
    if (sheet.open) return;
    if (key === "/") {
      event.preventDefault();
      pending = "";
      openPalette();
      return;
    }
    var sequence = pending && Date.now() - pendingAt < SEQUENCE_MS ? pending + " " + key : key;
    pending = "";
    var found = null;
    var starts = false;
    shortcuts.forEach(function (shortcut) {
      if (shortcut.keys === sequence) found = shortcut;
      else if (shortcut.keys.indexOf(sequence + " ") === 0) starts = true;
    });
    if (found) {
      event.preventDefault();
      run(found);
    } else if (starts) {
      pending = sequence;
      pendingAt = Date.now();
    }
  });
})();
