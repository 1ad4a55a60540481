// Application form: live total of the expense table, and one submission per click on « Déposer ».
// Progressive enhancement only: the server computes the total and deposits once whatever happens.
(function () {
  "use strict";
  var total = document.getElementById("total-depenses");
  // The expense lines of the application form (the block « lignes » of formulaires).
  var CHAMPS = ".montant-depense, #bloc-lignes input[name$='-montant_ht']";
  function lire(valeur) {
    var texte = (valeur || "").replace(/[\s\u00a0\u202f€]/g, "").replace(",", ".");
    var nombre = parseFloat(texte);
    return isNaN(nombre) ? 0 : nombre;
  }
  function recalculer() {
    var somme = 0;
    document.querySelectorAll(CHAMPS).forEach(function (champ) { somme += lire(champ.value); });
    total.textContent = somme.toLocaleString("fr-FR", { style: "currency", currency: "EUR" });
  }
  if (total) {
    document.querySelectorAll(CHAMPS).forEach(function (champ) {
      champ.addEventListener("input", recalculer);
    });
  }
  document.querySelectorAll("form").forEach(function (formulaire) {
    formulaire.addEventListener("submit", function (evenement) {
      if (formulaire.dataset.envoye) { evenement.preventDefault(); return; }
      formulaire.dataset.envoye = "1";
    });
  });
})();
