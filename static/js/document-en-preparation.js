/*
 * The one poller of documents rendered in the background (portal.Document: parcours summary, review
 * agenda or minutes, steering report…), included with templates/portal/_document_en_preparation.html.
 * Asks the JSON status of each zone's data-url-etat every two seconds ({"statut", "libelle",
 * "fichier"}) and shows the download link when the file is there (the zone's data-url-fichier when the
 * page gives one, else the status' "fichier"), or the failure text, announced by the zone's polite
 * live region. A page may hold several zones (a receipt and a decision letter). Without JavaScript,
 * a <noscript><meta refresh> reloads the page.
 */
(function () {
  "use strict";
  if (!window.fetch) {
    return;
  }

  function paragraphe(texte, classe) {
    var p = document.createElement("p");
    p.textContent = texte;
    if (classe) {
      p.className = classe;
    }
    return p;
  }

  function afficher(zone, etat) {
    zone.textContent = "";
    if (etat.fichier) {
      zone.appendChild(paragraphe(zone.dataset.textePret));
      var lien = document.createElement("a");
      lien.className = "btn btn-primary";
      lien.id = zone.dataset.idLien;
      lien.setAttribute("data-lien-document", "");
      lien.href = zone.dataset.urlFichier || etat.fichier;
      lien.textContent = zone.dataset.libelleLien;
      var p = document.createElement("p");
      p.appendChild(lien);
      zone.appendChild(p);
    } else {
      zone.appendChild(paragraphe(zone.dataset.texteEchec, "text-danger"));
    }
  }

  function suivre(zone) {
    var essais = 0;

    function interroger() {
      essais += 1;
      fetch(zone.dataset.urlEtat, { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (reponse) { return reponse.json(); })
        .then(function (etat) {
          if (etat.fichier || etat.statut === "echec") {
            afficher(zone, etat);
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
  }

  Array.prototype.forEach.call(document.querySelectorAll("[data-url-etat]"), suivre);
})();
