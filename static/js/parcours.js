/*
 * Parcours questions: the innovation maturity question only matters when « Innover » is ticked.
 * Without JavaScript it is always shown (and ignored by the server when « Innover » is not chosen).
 */
(function () {
  "use strict";
  document.querySelectorAll("form.questions-parcours").forEach(function (form) {
    var innover = form.querySelector('input[name="projets"][value="innover"]');
    var question = form.querySelector("#question-maturite");
    if (!innover || !question) {
      return;
    }
    function actualiser() {
      question.hidden = !innover.checked;
    }
    innover.addEventListener("change", actualiser);
    actualiser();
  });
})();
