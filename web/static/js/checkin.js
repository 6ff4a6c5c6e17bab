// Check-in: keep the keyboard in the scanner's input. A USB/Bluetooth QR scanner types
// the code and Enter; after every check-in (and after a tap on the roster, which
// reloads the page at that row) the next scan must land in the input again.
// The page works without this script (the input has autofocus).
(function () {
  "use strict";
  var input = document.getElementById("code");
  if (!input) { return; }
  // a walk-in search or form that asked for the focus keeps it
  var wanted = document.querySelector("[autofocus]");
  if (wanted && wanted !== input) { return; }
  function focusInput() {
    // after a tap on the roster the page opens at that row (#p12): keep the row in view
    input.focus({ preventScroll: window.location.hash !== "" });
    input.select();
  }
  focusInput();
  if (window.location.hash) {
    // scrolling to the row moves the focus to the page once it has loaded: take it back
    window.addEventListener("load", function () { window.setTimeout(focusInput, 0); });
  }
})();
