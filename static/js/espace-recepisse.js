// Application page: while the deposit receipt is being rendered, reload the page every 4 seconds
// (at most 15 times). Without JavaScript, the page says to reload it.
(function () {
  "use strict";
  if (!document.getElementById("recepisse-attente")) { return; }
  var cle = "recepisse-essais-" + window.location.pathname;
  var essais = parseInt(window.sessionStorage.getItem(cle) || "0", 10);
  if (essais >= 15) { return; }
  window.setTimeout(function () {
    window.sessionStorage.setItem(cle, String(essais + 1));
    window.location.reload();
  }, 4000);
})();
