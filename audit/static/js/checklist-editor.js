/* Checklist editor niceties; every page works without this script (plain posts).
 * Question form: show only the fieldsets of the chosen kind, add option rows, show the
 * answers the chosen condition question can have. Preview: show conditional questions
 * as the shopper's form does. */
(function () {
  "use strict";

  var form = document.getElementById("question-form");
  if (form) {
    var kind = form.querySelector("select[name=kind]");
    var showKind = function () {
      form.querySelectorAll(".kind-only").forEach(function (fs) {
        fs.hidden = fs.dataset.kinds.split(" ").indexOf(kind.value) === -1;
      });
    };
    kind.addEventListener("change", showKind);
    showKind();

    var rows = document.getElementById("option-rows");
    var add = document.getElementById("add-option");
    if (rows && add) {
      add.hidden = false;
      add.addEventListener("click", function () {
        var last = rows.lastElementChild;
        var copy = last.cloneNode(true);
        var index = rows.children.length;
        copy.querySelectorAll("input").forEach(function (input) {
          input.name = input.name.replace(/options-\d+-/, "options-" + index + "-");
          input.id = input.name;
          input.value = "";
          input.setAttribute("aria-label",
            input.getAttribute("aria-label").replace(/\d+/, String(index + 1)));
        });
        copy.querySelectorAll(".error").forEach(function (el) { el.remove(); });
        rows.appendChild(copy);
        copy.querySelector("input").focus();
      });
    }

    var condition = form.querySelector("select[name=condition_question]");
    var hint = document.getElementById("condition-hint");
    if (condition && hint) {
      var hints = JSON.parse(condition.dataset.hints || "{}");
      var showHint = function () {
        hint.textContent = hints[condition.value] ? condition.value + ": " + hints[condition.value] : "";
      };
      condition.addEventListener("change", showHint);
      showHint();
    }
  }

  var preview = document.getElementById("preview");
  if (preview) {
    var all = Array.prototype.slice.call(preview.querySelectorAll("fieldset.question"));
    var byCode = {};
    all.forEach(function (fs) { byCode[fs.dataset.code] = fs; });
    var typedValue = function (fs) {
      var na = fs.querySelector("input[name^='na-']");
      if (na && na.checked) { return undefined; }
      var checked = fs.querySelector("input[type=radio]:checked");
      var field = fs.querySelector("input[name^='q-']:not([type=radio]), textarea");
      var value = checked ? checked.value : (field ? field.value.trim() : "");
      if (value === "") { return undefined; }
      if (fs.dataset.kind === "yes_no") { return value === "yes"; }
      if (fs.dataset.kind === "scale" || fs.dataset.kind === "number") { return Number(value); }
      return value;
    };
    var apply = function () {
      for (var round = 0; round < 5; round++) {
        var changed = false;
        all.forEach(function (fs) {
          if (!fs.dataset.condition) { return; }
          var cond = JSON.parse(fs.dataset.condition);
          var ctl = byCode[cond.question];
          var shown = !!ctl && !ctl.hidden && cond.values.indexOf(typedValue(ctl)) !== -1;
          if (fs.hidden === shown) { fs.hidden = !shown; changed = true; }
        });
        if (!changed) { break; }
      }
    };
    preview.addEventListener("change", apply);
    preview.addEventListener("input", apply);
    apply();
  }
})();
