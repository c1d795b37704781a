/* Shopper pages: the service worker (pages open with no network), the outbox's sending
 * (on page open, when the connection returns, on a timer with backoff, and by Background
 * Sync where the browser has it), the outbox line that says what waits on this phone, and
 * a warning before logging out would delete what was not sent. Needs outbox.js. */
(function () {
  "use strict";
  var outbox = window.AuditOutbox;
  if (!outbox || !window.indexedDB) { return; }
  var lang = document.documentElement.lang || "vi";
  var box = document.getElementById("outbox");
  var words = box ? box.dataset : {};
  var delay = 5000;
  var timer = null;
  var sending = null;
  var stopped = null;

  outbox.meta("lang", lang).catch(function () {});

  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register("/sw.js", { scope: "/" }).then(keepPages, function () {});
  }

  /* My visits lists the forms to keep for offline use (data-keep-offline on each link). */
  function keepPages() {
    var links = document.querySelectorAll("a[data-keep-offline]");
    if (!navigator.onLine || !document.querySelector("[data-my-visits]")) { return; }
    var urls = ["/"];
    links.forEach(function (a) {
      var path = new URL(a.href, location.href).pathname;
      if (urls.indexOf(path) === -1) { urls.push(path); }
    });
    navigator.serviceWorker.ready.then(function (registration) {
      registration.active.postMessage({ type: "keep", urls: urls });
    });
  }

  function plural(n, kind) {
    return (n === 1 ? words[kind + "One"] : words[kind + "Many"]).replace("{n}", n);
  }
  function describe(s) {
    var parts = [];
    if (s.answers) { parts.push(plural(s.answers, "answer")); }
    if (s.photos) { parts.push(plural(s.photos, "photo")); }
    if (s.other) { parts.push(words.other); }
    if (s.submit) { parts.push(words.report); }
    return parts.join(words.and);
  }
  function show() {
    var visit = document.body.dataset.outboxVisit;  /* the form shows its own visit only */
    return outbox.summary(visit || undefined).then(function (s) {
      var lines = [];
      if (s.waiting) { lines.push(words.waiting.replace("{items}", describe(s))); }
      if (s.refused.length) { lines.push(words.refused.replace("{n}", s.refused.length)); }
      if (stopped === "login" && s.waiting) { lines.push(words.login); }
      if (box) {
        box.hidden = !lines.length;
        box.textContent = lines.join(" ");
        box.className = "outbox" + (s.refused.length ? " has-refused" : "");
      }
      document.querySelectorAll("[data-outbox-for]").forEach(function (el) {
        outbox.summary(el.dataset.outboxFor).then(function (one) {
          var text = one.waiting ? words.waiting.replace("{items}", describe(one)) : "";
          if (one.refused.length) { text += " " + words.refused.replace("{n}", one.refused.length); }
          el.hidden = !text;
          el.textContent = text.trim();
        });
      });
      return s;
    });
  }

  function schedule(ms) {
    clearTimeout(timer);
    timer = setTimeout(flush, ms === undefined ? delay : ms);
  }
  /* Send now; when the network or server is not there, try again later, waiting longer
     each time (5 s, 10 s, 20 s … up to 2 minutes). */
  function flush() {
    if (sending) { return sending; }
    clearTimeout(timer);
    sending = outbox.flush(lang).then(function (report) {
      sending = null;
      sentHere(report);
      stopped = report.state === "done" ? null : report.state;
      if (report.state === "offline" || report.state === "retry") {
        delay = Math.min(delay * 2, 120000);
        schedule();
      } else {
        delay = 5000;
      }
      show();
      return report;
    }, function () { sending = null; schedule(); return { state: "retry", sent: [], saved: [],
                                                          photos: [], refused: [] }; });
    return sending;
  }
  /* After a change is queued: send soon, and ask the browser to send it even if the page
     is closed before then. */
  function queued() {
    show();
    if ("serviceWorker" in navigator) {
      navigator.serviceWorker.ready.then(function (r) {
        if (r.sync) { return r.sync.register("outbox"); }
        return null;
      }).catch(function () {});
    }
    delay = 5000;
    schedule(700);
  }

  /* A report sent while My visits is open (by this page or by the worker's Background
     Sync, kept while offline): say so, as after sending it from the form. */
  function sentHere(report) {
    if (!report || !report.sent || !report.sent.length || !myVisits) { return; }
    outbox.announced().then(function (sent) {
      if (sent.length) { window.location.replace("/?sent=" + encodeURIComponent(sent[0])); }
    });
  }
  var myVisits = document.querySelector("[data-my-visits]");
  if (myVisits && /[?&]sent=/.test(location.search)) { outbox.announced(); }  /* said */
  else if (myVisits) { sentHere({ sent: [true] }); }
  outbox.listen(function (message) { sentHere(message.report); show(); });
  window.addEventListener("online", function () { delay = 5000; flush(); keepPages(); });

  var logout = document.getElementById("logout-form");
  if (logout) {
    logout.addEventListener("submit", function (event) {
      if (logout.dataset.confirmed) { return; }
      event.preventDefault();
      outbox.summary().then(function (s) {
        if ((s.waiting || s.refused.length) && !window.confirm(logout.dataset.unsent)) { return; }
        logout.dataset.confirmed = "1";
        logout.submit();
      }, function () { logout.dataset.confirmed = "1"; logout.submit(); });
    });
  }

  window.AuditField = { flush: flush, queued: queued, show: show };
  show().then(function (s) { if (s.waiting && navigator.onLine) { flush(); } });
})();
