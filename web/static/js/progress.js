// できたことの記録: a tap on a box ticks or undoes it without reloading the page. Each box is
// a small form that works without this script (the page comes back at the person's row);
// here the same form is sent with fetch and the box changes in place. The answer is JSON:
// {"done": true|false}, or {"error": "..."} with 422, shown in the status line.
(function () {
  "use strict";
  var status = document.querySelector("[data-progress-status]");

  function say(text, isError) {
    if (!status) { return; }
    status.textContent = text;
    status.classList.toggle("progress-status--error", !!isError);
  }

  function show(button, done) {
    button.value = done ? "untick" : "tick";
    button.setAttribute("aria-pressed", done ? "true" : "false");
    button.classList.toggle("cell-mark--here", done);
    button.classList.toggle("cell-mark--todo", !done);
    button.querySelector("[data-mark]").textContent = done ? "\u2713" : "";
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches || !form.matches("[data-progress-cell]")) { return; }
    if (form.dataset.plain) { return; }  // sent as a plain form: the server's page answers
    event.preventDefault();
    var button = form.querySelector("button[name=action]");
    if (button.getAttribute("aria-busy") === "true") { return; }  // a double tap: one request
    var body = new FormData(form);
    body.set("action", button.value);
    button.setAttribute("aria-busy", "true");
    // form.action would be the button named "action": read the attribute
    fetch(form.getAttribute("action"), {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "Accept": "application/json" }
    }).then(function (response) {
      var json = (response.headers.get("Content-Type") || "").indexOf("application/json") === 0;
      if (!json) {
        // not our answer (an expired login or form, a proxy's page): send the form the
        // plain way, so the page the server gives says what happened
        form.dataset.plain = "1";
        button.removeAttribute("aria-busy");
        button.click();
        return;
      }
      return response.json().then(function (answer) {
        if (!response.ok) {
          var refused = new Error(answer.error || response.statusText);
          refused.fromServer = true;
          throw refused;
        }
        show(button, answer.done);
        say("", false);
      });
    }).catch(function (error) {
      // a refusal carries the server's message; a lost network only the browser's
      say(error.fromServer ? error.message : status.dataset.offline, true);
    }).then(function () {
      button.removeAttribute("aria-busy");
    });
  });
})();
