/* Loaded in <head>: tells the CSS that JavaScript runs (the collapsible menu needs it). */
document.documentElement.classList.replace("no-js", "js");

/* Grouped menus (<details class="menu-groupe">): one open at a time; Escape or a click elsewhere closes. */
document.addEventListener("toggle", function (evenement) {
  var ouvert = evenement.target;
  if (!ouvert.classList || !ouvert.classList.contains("menu-groupe") || !ouvert.open) return;
  document.querySelectorAll("details.menu-groupe[open]").forEach(function (autre) {
    if (autre !== ouvert) autre.open = false;
  });
}, true);
document.addEventListener("keydown", function (evenement) {
  if (evenement.key !== "Escape") return;
  var ouvert = document.querySelector("details.menu-groupe[open]");
  if (ouvert) {
    ouvert.open = false;
    ouvert.querySelector("summary").focus();
  }
});
document.addEventListener("click", function (evenement) {
  document.querySelectorAll("details.menu-groupe[open]").forEach(function (ouvert) {
    if (!ouvert.contains(evenement.target)) ouvert.open = false;
  });
});
