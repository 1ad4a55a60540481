/* Loaded in <head>: tells the CSS that JavaScript runs (the collapsible menu needs it). */
document.documentElement.classList.replace("no-js", "js");
