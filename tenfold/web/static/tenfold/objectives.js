// Small comforts for the objective and key-result forms. Both forms work without this file.
(function () {
  "use strict";

  // A live character count under titles: about 70 characters reads best.
  document.querySelectorAll("[data-count-for]").forEach(function (hint) {
    var input = document.getElementById(hint.dataset.countFor);
    if (!input) return;
    var soft = parseInt(input.dataset.countHint || "70", 10);
    var hard = parseInt(input.getAttribute("maxlength") || "200", 10);
    var update = function () {
      var n = input.value.length;
      hint.textContent = (n > soft ? hint.dataset.longText : hint.dataset.text)
        .replace("{n}", n).replace("{soft}", soft).replace("{max}", hard);
      hint.classList.toggle("over", n > soft);
    };
    hint.hidden = false;
    input.addEventListener("input", update);
    update();
  });

  // Key-result form: hide the fields a kind does not use, highlight the chosen kind's help.
  var kind = document.querySelector(".kr-form select[name=kind]");
  var format = document.querySelector(".kr-form select[name=value_format]");
  var row = function (name) { return document.querySelector('.kr-form [data-field="' + name + '"]'); };
  var refresh = function () {
    if (kind) {
      var k = kind.value;
      var start = row("start"), target = row("target");
      if (start) start.hidden = ["keep_above", "keep_below", "milestone"].indexOf(k) >= 0;
      if (target) target.hidden = k === "milestone";
      document.querySelectorAll(".kind-help > div").forEach(function (item) {
        item.classList.toggle("current", item.dataset.kind === k);
      });
    }
    if (format) {
      var currency = row("currency");
      if (currency) currency.hidden = format.value !== "currency";
    }
  };
  if (kind) kind.addEventListener("change", refresh);
  if (format) format.addEventListener("change", refresh);
  refresh();
})();
