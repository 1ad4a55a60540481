// Staff form of a dispositif: a filter box above the list of the 92 EPCI (progressive enhancement:
// without JavaScript the plain multiple select works the same).
(function () {
  "use strict";
  var liste = document.getElementById("id_epcis");
  if (!liste) { return; }
  var champ = document.createElement("input");
  champ.type = "search";
  champ.id = "filtre-epcis";
  champ.className = "form-control mb-2";
  champ.setAttribute("autocomplete", "off");
  champ.setAttribute("aria-controls", "id_epcis");
  var etiquette = document.createElement("label");
  etiquette.htmlFor = "filtre-epcis";
  etiquette.className = "form-label";
  etiquette.textContent = "Filtrer la liste des EPCI (nom ou numéro de département)";
  var etat = document.createElement("p");
  etat.className = "visually-hidden";
  etat.setAttribute("role", "status");
  liste.parentNode.insertBefore(etiquette, liste);
  liste.parentNode.insertBefore(champ, liste);
  liste.parentNode.insertBefore(etat, liste);

  function sansAccents(texte) {
    return texte.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  champ.addEventListener("input", function () {
    var recherche = sansAccents(champ.value.trim());
    var visibles = 0;
    Array.prototype.forEach.call(liste.options, function (option) {
      // Selected EPCI stay visible, so a filter never hides a choice already made.
      var garde = !recherche || option.selected || sansAccents(option.text).indexOf(recherche) !== -1;
      option.hidden = !garde;
      if (garde) { visibles += 1; }
    });
    etat.textContent = visibles + " EPCI affiché" + (visibles > 1 ? "s" : "");
  });
})();
