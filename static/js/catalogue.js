/*
 * Catalogue of aids: results refresh without a full reload (progressive enhancement).
 *
 * Without JavaScript the form is a plain GET form and every link is a real URL. With it, ticking a
 * filter, changing the sort or submitting fetches only the results fragment (?fragment=1), puts the
 * new facet counts and field errors in place, records the URL with history.pushState (so the state
 * stays shareable and Back works), and announces the number of results in a polite live region.
 */
(function () {
  "use strict";

  /* The filters panel is closed in the HTML (a phone sees its results first): open it on a wide screen. */
  var panneau = document.getElementById("panneau-filtres");
  if (panneau && window.matchMedia && window.matchMedia("(min-width: 992px)").matches) {
    panneau.open = true;
  }

  var formulaire = document.querySelector("form[data-catalogue-filtres]");
  var zone = document.getElementById("resultats");
  var annonce = document.getElementById("annonce-resultats");
  if (!formulaire || !zone || !window.fetch || !window.history || !window.URLSearchParams) {
    return;
  }
  var adresse = formulaire.getAttribute("action");
  var numeroRequete = 0;

  /* The search as GET parameters, leaving out empty fields and defaults (shorter shared URLs). */
  function parametresDuFormulaire() {
    var params = new URLSearchParams();
    Array.prototype.forEach.call(formulaire.elements, function (element) {
      if (!element.name || element.disabled || element.type === "submit") {
        return;
      }
      if ((element.type === "checkbox" || element.type === "radio") && !element.checked) {
        return;
      }
      var valeur = element.value.trim();
      if (valeur !== "" && valeur !== element.getAttribute("data-defaut")) {
        params.append(element.name, valeur);
      }
    });
    return params;
  }

  /* Put the form in the state a URL describes (Back button, links that remove a filter). */
  function synchroniser(params) {
    Array.prototype.forEach.call(formulaire.elements, function (element) {
      if (!element.name) {
        return;
      }
      var valeurs = params.getAll(element.name);
      if (element.type === "checkbox" || element.type === "radio") {
        element.checked = element.value === "" ? valeurs.length === 0 : valeurs.indexOf(element.value) !== -1;
      } else if (element.tagName === "SELECT") {
        element.value = valeurs[0] || element.options[0].value;
      } else if (element.type !== "submit") {
        element.value = valeurs[0] || "";
      }
    });
    // The commune autocompletion keeps the submitted value in a hidden input and shows a label.
    var visible = formulaire.querySelector("[data-autocompletion-commune]");
    if (visible && !visible.name) {
      visible.value = params.get("commune") || "";
    }
  }

  function mettreAJourFormulaire() {
    zone.querySelectorAll("[data-compteurs] [data-compteur]").forEach(function (source) {
      var cible = formulaire.querySelector(
        ".facette [data-compteur=\"" + source.getAttribute("data-compteur") + "\"]"
      );
      if (cible) {
        cible.textContent = source.textContent;
        // The word read after the count agrees with it, as in French: « 1 aide », « 2 aides ».
        var mot = cible.nextElementSibling;
        if (mot && mot.hasAttribute("data-compteur-mot")) {
          mot.textContent = parseInt(source.textContent, 10) >= 2 ? " aides" : " aide";
        }
      }
    });
    zone.querySelectorAll("[data-erreurs-champs] [data-champ]").forEach(function (source) {
      var nom = source.getAttribute("data-champ");
      var cible = formulaire.querySelector("[data-erreur-champ=\"" + nom + "\"]");
      if (!cible) {
        return;
      }
      cible.innerHTML = source.innerHTML;
      var champ = nom === "commune"
        ? formulaire.querySelector("[data-autocompletion-commune]")
        : formulaire.querySelector("[name=\"" + nom + "\"]");
      if (champ) {
        var enErreur = source.textContent.trim() !== "";
        champ.classList.toggle("is-invalid", enErreur);
        if (enErreur) {
          champ.setAttribute("aria-invalid", "true");
        } else {
          champ.removeAttribute("aria-invalid");
        }
      }
    });
  }

  function charger(params, options) {
    var requete = params.toString();
    var url = adresse + (requete ? "?" + requete : "");
    var numero = ++numeroRequete;
    zone.setAttribute("aria-busy", "true");
    // A distinct URL for the fragment, so that the browser's cache never serves it for the page.
    var urlFragment = adresse + "?" + (requete ? requete + "&" : "") + "fragment=1";
    fetch(urlFragment, { headers: { "X-Requested-With": "XMLHttpRequest" }, credentials: "same-origin" })
      .then(function (reponse) {
        if (!reponse.ok) {
          throw new Error("HTTP " + reponse.status);
        }
        return reponse.text();
      })
      .then(function (html) {
        if (numero !== numeroRequete) {
          return; // a newer search went out meanwhile
        }
        zone.innerHTML = html;
        mettreAJourFormulaire();
        if (options.ajouterHistorique) {
          window.history.pushState({ catalogue: true }, "", url);
        }
        var titre = zone.querySelector("[data-resume]");
        if (titre) {
          annonce.textContent = titre.textContent.replace(/\s+/g, " ").trim() + ".";
          if (options.focaliser) {
            titre.focus();
          }
        }
      })
      .catch(function () {
        window.location.href = url; // fall back to the plain page
      })
      .then(function () {
        if (numero === numeroRequete) {
          zone.removeAttribute("aria-busy");
        }
      });
  }

  formulaire.addEventListener("change", function (evenement) {
    var cible = evenement.target;
    if (cible.type === "checkbox" || cible.type === "radio" || cible.tagName === "SELECT") {
      charger(parametresDuFormulaire(), { ajouterHistorique: true, focaliser: false });
    }
  });

  formulaire.addEventListener("submit", function (evenement) {
    evenement.preventDefault();
    charger(parametresDuFormulaire(), { ajouterHistorique: true, focaliser: true });
  });

  // Pagination, "remove this filter" and suggestion links inside the results.
  zone.addEventListener("click", function (evenement) {
    var lien = evenement.target.closest("a[data-navigation]");
    if (!lien || evenement.ctrlKey || evenement.metaKey || evenement.shiftKey || evenement.button !== 0) {
      return;
    }
    evenement.preventDefault();
    var params = new URL(lien.href, window.location.href).searchParams;
    synchroniser(params);
    charger(params, { ajouterHistorique: true, focaliser: true });
  });

  window.addEventListener("popstate", function () {
    var params = new URLSearchParams(window.location.search);
    synchroniser(params);
    charger(params, { ajouterHistorique: false, focaliser: false });
  });
})();
