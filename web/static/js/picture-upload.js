// The picture upload form (/editor/pictures): a file over the size limit is named as soon as
// it is chosen, and the form is not sent with it. The server refuses it anyway (the request
// is cut off at the same size), but then the description typed beside it would be lost.
// A plain file, no inline script (the site's CSP forbids it).
(function () {
  "use strict";
  var form = document.querySelector("form[data-max-bytes]");
  if (!form) { return; }
  var input = form.querySelector("input[type=file]");
  if (!input || !window.FileReader) { return; }
  var most = parseInt(form.getAttribute("data-max-bytes"), 10);
  var message = document.createElement("p");
  message.className = "error";
  message.id = input.id + "-too-big";
  message.setAttribute("role", "alert");
  message.hidden = true;
  input.parentNode.insertBefore(message, input.nextSibling);

  function tooBig() {
    var file = input.files && input.files[0];
    return file && file.size > most ? file : null;
  }

  function show() {
    var file = tooBig();
    var described = (input.getAttribute("aria-describedby") || "").split(" ").filter(function (id) {
      return id && id !== message.id;
    });
    if (file) {
      var size = (file.size / (1024 * 1024)).toFixed(1);
      message.textContent = form.getAttribute("data-too-big").replace("{size}", size);
      message.hidden = false;
      input.setAttribute("aria-invalid", "true");
      described.push(message.id);
    } else {
      message.hidden = true;
      message.textContent = "";
      input.removeAttribute("aria-invalid");
    }
    input.setAttribute("aria-describedby", described.join(" "));
    return !file;
  }

  input.addEventListener("change", show);
  form.addEventListener("submit", function (event) {
    if (!show()) {
      event.preventDefault();
      input.focus();
    }
  });
})();
