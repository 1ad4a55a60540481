// Instruction inbox: « Tout sélectionner » ticks or unticks every file of the page (a native checkbox,
// so it works with the keyboard); it shows a mixed state when only some are ticked.
(function () {
  "use strict";
  var tout = document.getElementById("tout-selectionner");
  if (!tout) { return; }
  var cases = Array.prototype.slice.call(document.querySelectorAll(".case-lot"));
  tout.addEventListener("change", function () {
    cases.forEach(function (c) { c.checked = tout.checked; });
  });
  cases.forEach(function (c) {
    c.addEventListener("change", function () {
      var cochees = cases.filter(function (x) { return x.checked; }).length;
      tout.checked = cochees === cases.length;
      tout.indeterminate = cochees > 0 && cochees < cases.length;
    });
  });
})();
