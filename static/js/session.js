/* Warns before the session ends (idle or absolute limit) and offers to stay logged in; refills a
   form whose sending met an expired session (values kept server-side, see portal.middleware). */
(function () {
  "use strict";
  var AVANCE = 5 * 60; // seconds before the end
  var corps = document.body;
  var inactivite = parseInt(corps.dataset.sessionInactivite, 10);
  var fin = parseInt(corps.dataset.sessionFin, 10); // epoch seconds, absolute end
  var minuterie = null;

  function maintenant() { return Date.now() / 1000; }

  function reste() {
    var r = inactivite;
    if (fin) { r = Math.min(r, fin - maintenant()); }
    return r;
  }

  function avertir() {
    var boite = document.getElementById("session-avertissement");
    var texte = document.getElementById("session-avertissement-texte");
    if (!boite || !texte) { return; }
    var absolu = fin && fin - maintenant() <= AVANCE + 5;
    texte.textContent = absolu
      ? "Votre session se termine dans moins de 5 minutes (durée maximale de connexion). Enregistrez votre saisie maintenant : après reconnexion, elle vous sera proposée de nouveau."
      : "Votre session va expirer dans 5 minutes faute d'activité. Cliquez sur « Rester connecté » pour continuer sans perdre votre saisie.";
    document.getElementById("session-prolonger").hidden = !!absolu;
    boite.hidden = false;
  }

  function programmer() {
    if (minuterie) { clearTimeout(minuterie); }
    var delai = Math.max(0, reste() - AVANCE);
    minuterie = setTimeout(avertir, delai * 1000);
  }

  function prolonger() {
    fetch(corps.dataset.sessionEtat, { credentials: "same-origin", cache: "no-store" })
      .then(function (r) { return r.json(); })
      .then(function (etat) {
        if (!etat.connecte) { window.location.reload(); return; }
        inactivite = etat.inactivite;
        fin = maintenant() + etat.reste_absolu;
        document.getElementById("session-avertissement").hidden = true;
        programmer();
      });
  }

  function reprendre() {
    var bloc = document.getElementById("saisie-reprise");
    if (!bloc) { return; }
    var donnees = JSON.parse(bloc.textContent);
    Object.keys(donnees).forEach(function (nom) {
      var valeurs = donnees[nom];
      document.querySelectorAll("[name='" + CSS.escape(nom) + "']").forEach(function (champ, i) {
        if (champ.type === "file" || champ.type === "hidden") { return; }
        if (champ.type === "checkbox" || champ.type === "radio") {
          champ.checked = valeurs.indexOf(champ.value) !== -1;
        } else if (champ.tagName === "SELECT" && champ.multiple) {
          Array.prototype.forEach.call(champ.options, function (o) { o.selected = valeurs.indexOf(o.value) !== -1; });
        } else if (valeurs[i] !== undefined) {
          champ.value = valeurs[i];
        }
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var bouton = document.getElementById("session-prolonger");
    if (bouton) { bouton.addEventListener("click", prolonger); }
    reprendre();
    if (inactivite) { programmer(); }
  });
})();
