/* The phone's outbox: every change a shopper makes (answers, visit facts, photos as blobs,
 * the check-in, the report's sending) waits in IndexedDB until the server has it, so a lost
 * connection, a reload, a closed tab or a restarted browser loses nothing. Each item has an
 * id made on the phone; photos are sent with it, so a retry never stores a copy.
 *
 * Used by the pages (visit-form.js, field.js) and by the service worker (sw.js), which
 * sends it on Background Sync: no DOM here. One sender at a time (Web Locks).
 *
 * Item: {seq, id, visit, kind: "check_in"|"answer"|"fact"|"photo"|"submit", key, body,
 *        blob?, name?, created, state: "waiting"|"refused", message?, details?} */
(function (root) {
  "use strict";
  var DB_NAME = "audit-field";
  var ORDER = { check_in: 0, answer: 1, fact: 1, photo: 2, submit: 3 };
  var dbPromise = null;

  function open() {
    if (dbPromise) { return dbPromise; }
    dbPromise = new Promise(function (resolve, reject) {
      var request = root.indexedDB.open(DB_NAME, 1);
      request.onupgradeneeded = function () {
        var db = request.result;
        var items = db.createObjectStore("items", { keyPath: "seq", autoIncrement: true });
        items.createIndex("visit", "visit");
        db.createObjectStore("meta", { keyPath: "key" });
      };
      request.onsuccess = function () {
        var db = request.result;
        db.onversionchange = function () { db.close(); dbPromise = null; };
        resolve(db);
      };
      request.onerror = function () { dbPromise = null; reject(request.error); };
    });
    return dbPromise;
  }
  function done(request) {
    return new Promise(function (resolve, reject) {
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
  }
  function run(stores, mode, work) {
    return open().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(stores, mode);
        var result;
        Promise.resolve(work(tx)).then(function (value) { result = value; }, reject);
        tx.oncomplete = function () { resolve(result); };
        tx.onerror = function () { reject(tx.error); };
        tx.onabort = function () { reject(tx.error); };
      });
    });
  }
  function newId() {
    if (root.crypto && root.crypto.randomUUID) { return root.crypto.randomUUID(); }
    return "id-" + Date.now().toString(36) + "-" + Math.random().toString(36).slice(2, 12);
  }
  function all(visit) {
    return run(["items"], "readonly", function (tx) {
      var store = tx.objectStore("items");
      return done(visit === undefined ? store.getAll() : store.index("visit").getAll(String(visit)));
    }).then(function (items) { return items.sort(function (a, b) { return a.seq - b.seq; }); });
  }

  /* Queue a change. An answer or fact replaces the one waiting for the same field (only the
     latest value is sent; a refused one is replaced by the correction). */
  function put(item) {
    item = Object.assign({ id: newId(), created: new Date().toISOString(), state: "waiting" }, item);
    item.visit = String(item.visit);
    return run(["items"], "readwrite", function (tx) {
      var store = tx.objectStore("items");
      var replaces = item.kind === "answer" || item.kind === "fact" || item.kind === "check_in"
        || item.kind === "submit";
      var ready = replaces ? done(store.index("visit").getAll(item.visit)).then(function (rows) {
        rows.forEach(function (row) {
          if (row.kind === item.kind && row.key === item.key) { store.delete(row.seq); }
        });
      }) : Promise.resolve();
      return ready.then(function () { return done(store.add(item)); });
    }).then(function (seq) { item.seq = seq; changed(); return item; });
  }
  function remove(seqs) {
    return run(["items"], "readwrite", function (tx) {
      var store = tx.objectStore("items");
      seqs.forEach(function (seq) { store.delete(seq); });
    }).then(changed);
  }
  function update(seq, fields) {
    return run(["items"], "readwrite", function (tx) {
      var store = tx.objectStore("items");
      return done(store.get(seq)).then(function (row) {
        if (row) { store.put(Object.assign(row, fields)); }
      });
    });
  }
  function meta(key, value) {
    return run(["meta"], value === undefined ? "readonly" : "readwrite", function (tx) {
      var store = tx.objectStore("meta");
      if (value === undefined) { return done(store.get(key)).then(function (r) { return r && r.value; }); }
      store.put({ key: key, value: value });
      return value;
    });
  }
  /* When the shopper first answered a question and last changed it, on the phone's clock. */
  function timing(visit, code) {
    var key = "t:" + visit + ":" + code;
    var now = new Date().toISOString();
    return meta(key).then(function (seen) {
      var times = { first_at: (seen && seen.first_at) || now, changed_at: now };
      return meta(key, times);
    });
  }
  function summary(visit) {
    return all(visit).then(function (items) {
      var s = { answers: 0, photos: 0, other: 0, submit: false, refused: [], visits: {} };
      items.forEach(function (item) {
        s.visits[item.visit] = true;
        if (item.state === "refused") { s.refused.push(item); return; }
        if (item.kind === "answer" || item.kind === "fact") { s.answers++; }
        else if (item.kind === "photo") { s.photos++; }
        else if (item.kind === "submit") { s.submit = true; }
        else { s.other++; }
      });
      s.waiting = s.answers + s.photos + s.other + (s.submit ? 1 : 0);
      return s;
    });
  }

  /* Who wants to know of a change: listeners here, and the other pages and the worker
     through a BroadcastChannel (which does not echo to its sender). */
  var channel = root.BroadcastChannel ? new root.BroadcastChannel("audit-outbox") : null;
  var listeners = [];
  function changed(extra) {
    var message = Object.assign({ type: "changed" }, extra || {});
    if (channel) { channel.postMessage(message); }
    listeners.forEach(function (fn) { try { fn(message); } catch (e) { /* keep the others */ } });
  }
  function listen(fn) {
    listeners.push(fn);
    if (channel) { channel.addEventListener("message", function (e) { fn(e.data); }); }
  }

  function csrfToken() {
    return fetch("/api/v1/csrf", { credentials: "same-origin", cache: "no-store",
                                   headers: { Accept: "application/json" } })
      .then(function (r) {
        if (r.status === 401) { throw { stop: "login" }; }
        if (!r.ok) { throw { stop: "retry" }; }
        return r.json();
      }, function () { throw { stop: "offline" }; })
      .then(function (body) { return body.csrf_token; });
  }
  function request(method, url, token, lang, body, isForm) {
    var headers = { "X-CSRFToken": token, "Accept-Language": lang, Accept: "application/json" };
    if (!isForm) { headers["Content-Type"] = "application/json"; }
    return fetch(url, { method: method, credentials: "same-origin", headers: headers,
                        body: isForm ? body : JSON.stringify(body) })
      .then(function (r) {
        return r.json().then(function (data) { return { status: r.status, data: data }; },
                             function () { return { status: r.status, data: {} }; });
      }, function () { throw { stop: "offline" }; });
  }
  function stopFor(status) {
    if (status === 401) { return "login"; }
    if (status >= 500 || status === 429 || status === 408) { return "retry"; }
    return null;
  }

  /* Send one visit's waiting items in the order they happened: check-in, answers and facts
     (in one request: the server takes them all or none), photos, then the report. */
  function sendVisit(visit, items, token, lang, report) {
    var base = "/api/v1/visits/" + encodeURIComponent(visit);
    var waiting = items.filter(function (i) { return i.state === "waiting"; });
    waiting.sort(function (a, b) { return (ORDER[a.kind] - ORDER[b.kind]) || (a.seq - b.seq); });
    var fields = waiting.filter(function (i) { return i.kind === "answer" || i.kind === "fact"; });
    var chain = Promise.resolve();
    waiting.filter(function (i) { return i.kind === "check_in"; }).forEach(function (item) {
      chain = chain.then(function () {
        return request("POST", base + "/check-in", token, lang, item.body).then(function (r) {
          return settle(item, r, report);
        });
      });
    });
    if (fields.length) {
      chain = chain.then(function () { return sendFields(base, fields, token, lang, report); });
    }
    waiting.filter(function (i) { return i.kind === "photo"; }).forEach(function (item) {
      chain = chain.then(function () {
        var form = new FormData();
        form.append("file", item.blob, item.name || "photo.jpg");
        Object.keys(item.body).forEach(function (k) {
          if (item.body[k] !== null && item.body[k] !== undefined) { form.append(k, item.body[k]); }
        });
        return request("POST", base + "/photos", token, lang, form, true).then(function (r) {
          if (r.status === 201) { report.photos.push({ visit: visit, id: item.id, photo: r.data }); }
          return settle(item, r, report);
        });
      });
    });
    var submit = waiting.filter(function (i) { return i.kind === "submit"; })[0];
    if (submit) {
      chain = chain.then(function () {
        return all(visit).then(function (now) {
          var before = now.filter(function (i) { return i.kind !== "submit"; });
          if (before.length) { return null; }  /* something waits or was refused: not yet */
          return request("POST", base + "/submit", token, lang, {}).then(function (r) {
            if (r.status !== 200) { return settle(submit, r, report); }
            report.sent.push(visit);
            return meta("announce").then(function (list) {  /* for My visits to say so */
              return meta("announce", (list || []).concat([visit]));
            }).then(function () { return settle(submit, r, report); });
          });
        });
      });
    }
    return chain;
  }
  function sendFields(base, fields, token, lang, report) {
    var body = { answers: [], facts: {} };
    fields.forEach(function (i) {
      if (i.kind === "answer") { body.answers.push(i.body); } else { body.facts[i.key] = i.body; }
    });
    return request("PUT", base + "/answers", token, lang, body).then(function (r) {
      if (r.status === 200) {
        report.saved.push({ visit: fields[0].visit, revision: r.data.revision });
        return remove(fields.map(function (i) { return i.seq; }));
      }
      var stop = stopFor(r.status);
      if (stop) { throw { stop: stop }; }
      if (r.status === 422 && r.data.details) {  /* mark the refused; send the rest again */
        var details = r.data.details;
        var refused = [];
        var rest = [];
        fields.forEach(function (i) {
          var key = i.kind === "fact" ? "fact:" + i.key : i.key;
          if (details[key]) { refused.push([i, details[key]]); } else { rest.push(i); }
        });
        if (!refused.length) { refused = fields.map(function (i) { return [i, r.data.error]; }); rest = []; }
        return Promise.all(refused.map(function (pair) {
          report.refused.push(pair[0]);
          return update(pair[0].seq, { state: "refused", message: pair[1] });
        })).then(function () {
          changed();
          return rest.length ? sendFields(base, rest, token, lang, report) : null;
        });
      }
      return Promise.all(fields.map(function (i) {
        report.refused.push(i);
        return update(i.seq, { state: "refused", message: r.data.error || String(r.status) });
      })).then(function () { changed(); });
    });
  }
  function settle(item, r, report) {
    if (r.status >= 200 && r.status < 300) { return remove([item.seq]); }
    var stop = stopFor(r.status);
    if (stop) { throw { stop: stop }; }
    report.refused.push(item);
    return update(item.seq, { state: "refused", message: (r.data && r.data.error) || String(r.status),
                              details: (r.data && r.data.details) || null }).then(function () { changed(); });
  }

  /* Send everything waiting, visit by visit. Resolves with what happened:
     {state: "done"|"offline"|"login"|"retry", sent: [visits], saved, photos, refused}. */
  function flush(lang) {
    var work = function () {
      var report = { state: "done", sent: [], saved: [], photos: [], refused: [] };
      return all().then(function (items) {
        var waiting = items.filter(function (i) { return i.state === "waiting"; });
        if (!waiting.length) { return report; }
        return csrfToken().then(function (token) {
          var visits = [];
          waiting.forEach(function (i) { if (visits.indexOf(i.visit) === -1) { visits.push(i.visit); } });
          var chain = Promise.resolve();
          visits.forEach(function (visit) {
            chain = chain.then(function () {
              return sendVisit(visit, items.filter(function (i) { return i.visit === visit; }),
                               token, lang || "vi", report);
            });
          });
          return chain.then(function () { return report; });
        });
      }).catch(function (problem) {
        if (problem && problem.stop) { report.state = problem.stop; return report; }
        throw problem;
      }).then(function (result) { changed({ report: result }); return result; });
    };
    if (root.navigator && root.navigator.locks) {
      return root.navigator.locks.request("audit-outbox", work);
    }
    return work();
  }
  /* Reports sent without a page to say so (the worker sent them): taken once. */
  function announced() {
    return meta("announce").then(function (list) {
      if (!list || !list.length) { return []; }
      return meta("announce", []).then(function () { return list; });
    });
  }
  function forget(visit) {
    return all(visit).then(function (items) { return remove(items.map(function (i) { return i.seq; })); });
  }

  root.AuditOutbox = { put: put, all: all, remove: remove, summary: summary, flush: flush,
                       timing: timing, meta: meta, listen: listen, forget: forget, newId: newId,
                       announced: announced };
})(self);
