/*
 * Commune autocompletion, a progressive enhancement of <input data-autocompletion-commune name="…">.
 *
 * WAI-ARIA combobox pattern (list autocomplete): the field gets role="combobox", a listbox of
 * suggestions fetched from /territoires/communes/?q=… (or the field's data-url), arrow keys to move,
 * Enter to choose, Escape to close, and a polite live region announcing the number of results.
 *
 * The field's name moves to a hidden input: after a choice it holds the commune's INSEE code
 * while the field shows "Amiens (80021)"; while typing it holds what was typed, exactly what the
 * form would submit without JavaScript (the server accepts a code, a label or a name).
 */
(function () {
  "use strict";

  var DELAI_MS = 250;
  var LONGUEUR_MIN = 2;
  var compteur = 0;

  function creer(balise, attributs) {
    var element = document.createElement(balise);
    Object.keys(attributs || {}).forEach(function (nom) {
      element.setAttribute(nom, attributs[nom]);
    });
    return element;
  }

  function initialiser(champ) {
    if (champ.dataset.autocompletionPret) {
      return;
    }
    champ.dataset.autocompletionPret = "1";
    compteur += 1;
    var url = champ.dataset.url || "/territoires/communes/";
    var idListe = (champ.id || "commune-" + compteur) + "-suggestions";
    var conteneur = champ.parentElement;
    conteneur.classList.add("autocompletion-conteneur");

    var cache = creer("input", { type: "hidden", name: champ.name, value: champ.value });
    champ.removeAttribute("name");
    var liste = creer("ul", { id: idListe, role: "listbox", class: "autocompletion-liste", "aria-label": "Communes proposées" });
    liste.hidden = true;
    var annonce = creer("div", { class: "visually-hidden", role: "status", "aria-live": "polite", "aria-atomic": "true" });

    champ.setAttribute("role", "combobox");
    champ.setAttribute("aria-autocomplete", "list");
    champ.setAttribute("aria-expanded", "false");
    champ.setAttribute("aria-controls", idListe);
    champ.setAttribute("autocomplete", "off");
    champ.insertAdjacentElement("afterend", liste);
    conteneur.appendChild(annonce);
    conteneur.appendChild(cache);

    var resultats = [];
    var actif = -1;
    var minuterie = null;
    var requete = null;
    var numeroRequete = 0;

    function annoncer(texte) {
      annonce.textContent = texte;
    }

    function fermer() {
      liste.hidden = true;
      champ.setAttribute("aria-expanded", "false");
      champ.removeAttribute("aria-activedescendant");
      actif = -1;
    }

    function ouvrir() {
      if (resultats.length) {
        liste.hidden = false;
        champ.setAttribute("aria-expanded", "true");
      }
    }

    function activer(index) {
      var options = liste.querySelectorAll("[role=option]");
      if (!options.length) {
        return;
      }
      actif = (index + options.length) % options.length;
      options.forEach(function (option, i) {
        option.setAttribute("aria-selected", i === actif ? "true" : "false");
      });
      champ.setAttribute("aria-activedescendant", options[actif].id);
      options[actif].scrollIntoView({ block: "nearest" });
    }

    function choisir(index) {
      var commune = resultats[index];
      if (!commune) {
        return;
      }
      champ.value = commune.libelle;
      cache.value = commune.code_insee;
      fermer();
      annoncer(commune.libelle + " choisie.");
    }

    function afficher(donnees) {
      resultats = donnees.resultats || [];
      liste.textContent = "";
      actif = -1;
      champ.removeAttribute("aria-activedescendant");
      resultats.forEach(function (commune, i) {
        var option = creer("li", { id: idListe + "-" + i, role: "option", "aria-selected": "false" });
        option.textContent = commune.libelle + " ";
        var detail = creer("span", { class: "detail" });
        detail.textContent = [commune.departement_nom, commune.codes_postaux.join(", "), commune.epci]
          .filter(Boolean)
          .join(" · ");
        option.appendChild(detail);
        option.addEventListener("click", function () {
          choisir(i);
        });
        liste.appendChild(option);
      });
      if (document.activeElement !== champ) {
        return; // the answer came after the person left the field
      }
      if (resultats.length) {
        ouvrir();
        annoncer(
          (resultats.length === 1 ? "1 commune proposée" : resultats.length + " communes proposées") +
            ". Flèches haut et bas pour parcourir, Entrée pour choisir."
        );
      } else {
        fermer();
        annoncer("Aucune commune ne correspond à votre saisie.");
      }
    }

    function rechercher() {
      var texte = champ.value.trim();
      if (texte.length < LONGUEUR_MIN || texte.length > 100) {
        resultats = [];
        fermer();
        return;
      }
      if (requete) {
        requete.abort();
      }
      requete = window.AbortController ? new AbortController() : null;
      numeroRequete += 1;
      var numero = numeroRequete;
      fetch(url + "?q=" + encodeURIComponent(texte), {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
        signal: requete ? requete.signal : undefined,
      })
        .then(function (reponse) {
          return reponse.ok ? reponse.json() : { resultats: [] };
        })
        .then(function (donnees) {
          if (numero === numeroRequete) {
            afficher(donnees);
          }
        })
        .catch(function () {
          // Aborted or network error: the field keeps working as a plain text field.
        });
    }

    champ.addEventListener("input", function () {
      cache.value = champ.value;
      window.clearTimeout(minuterie);
      minuterie = window.setTimeout(rechercher, DELAI_MS);
    });

    champ.addEventListener("keydown", function (evenement) {
      var ouverte = !liste.hidden;
      switch (evenement.key) {
        case "ArrowDown":
          evenement.preventDefault();
          if (!ouverte) {
            ouvrir();
          }
          activer(actif + 1);
          break;
        case "ArrowUp":
          evenement.preventDefault();
          if (!ouverte) {
            ouvrir();
          }
          activer(actif < 0 ? -1 : actif - 1);
          break;
        case "Enter":
          if (ouverte && actif >= 0) {
            evenement.preventDefault();
            choisir(actif);
          }
          break;
        case "Escape":
          if (ouverte) {
            evenement.preventDefault();
            fermer();
          }
          break;
        default:
          break;
      }
    });

    // A click in the list (an option or its scrollbar) must not take the focus from the field.
    liste.addEventListener("mousedown", function (evenement) {
      evenement.preventDefault();
    });
    champ.addEventListener("blur", fermer);
  }

  function demarrer() {
    document.querySelectorAll("input[data-autocompletion-commune]").forEach(initialiser);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", demarrer);
  } else {
    demarrer();
  }
})();
