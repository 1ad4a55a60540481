// While the convention PDF is being generated, poll its status and reload the page once it is ready.
(function () {
  "use strict";
  var bloc = document.getElementById("generation");
  if (!bloc || !window.fetch) { return; }
  var url = bloc.getAttribute("data-statut");
  var essais = 0;
  function verifier() {
    essais += 1;
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (r) { return r.json(); })
      .then(function (statut) {
        if (!statut.en_cours) { window.location.reload(); }
        else if (essais < 90) { window.setTimeout(verifier, 2000); }
      })
      .catch(function () { if (essais < 90) { window.setTimeout(verifier, 5000); } });
  }
  window.setTimeout(verifier, 1500);
})();
