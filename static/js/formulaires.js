// Forms built by staff: a section with a condition is hidden while the answer it depends on does
// not match. Progressive enhancement: without JavaScript every section shows, with a sentence
// saying when to fill it, and the server ignores the answers of a section whose condition fails.
(function () {
  "use strict";
  function valeurs(formulaire, nom) {
    var choisis = [];
    formulaire.querySelectorAll('[name="' + nom + '"]').forEach(function (champ) {
      if ((champ.type === "radio" || champ.type === "checkbox") && !champ.checked) { return; }
      choisis.push(champ.value);
    });
    return choisis;
  }
  function actualiser(formulaire) {
    formulaire.querySelectorAll("[data-condition-champ]").forEach(function (section) {
      var visible = valeurs(formulaire, section.dataset.conditionChamp).indexOf(section.dataset.conditionValeur) !== -1;
      section.hidden = !visible;
      section.querySelectorAll(".condition-texte").forEach(function (texte) { texte.hidden = true; });
    });
  }
  document.querySelectorAll("form").forEach(function (formulaire) {
    if (!formulaire.querySelector("[data-condition-champ]")) { return; }
    formulaire.addEventListener("change", function () { actualiser(formulaire); });
    actualiser(formulaire);
  });
})();
