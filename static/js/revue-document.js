/*
 * Review PDF status: asks the JSON status every two seconds and shows the link when ready,
 * announced by the page's polite live region. Without JavaScript a <meta refresh> reloads the page.
 */
(function () {
  "use strict";
  var zone = document.getElementById("etat-document");
  if (!zone || document.getElementById("lien-document")) {
    return;
  }
  var url = zone.dataset.urlEtat;
  var essais = 0;

  function afficher(etat) {
    zone.textContent = "";
    var p = document.createElement("p");
    if (etat.statut === "prete") {
      p.textContent = "Le document est prêt.";
      var lien = document.createElement("a");
      lien.className = "btn btn-primary";
      lien.id = "lien-document";
      lien.href = etat.fichier;
      lien.textContent = "Télécharger le PDF";
      var p2 = document.createElement("p");
      p2.appendChild(lien);
      zone.appendChild(p);
      zone.appendChild(p2);
    } else if (etat.statut === "echec") {
      p.className = "text-danger";
      p.textContent = "La préparation du document a échoué. Revenez à la revue pour le demander à nouveau.";
      zone.appendChild(p);
    }
  }

  function interroger() {
    essais += 1;
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (reponse) { return reponse.json(); })
      .then(function (etat) {
        if (etat.statut === "prete" || etat.statut === "echec") {
          afficher(etat);
        } else if (essais < 90) {
          window.setTimeout(interroger, 2000);
        }
      })
      .catch(function () {
        if (essais < 90) {
          window.setTimeout(interroger, 4000);
        }
      });
  }
  window.setTimeout(interroger, 1000);
})();
