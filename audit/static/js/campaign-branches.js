// Campaign form: "all of a region" ticks and unticks the region's branches, and the
// heading counts the ticked branches. Without JavaScript the region box still works: on
// save, every branch of a ticked region is added.
(function () {
  "use strict";
  var form = document.querySelector(".campaign-form");
  if (!form) return;
  var counter = form.querySelector("[data-selected-count]");
  function count() {
    if (counter) counter.textContent = form.querySelectorAll("input[name=branches]:checked").length;
  }
  form.querySelectorAll("[data-region]").forEach(function (group) {
    var all = group.querySelector("[data-region-all]");
    var boxes = group.querySelectorAll("input[name=branches]");
    function sync() {
      var ticked = Array.prototype.filter.call(boxes, function (b) { return b.checked; }).length;
      all.checked = ticked === boxes.length;
      all.indeterminate = ticked > 0 && ticked < boxes.length;
    }
    all.addEventListener("change", function () {
      boxes.forEach(function (b) { if (!b.hasAttribute("data-locked")) b.checked = all.checked; });
      sync(); count();
    });
    boxes.forEach(function (b) { b.addEventListener("change", function () { sync(); count(); }); });
    sync();
  });
  form.addEventListener("change", count);
})();
