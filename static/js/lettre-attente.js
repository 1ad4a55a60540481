// Application page: while the decision letter is being rendered, reload the page every 4 seconds
// (at most 15 times). Without JavaScript, the page says to reload it.
(function () {
  "use strict";
  if (!document.getElementById("lettre-attente")) { return; }
  var cle = "lettre-essais-" + window.location.pathname;
  var essais = parseInt(window.sessionStorage.getItem(cle) || "0", 10);
  if (essais >= 15) { return; }
  window.setTimeout(function () {
    window.sessionStorage.setItem(cle, String(essais + 1));
    window.location.reload();
  }, 4000);
})();
