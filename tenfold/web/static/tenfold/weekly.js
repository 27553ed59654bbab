// My week and the meeting: small comforts on top of forms that work without this file.
(function () {
  "use strict";

  // After a key result is saved, put the cursor in the next one's value field, so a whole
  // team's key results are updated with the keyboard alone: value, Tab, confidence, Enter.
  document.body.addEventListener("htmx:afterSwap", function (event) {
    var row = event.detail.target;
    if (!row || !row.classList || !row.classList.contains("kr-row")) return;
    var fresh = document.getElementById(row.id) || row;
    if (fresh.querySelector(".errorlist")) {
      var bad = fresh.querySelector("[aria-invalid=true]") || fresh.querySelector(".checkin-value");
      if (bad) bad.focus();
      return;
    }
    var next = fresh.nextElementSibling;
    while (next && !next.querySelector(".checkin-value")) next = next.nextElementSibling;
    if (next) next.querySelector(".checkin-value").focus();
  });

  // The meeting's clock: counts down from the agreed length, then shows the overrun.
  var timer = document.querySelector(".timer[data-minutes]");
  if (timer) {
    var end = Date.now() + parseInt(timer.dataset.minutes, 10) * 60000;
    var tick = function () {
      var left = Math.round((end - Date.now()) / 1000);
      var sign = left < 0 ? "+" : "";
      var abs = Math.abs(left);
      timer.textContent = sign + Math.floor(abs / 60) + ":" + String(abs % 60).padStart(2, "0");
      timer.classList.toggle("over", left < 0);
    };
    tick();
    setInterval(tick, 1000);
  }

  // Drag and drop inside a column sends the new order; the ↑ ↓ buttons do the same by keyboard.
  var dragged = null;
  document.addEventListener("dragstart", function (event) {
    var item = event.target.closest && event.target.closest(".items > .item[draggable=true]");
    if (!item) return;
    dragged = item;
    event.dataTransfer.effectAllowed = "move";
    item.classList.add("dragging");
  });
  document.addEventListener("dragover", function (event) {
    if (!dragged) return;
    var over = event.target.closest && event.target.closest(".items > .item");
    if (!over || over === dragged || over.parentNode !== dragged.parentNode) return;
    event.preventDefault();
    var box = over.getBoundingClientRect();
    var after = event.clientY > box.top + box.height / 2;
    over.parentNode.insertBefore(dragged, after ? over.nextSibling : over);
  });
  document.addEventListener("dragend", function () {
    if (!dragged) return;
    var list = dragged.parentNode;
    var board = document.getElementById("week-board");
    dragged.classList.remove("dragging");
    dragged = null;
    if (!board || !window.htmx) return;
    var codes = Array.prototype.map.call(list.querySelectorAll(".item[data-code]"), function (el) {
      return el.dataset.code;
    });
    htmx.ajax("POST", board.dataset.reorderUrl, {
      target: "#week-board",
      swap: "outerHTML",
      values: {
        category: list.closest("[data-category]").dataset.category,
        week: board.dataset.week,
        order: codes,
      },
    });
  });

  var full = document.querySelector("[data-fullscreen]");
  if (full && document.documentElement.requestFullscreen) {
    full.hidden = false;
    full.addEventListener("click", function () {
      if (document.fullscreenElement) document.exitFullscreen();
      else document.documentElement.requestFullscreen();
    });
  }
})();
