// The kiosk board refreshes itself: every N seconds it fetches the page again and swaps
// the board in. Nothing is swapped while a control on the board has the focus, so a
// coordinator about to press "Take" never loses their place. No inline script (CSP).
(function () {
  "use strict";
  var board = document.getElementById("kiosk-board");
  if (!board || !window.fetch || !window.DOMParser) { return; }
  var seconds = parseInt(board.dataset.refreshSeconds, 10) || 30;

  function refresh() {
    if (board.contains(document.activeElement)) { return; }
    fetch(window.location.pathname, { credentials: "same-origin", headers: { "Accept": "text/html" } })
      .then(function (response) {
        if (!response.ok || response.redirected) { throw new Error("not refreshed"); }
        return response.text();
      })
      .then(function (html) {
        var page = new DOMParser().parseFromString(html, "text/html");
        var fresh = page.getElementById("kiosk-board");
        var updated = page.getElementById("kiosk-board-updated");
        if (!fresh || board.contains(document.activeElement)) { return; }
        board.replaceChildren.apply(board, Array.prototype.slice.call(fresh.childNodes));
        var current = document.getElementById("kiosk-board-updated");
        if (updated && current) { current.textContent = updated.textContent; }
      })
      .catch(function () { /* offline for a moment: the next round tries again */ });
  }

  window.setInterval(refresh, seconds * 1000);
})();
