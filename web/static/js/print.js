// Print pages: the "Print" button is shown only when this script runs (Ctrl+P works anyway).
// A plain file, no inline script (the site's CSP forbids it).
(function () {
  "use strict";
  if (!window.print) { return; }
  var buttons = document.querySelectorAll("[data-print]");
  for (var i = 0; i < buttons.length; i++) {
    buttons[i].hidden = false;
    buttons[i].addEventListener("click", function () { window.print(); });
  }
})();
