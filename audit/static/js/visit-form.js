/* Visit form: every change goes to the phone's outbox (outbox.js, IndexedDB) and is sent
 * from there (field.js), so no connection, a reload, a closed tab or a restarted browser
 * loses nothing; conditional questions, timers, photos downscaled on the phone with their
 * capture time, the check-in on arrival. The page works without this script (plain form
 * posts); this makes it work on a phone with a poor connection or none. */
(function () {
  "use strict";
  var form = document.getElementById("visit-form");
  if (!form) { return; }
  var outbox = window.AuditOutbox;
  var field = window.AuditField;
  var editable = form.dataset.editable === "true" && outbox && field && window.indexedDB;
  var visitId = form.dataset.visit;
  var stateEl = document.getElementById("save-state");
  var refused = {};   /* key (code or "fact:<name>") -> message, as the outbox holds them */
  var waiting = false;
  var submitting = false;
  if (!editable) { return; }

  function setState(kind) {
    stateEl.className = "save-state " + kind;
    stateEl.textContent = stateEl.dataset[kind] || "";
  }

  function questionOf(el) { return el.closest("fieldset.question"); }
  function readQuestion(fs) {
    var code = fs.dataset.code;
    var na = fs.querySelector("input[name='na-" + CSS.escape(code) + "']");
    if (na && na.checked) { return { question: code, na: true }; }
    var checked = fs.querySelector("input[type=radio]:checked");
    if (checked) { return { question: code, value: checked.value }; }
    var input = fs.querySelector("input[name^='q-']:not([type=radio]), textarea");
    var value = input ? input.value.trim() : "";
    return { question: code, value: value === "" ? null : value };
  }
  function typedValue(fs) {
    var item = readQuestion(fs);
    if (item.na || item.value === null) { return undefined; }
    if (fs.dataset.kind === "yes_no") { return item.value === "yes"; }
    if (fs.dataset.kind === "scale") { return parseInt(item.value, 10); }
    return item.value;
  }

  function applyConditions() {
    var all = Array.prototype.slice.call(form.querySelectorAll("fieldset.question"));
    var byCode = {};
    all.forEach(function (fs) { byCode[fs.dataset.code] = fs; });
    for (var round = 0; round < 5; round++) {
      var changed = false;
      all.forEach(function (fs) {
        if (!fs.dataset.condition) { return; }
        var cond = JSON.parse(fs.dataset.condition);
        var ctl = byCode[cond.question];
        var shown = ctl && !ctl.hidden && cond.values.indexOf(typedValue(ctl)) !== -1;
        if (fs.hidden === shown) { fs.hidden = !shown; changed = true; }
      });
      if (!changed) { break; }
    }
    updateProgress();
  }
  function updateProgress() {
    var visible = form.querySelectorAll("fieldset.question:not([hidden]):not([data-kind=photo])");
    var done = 0;
    visible.forEach(function (fs) {
      var item = readQuestion(fs);
      if (item.na || item.value !== null) { done++; }
    });
    var bar = document.getElementById("progress");
    bar.max = visible.length;
    bar.value = done;
    var text = document.getElementById("progress-text");
    text.textContent = text.dataset.template.replace("{done}", done).replace("{total}", visible.length);
  }

  /* A change: into the outbox at once (it survives anything from here), then sent. */
  function queue(el) {
    var fs = questionOf(el);
    var put;
    if (fs) {
      var item = readQuestion(fs);
      delete refused[fs.dataset.code];
      clearError(fs);
      put = outbox.timing(visitId, fs.dataset.code).then(function (times) {
        return outbox.put({ visit: visitId, kind: "answer", key: fs.dataset.code,
                            body: Object.assign(item, times) });
      });
    } else if (el.name && el.name.indexOf("fact-") === 0) {
      var name = el.name.slice(5);
      delete refused["fact:" + name];
      clearError(el.closest(".field"));
      put = outbox.put({ visit: visitId, kind: "fact", key: name, body: el.value });
    } else { return; }
    waiting = true;
    setState("saving");
    applyConditions();
    put.then(function () { field.queued(); }, function () { setState("error"); });
  }
  function clearError(box) {
    if (!box) { return; }
    box.classList.remove("has-error");
    box.querySelectorAll(".error").forEach(function (old) { old.remove(); });
    box.querySelectorAll("[aria-invalid]").forEach(function (el) { el.removeAttribute("aria-invalid"); });
  }
  function boxOf(key) {
    if (key.indexOf("fact:") === 0) {
      var input = document.getElementById("fact-" + key.slice(5));
      return input && input.closest(".field");
    }
    return form.querySelector("fieldset.question[data-code='" + CSS.escape(key) + "']");
  }
  function showError(key, message) {
    var box = boxOf(key);
    if (!box) { return; }
    clearError(box);
    box.classList.add("has-error");
    var input = box.querySelector("input:not([type=hidden]), textarea, select");
    if (input) { input.setAttribute("aria-invalid", "true"); }
    var p = document.createElement("p");
    p.className = "error js";
    p.setAttribute("role", "alert");
    p.textContent = message;
    box.appendChild(p);
  }
  function setRevision(revision) {
    var input = document.getElementById("visit-revision");
    if (input && revision) { input.value = revision; }
  }

  /* What the outbox holds for this visit goes back into the fields (the page may come from
     the worker's cache, older than the answers typed since), refused values with their
     message. */
  function restore(items) {
    items.forEach(function (item) {
      if (item.kind === "answer") {
        var fs = form.querySelector("fieldset.question[data-code='" + CSS.escape(item.key) + "']");
        if (!fs) { return; }
        var na = fs.querySelector("input[name^='na-']");
        if (na) { na.checked = !!item.body.na; }
        if (!item.body.na) {
          var radio = fs.querySelector("input[type=radio][value='" + CSS.escape(String(item.body.value)) + "']");
          if (radio) { radio.checked = true; } else if (item.body.value === null) {
            fs.querySelectorAll("input[type=radio]").forEach(function (r) { r.checked = false; });
          }
          var input = fs.querySelector("input[name^='q-']:not([type=radio]), textarea");
          if (input) { input.value = item.body.value === null ? "" : item.body.value; }
        }
      } else if (item.kind === "fact") {
        var factInput = form.querySelector("[name='fact-" + CSS.escape(item.key) + "']");
        if (factInput) { factInput.value = item.body; }
      }
      if (item.state === "refused" && (item.kind === "answer" || item.kind === "fact")) {
        var key = item.kind === "fact" ? "fact:" + item.key : item.key;
        refused[key] = item.message;
        showError(key, item.message);
      }
    });
  }
  /* The state line from what the outbox holds for this visit and how the last sending went. */
  function settle(report) {
    return outbox.all(visitId).then(function (items) {
      var fields = items.filter(function (i) { return i.kind === "answer" || i.kind === "fact"; });
      refused = {};
      fields.forEach(function (i) {
        if (i.state === "refused") {
          var key = i.kind === "fact" ? "fact:" + i.key : i.key;
          refused[key] = i.message;
          if (!boxOf(key) || !boxOf(key).querySelector(".error")) { showError(key, i.message); }
        }
      });
      waiting = fields.some(function (i) { return i.state === "waiting"; });
      var submit = items.filter(function (i) { return i.kind === "submit"; })[0];
      if (Object.keys(refused).length) { setState("error"); }
      else if (submit && submit.state === "refused") { setState("refused"); }
      else if (submit) { setState("queued"); }
      else if (waiting && report && report.state !== "done") { setState("offline"); }
      else if (waiting) { setState("saving"); }
      else { setState("saved"); }
      return items;
    });
  }

  function setupTimers() {
    form.querySelectorAll("button.timer").forEach(function (button) {
      var input = document.getElementById(button.dataset.timerFor);
      var label = button.textContent;
      var started = null;
      var tick = null;
      button.hidden = false;
      button.addEventListener("click", function () {
        if (started === null) {
          started = Date.now();
          button.classList.add("running");
          tick = setInterval(function () {
            button.textContent = "■ " + Math.round((Date.now() - started) / 1000) + " s";
          }, 500);
        } else {
          clearInterval(tick);
          input.value = String(Math.round((Date.now() - started) / 1000));
          started = null;
          button.classList.remove("running");
          button.textContent = label;
          queue(input);
        }
      });
    });
  }

  function focusFirst(keys) {
    var first = keys.length && boxOf(keys[0]);
    if (first) { first.scrollIntoView({ behavior: "smooth", block: "center" }); }
  }
  var photoWarned = false;
  function missingPhotos() {
    var have = {};
    document.querySelectorAll("#photo-list li[data-question]").forEach(function (li) { have[li.dataset.question] = true; });
    var missing = [];
    form.querySelectorAll("fieldset.question[data-photo-required=true]:not([hidden])").forEach(function (fs) {
      var item = readQuestion(fs);
      if (!item.na && !have[fs.dataset.code]) { missing.push(fs.dataset.code); }
    });
    return missing;
  }
  function submitReport(event) {
    event.preventDefault();
    var button = document.getElementById("submit-visit");
    if (button.disabled) { return; }
    if (Object.keys(refused).length) { setState("error"); focusFirst(Object.keys(refused)); return; }
    var noPhoto = missingPhotos();
    if (noPhoto.length && !photoWarned) {  /* said once; a second press sends anyway */
      photoWarned = true;
      noPhoto.forEach(function (code) { showError(code, stateEl.dataset.photoMissing); });
      focusFirst(noPhoto);
      return;
    }
    button.disabled = true;
    submitting = true;
    /* Queued after everything else: sent once all the answers and photos are. */
    outbox.put({ visit: visitId, kind: "submit", key: "submit", body: {} }).then(function () {
      return field.flush();
    }).then(function (report) {
      button.disabled = false;
      submitting = false;
      afterReport(report);
    }, function () { button.disabled = false; submitting = false; setState("queued"); });
  }
  function afterReport(report) {
    if (!report) { return settle(); }
    (report.saved || []).forEach(function (s) { if (String(s.visit) === visitId) { setRevision(s.revision); } });
    (report.photos || []).forEach(function (p) { if (String(p.visit) === visitId) { uploaded(p); } });
    if ((report.sent || []).map(String).indexOf(visitId) !== -1) {
      window.location.assign("/?sent=" + encodeURIComponent(visitId));
      return null;
    }
    return settle(report).then(function (items) {
      var submit = items.filter(function (i) { return i.kind === "submit" && i.state === "refused"; })[0];
      if (submit) {
        var missing = (submit.details && submit.details.missing) || [];
        missing.forEach(function (code) { showError(code, submit.message); });
        focusFirst(missing);
      }
      photoRefusals(items);
    });
  }

  form.addEventListener("change", function (e) { queue(e.target); });
  form.addEventListener("input", function (e) {
    if (e.target.matches("input[type=text], textarea, input[type=tel]")) { queue(e.target); }
  });
  form.addEventListener("submit", function (e) {
    if (e.submitter && e.submitter.value === "submit") { submitReport(e); return; }
    e.preventDefault();
    field.flush();
  });
  outbox.listen(function (message) {
    if (message.report) { afterReport(message.report); } else if (!submitting) { settle(); }
  });

  /* Answers a former version of this page kept in localStorage move into the outbox. */
  function adoptLegacy() {
    var key = "visit-" + visitId + "-pending";
    var old = null;
    try { old = JSON.parse(localStorage.getItem(key)); } catch (e) { old = null; }
    if (!old) { return Promise.resolve(); }
    var puts = [];
    Object.keys(old.answers || {}).forEach(function (code) {
      puts.push(outbox.put({ visit: visitId, kind: "answer", key: code, body: old.answers[code] }));
    });
    Object.keys(old.facts || {}).forEach(function (name) {
      puts.push(outbox.put({ visit: visitId, kind: "fact", key: name, body: old.facts[name] }));
    });
    return Promise.all(puts).then(function () { localStorage.removeItem(key); });
  }

  setupTimers();
  adoptLegacy().then(function () { return outbox.all(visitId); }).then(function (items) {
    restore(items);
    applyConditions();
    pendingPhotos(items);
    return settle(navigator.onLine ? null : { state: "offline" });
  });

  /* Check-in on arrival, for campaigns that ask for it. */
  var checkIn = document.getElementById("check-in");
  if (checkIn) {
    var checkButton = document.getElementById("check-in-button");
    var checkState = document.getElementById("check-in-state");
    checkIn.hidden = false;
    outbox.meta("c:" + visitId).then(function (said) { if (said) { checkState.textContent = said; } });
    checkButton.addEventListener("click", function () {
      var say = function (text, body) {
        checkState.textContent = text;
        outbox.meta("c:" + visitId, text);
        return outbox.put({ visit: visitId, kind: "check_in", key: "check_in", body: body })
          .then(function () { field.queued(); });
      };
      if (!navigator.geolocation) { say(checkIn.dataset.unavailable, { refused: "unavailable" }); return; }
      checkButton.disabled = true;
      checkState.textContent = checkIn.dataset.locating;
      navigator.geolocation.getCurrentPosition(function (position) {
        checkButton.disabled = false;
        var at = new Date(position.timestamp || Date.now());
        say(checkIn.dataset.done.replace("{time}", at.toLocaleTimeString(document.documentElement.lang,
          { hour: "2-digit", minute: "2-digit" })), {
          latitude: position.coords.latitude, longitude: position.coords.longitude,
          accuracy: position.coords.accuracy, at: at.toISOString() });
      }, function (error) {
        checkButton.disabled = false;
        var denied = error.code === 1;
        say(denied ? checkIn.dataset.denied : checkIn.dataset.unavailable,
            { refused: denied ? "denied" : "unavailable" });
      }, { enableHighAccuracy: true, timeout: 20000, maximumAge: 60000 });
    });
  }

  /* Photos: downscaled on the phone after reading the capture time from the original (the
     canvas keeps no EXIF), then kept in the outbox as a blob until the server has it. */
  var photoForm = document.getElementById("photo-form");
  var list = document.getElementById("photo-list");
  if (!photoForm) { return; }
  var LONG_SIDE = 2048;

  function downscale(file) {
    if (!/^image\/(jpeg|png|webp)$/.test(file.type) || !window.createImageBitmap) { return Promise.resolve(file); }
    return createImageBitmap(file, { imageOrientation: "from-image" }).then(function (bitmap) {
      var scale = Math.min(1, LONG_SIDE / Math.max(bitmap.width, bitmap.height));
      if (scale === 1 && file.size < 1500000) { return file; }
      var canvas = document.createElement("canvas");
      canvas.width = Math.round(bitmap.width * scale);
      canvas.height = Math.round(bitmap.height * scale);
      canvas.getContext("2d").drawImage(bitmap, 0, 0, canvas.width, canvas.height);
      return new Promise(function (resolve) {
        canvas.toBlob(function (blob) { resolve(blob || file); }, "image/jpeg", 0.85);
      });
    }, function () { return file; });
  }
  var exifrLoading = null;
  function exifr() {  /* loaded when a photo is first picked: the form opens lighter */
    if (window.exifr) { return Promise.resolve(window.exifr); }
    if (!exifrLoading) {
      exifrLoading = new Promise(function (resolve) {
        var script = document.createElement("script");
        script.src = list.dataset.exifr;
        script.onload = function () { resolve(window.exifr || null); };
        script.onerror = function () { exifrLoading = null; resolve(null); };
        document.head.appendChild(script);
      });
    }
    return exifrLoading;
  }
  function captureTime(file) {
    if (!/^image\/(jpeg|png|webp|heic|heif)$/.test(file.type)) { return Promise.resolve(null); }
    return exifr().then(function (reader) {
      if (!reader) { return null; }
      return reader.parse(file, { tiff: true, exif: true, gps: false, xmp: false, icc: false, iptc: false })
        .then(function (tags) {
          var when = tags && (tags.DateTimeOriginal || tags.CreateDate);
          return when instanceof Date && !isNaN(when) ? when.toISOString() : null;
        }, function () { return null; });
    });
  }
  function photoCount() {
    document.getElementById("photo-count").textContent =
      String(list.querySelectorAll("li:not(.refused)").length);
  }
  function photoItem(body) {
    var li = document.createElement("li");
    li.dataset.photo = body.id;
    li.dataset.question = body.question || "";
    var img = document.createElement("img");
    img.src = body.thumbnail_url;
    img.alt = body.caption || "";
    img.width = 160;
    var span = document.createElement("span");
    span.textContent = (body.question || list.dataset.wholeVisit) + (body.caption ? " · " + body.caption : "");
    var del = document.createElement("form");
    del.method = "post";
    del.action = list.dataset.deleteUrl.replace(/\/0\/delete$/, "/" + body.id + "/delete");
    var token = document.createElement("input");
    token.type = "hidden"; token.name = "csrf_token";
    token.value = form.querySelector("input[name=csrf_token]").value;
    var button = document.createElement("button");
    button.type = "submit"; button.className = "button small"; button.textContent = list.dataset.deleteLabel;
    del.appendChild(token);
    del.appendChild(button);
    li.appendChild(img);
    li.appendChild(span);
    li.appendChild(del);
    return li;
  }
  /* A photo still on the phone: its own picture, "waiting" or why it was refused, and a
     button that takes it out of the outbox. */
  function pendingItem(item) {
    var li = document.createElement("li");
    li.className = "pending" + (item.state === "refused" ? " refused" : "");
    li.dataset.pending = item.id;
    li.dataset.question = item.body.question || "";
    var img = document.createElement("img");
    img.src = URL.createObjectURL(item.blob);
    img.alt = item.body.caption || "";
    img.width = 160;
    var span = document.createElement("span");
    span.textContent = (item.body.question || list.dataset.wholeVisit) + (item.body.caption ? " · " + item.body.caption : "");
    var note = document.createElement("span");
    note.className = item.state === "refused" ? "error" : "badge";
    note.textContent = item.state === "refused" ? item.message : list.dataset.waiting;
    var drop = document.createElement("button");
    drop.type = "button"; drop.className = "button small"; drop.textContent = list.dataset.removeLabel;
    drop.addEventListener("click", function () {
      outbox.remove([item.seq]).then(function () { li.remove(); photoCount(); });
    });
    li.appendChild(img);
    li.appendChild(span);
    li.appendChild(note);
    li.appendChild(drop);
    return li;
  }
  function pendingPhotos(items) {
    items.filter(function (i) { return i.kind === "photo"; }).forEach(function (item) {
      var old = list.querySelector("li[data-pending='" + CSS.escape(item.id) + "']");
      var li = pendingItem(item);
      if (old) { old.replaceWith(li); } else { list.appendChild(li); }
    });
    photoCount();
  }
  function photoRefusals(items) {
    items.filter(function (i) { return i.kind === "photo" && i.state === "refused"; }).forEach(function (item) {
      var old = list.querySelector("li[data-pending='" + CSS.escape(item.id) + "']");
      if (old) { old.replaceWith(pendingItem(item)); }
    });
    photoCount();
  }
  function uploaded(p) {
    var pending = list.querySelector("li[data-pending='" + CSS.escape(p.id) + "']");
    if (list.querySelector("li[data-photo='" + p.photo.id + "']")) {
      if (pending) { pending.remove(); }
    } else if (pending) { pending.replaceWith(photoItem(p.photo)); } else { list.appendChild(photoItem(p.photo)); }
    setRevision(p.photo.visit_revision);
    if (p.photo.question) { clearError(boxOf(p.photo.question)); }
    photoCount();
  }

  photoForm.addEventListener("submit", function (event) {
    event.preventDefault();
    var input = document.getElementById("photo-file");
    var caption = document.getElementById("photo-caption");
    var question = document.getElementById("photo-question").value;
    var text = caption.value;
    Array.prototype.forEach.call(input.files, function (file) {
      captureTime(file).then(function (when) {
        return downscale(file).then(function (blob) {
          var id = outbox.newId();
          return outbox.put({ id: id, visit: visitId, kind: "photo", key: id, blob: blob,
                              name: file.name || "photo.jpg",
                              body: { client_id: id, question: question, caption: text,
                                      captured_at: when } });
        });
      }).then(function (item) {
        list.appendChild(pendingItem(item));
        photoCount();
        field.queued();
      });
    });
    input.value = "";
    caption.value = "";  /* the next photo gets its own caption */
  });
})();
