// Report library: poll the status of reports still queued or generating, update their
// progress bar, and swap in the download link when the file is ready. Without JS the page
// refreshes itself (a <noscript> meta refresh) while something is pending.
(function () {
  "use strict";
  var script = document.currentScript;
  var readyText = script ? script.getAttribute("data-ready") : "Download";
  var failedText = script ? script.getAttribute("data-failed") : "Failed";
  var INTERVAL = 1500;

  function update(row, data) {
    var cell = row.querySelector(".report-status");
    if (!cell) { return; }
    if (data.status === "done") {
      var link = document.createElement("a");
      link.className = "button";
      link.href = data.download_url;
      link.setAttribute("download", "");
      link.textContent = readyText;
      cell.replaceChildren(link);
      row.removeAttribute("data-status-url");
      return;
    }
    if (data.status === "failed") {
      var badge = document.createElement("span");
      badge.className = "badge warn";
      badge.textContent = failedText;
      var note = document.createElement("span");
      note.className = "muted";
      note.textContent = " " + (data.error || "");
      cell.replaceChildren(badge, note);
      row.removeAttribute("data-status-url");
      return;
    }
    var bar = cell.querySelector("progress");
    if (bar) { bar.value = data.progress; bar.textContent = data.progress + " %"; }
  }

  function poll() {
    var rows = document.querySelectorAll("tr[data-status-url]");
    if (!rows.length) { return; }
    var pending = Array.prototype.map.call(rows, function (row) {
      return fetch(row.getAttribute("data-status-url"), {
        headers: { "Accept": "application/json" }, credentials: "same-origin"
      }).then(function (response) {
        return response.ok ? response.json() : null;
      }).then(function (data) {
        if (data) { update(row, data); }
      }).catch(function () { /* try again at the next tick */ });
    });
    Promise.all(pending).then(function () { window.setTimeout(poll, INTERVAL); });
  }

  window.setTimeout(poll, INTERVAL);
})();
