// Handouts: a "Print" button (shown only when this script runs; Ctrl+P works anyway).
(function () {
  "use strict";
  var button = document.getElementById("print-button");
  if (!button || !window.print) { return; }
  button.hidden = false;
  button.addEventListener("click", function () { window.print(); });
})();
