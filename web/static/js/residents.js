// Search residents as you type. The page works without this: the form does a normal GET.
// No inline script (CSP); results are built with DOM methods, never innerHTML.
(function () {
  "use strict";
  var form = document.querySelector("form[data-search-url]");
  var input = document.getElementById("q");
  var results = document.getElementById("results");
  var texts = document.getElementById("result-texts");
  if (!form || !input || !results || !texts || !window.fetch) { return; }
  var t = texts.dataset;
  var timer = null;
  var latest = 0;

  function cell(row, text, href) {
    var td = document.createElement("td");
    if (href) {
      var a = document.createElement("a");
      a.href = href;
      a.textContent = text;
      td.appendChild(a);
    } else {
      td.textContent = text;
    }
    row.appendChild(td);
    return td;
  }

  function render(data) {
    results.textContent = "";
    if (!data.query) { return; }
    var count = document.createElement("p");
    count.className = "results-count";
    var n = data.results.length;
    count.textContent = n === 0 ? t.none : n === 1 ? t.one : t.many.replace("{n}", n);
    results.appendChild(count);
    if (!n) { return; }
    var wrap = document.createElement("div");
    wrap.className = "table-wrap";
    var table = document.createElement("table");
    var head = table.createTHead().insertRow();
    [t.name, t.kana, t.phone, t.year].forEach(function (label, i) {
      var th = document.createElement("th");
      th.scope = "col";
      th.textContent = label;
      if (i === 3) { th.className = "num"; }
      head.appendChild(th);
    });
    var body = table.createTBody();
    data.results.forEach(function (p) {
      var row = body.insertRow();
      cell(row, p.name, p.url);
      cell(row, p.reading);
      cell(row, p.phone);
      cell(row, p.birth_year || "").className = "num";
    });
    wrap.appendChild(table);
    results.appendChild(wrap);
  }

  function search() {
    var query = input.value.trim();
    var ticket = ++latest;
    var url = form.dataset.searchUrl + "?q=" + encodeURIComponent(query);
    fetch(url, { headers: { "Accept": "application/json" }, credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) {
        if (data && ticket === latest) {
          render(data);
          history.replaceState(null, "", form.action + (query ? "?q=" + encodeURIComponent(query) : ""));
        }
      })
      .catch(function () { /* the normal form still works */ });
  }

  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(search, 200);
  });
})();
