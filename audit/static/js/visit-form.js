/* Visit form: autosave, offline queue, conditional questions, timers, photo upload.
 * The page works without this script (plain form posts); this makes it smooth on a phone
 * with a poor connection. Answers not yet accepted by the server are kept in localStorage
 * until they are, so a lost connection or a reload loses nothing. */
(function () {
  "use strict";
  var form = document.getElementById("visit-form");
  if (!form || form.dataset.editable !== "true") { return; }
  var visitId = form.dataset.visit;
  var storeKey = "visit-" + visitId + "-pending";
  var csrf = form.querySelector("input[name=csrf_token]").value;
  var stateEl = document.getElementById("save-state");
  var pending = load();
  var timer = null;
  var inFlight = false;

  function load() {
    var stored = null;
    try { stored = JSON.parse(localStorage.getItem(storeKey)); } catch (e) { stored = null; }
    stored = stored || {};
    /* refused: values the server turned down, kept with their message at their field until
       the shopper fixes them, across reloads (defect 5: the next autosave said "all answers
       saved" and the value was gone). Keys: a question code or "fact:<name>". */
    return { answers: stored.answers || {}, facts: stored.facts || {}, refused: stored.refused || {} };
  }
  function persist() {
    try { localStorage.setItem(storeKey, JSON.stringify(pending)); } catch (e) { /* full */ }
  }
  function count(obj) { return Object.keys(obj).length; }
  function hasPending() { return count(pending.answers) + count(pending.facts) > 0; }
  function settle() { setState(count(pending.refused) ? "error" : hasPending() ? "saving" : "saved"); }
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
    var field = fs.querySelector("input[name^='q-']:not([type=radio]), textarea");
    var value = field ? field.value.trim() : "";
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

  function queue(el) {
    var fs = questionOf(el);
    if (fs) {
      pending.answers[fs.dataset.code] = readQuestion(fs);
      delete pending.refused[fs.dataset.code];
      clearError(fs);
    } else if (el.name && el.name.indexOf("fact-") === 0) {
      pending.facts[el.name.slice(5)] = el.value;
      delete pending.refused["fact:" + el.name.slice(5)];
      clearError(el.closest(".field"));
    } else { return; }
    persist();
    setState("saving");
    applyConditions();
    clearTimeout(timer);
    timer = setTimeout(flush, 700);
  }
  function clearError(box) {
    if (!box) { return; }
    box.classList.remove("has-error");
    box.querySelectorAll(".error").forEach(function (old) { old.remove(); });
    box.querySelectorAll("[aria-invalid]").forEach(function (el) { el.removeAttribute("aria-invalid"); });
  }
  function boxOf(key) {
    if (key.indexOf("fact:") === 0) {
      var field = document.getElementById("fact-" + key.slice(5));
      return field && field.closest(".field");
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

  function send(method, url, body) {
    return fetch(url, {
      method: method, credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf,
                 "Accept-Language": document.documentElement.lang },
      body: body === undefined ? undefined : JSON.stringify(body)
    });
  }

  function flush() {
    if (inFlight || !hasPending()) { if (!hasPending()) { settle(); } return Promise.resolve(); }
    inFlight = true;
    var batch = JSON.parse(JSON.stringify(pending));
    var body = { answers: Object.keys(batch.answers).map(function (k) { return batch.answers[k]; }),
                 facts: batch.facts };
    return send("PUT", form.dataset.api, body).then(function (response) {
      inFlight = false;
      if (response.ok) {
        forget(batch);
        settle();
        response.json().then(function (data) { setRevision(data.revision); }, function () {});
        if (hasPending()) { return flush(); }
        return null;
      }
      if (response.status === 422) {
        return response.json().then(function (data) {
          var details = data.details || {};
          Object.keys(details).forEach(function (key) {
            var fact = key.indexOf("fact:") === 0 ? key.slice(5) : null;
            var value = fact ? pending.facts[fact] : pending.answers[key];
            pending.refused[key] = { message: details[key], value: value === undefined ? null : value };
            showError(key, details[key]);
            if (fact) { delete pending.facts[fact]; } else { delete pending.answers[key]; }
          });
          persist();
          settle();
          if (hasPending()) { return flush(); }
          return null;
        });
      }
      if (response.status === 409 || response.status === 403) { setState("error"); return null; }
      setState("offline");
      return null;
    }, function () { inFlight = false; setState("offline"); });
  }
  function forget(batch) {
    ["answers", "facts"].forEach(function (part) {
      Object.keys(batch[part]).forEach(function (k) {
        if (JSON.stringify(pending[part][k]) === JSON.stringify(batch[part][k])) { delete pending[part][k]; }
      });
    });
    persist();
  }

  function setRevision(revision) {
    var field = document.getElementById("visit-revision");
    if (field && revision) { field.value = revision; }
  }
  function restore() {
    var answers = {};
    var facts = {};
    Object.keys(pending.refused).forEach(function (key) {
      var value = pending.refused[key].value;
      if (value === null) { return; }
      if (key.indexOf("fact:") === 0) { facts[key.slice(5)] = value; } else { answers[key] = value; }
    });
    Object.keys(pending.answers).forEach(function (code) { answers[code] = pending.answers[code]; });
    Object.keys(pending.facts).forEach(function (name) { facts[name] = pending.facts[name]; });
    Object.keys(answers).forEach(function (code) {
      var item = answers[code];
      var fs = form.querySelector("fieldset.question[data-code='" + CSS.escape(code) + "']");
      if (!fs) { return; }
      var na = fs.querySelector("input[name^='na-']");
      if (na) { na.checked = !!item.na; }
      if (item.na) { return; }
      var radio = fs.querySelector("input[type=radio][value='" + CSS.escape(String(item.value)) + "']");
      if (radio) { radio.checked = true; return; }
      var field = fs.querySelector("input[name^='q-']:not([type=radio]), textarea");
      if (field) { field.value = item.value === null ? "" : item.value; }
    });
    Object.keys(facts).forEach(function (name) {
      var field = form.querySelector("[name='fact-" + CSS.escape(name) + "']");
      if (field) { field.value = facts[name]; }
    });
    Object.keys(pending.refused).forEach(function (key) { showError(key, pending.refused[key].message); });
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
    if (count(pending.refused)) { settle(); focusFirst(Object.keys(pending.refused)); return; }
    var noPhoto = missingPhotos();
    if (noPhoto.length && !photoWarned) {  /* said once; a second press sends anyway */
      photoWarned = true;
      noPhoto.forEach(function (code) { showError(code, stateEl.dataset.photoMissing); });
      focusFirst(noPhoto);
      return;
    }
    button.disabled = true;
    flush().then(function () {
      if (hasPending() || count(pending.refused)) { button.disabled = false; settle(); return null; }
      return send("POST", form.dataset.submitApi).then(function (response) {
        if (response.ok) {
          localStorage.removeItem(storeKey);
          window.location.assign("/?sent=" + encodeURIComponent(visitId));
          return null;
        }
        return response.json().then(function (data) {
          button.disabled = false;
          var missing = (data.details && data.details.missing) || [];
          missing.forEach(function (code) { showError(code, data.error); });
          focusFirst(missing);
          setState("refused");  /* the answers are saved; only the sending was refused */
        });
      }, function () { button.disabled = false; setState("offline"); });
    });
  }

  form.addEventListener("change", function (e) { queue(e.target); });
  form.addEventListener("input", function (e) {
    if (e.target.matches("input[type=text], textarea, input[type=tel]")) { queue(e.target); }
  });
  form.addEventListener("submit", function (e) {
    if (e.submitter && e.submitter.value === "submit") { submitReport(e); return; }
    e.preventDefault();
    flush();
  });
  window.addEventListener("online", function () { flush(); });
  setInterval(function () { if (hasPending()) { flush(); } }, 10000);

  restore();
  applyConditions();
  setupTimers();
  if (hasPending()) { setState("offline"); flush(); } else if (count(pending.refused)) { settle(); }

  /* Photos: downscale on the phone, upload with progress, retry on failure. */
  var photoForm = document.getElementById("photo-form");
  if (!photoForm) { return; }
  var uploadState = document.getElementById("upload-state");
  var LONG_SIDE = 2048;

  function downscale(file) {
    if (!/^image\/(jpeg|png|webp)$/.test(file.type) || !window.createImageBitmap) { return Promise.resolve(file); }
    return createImageBitmap(file).then(function (bitmap) {
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

  /* The capture time of the original, read before the downscale drops its EXIF (defect 6):
     the server uses it only when the uploaded image has none. */
  function captureTime(file) {
    if (!window.exifr || !/^image\/(jpeg|png|webp|heic|heif)$/.test(file.type)) { return Promise.resolve(null); }
    return window.exifr.parse(file, { tiff: true, exif: true, gps: false, xmp: false, icc: false, iptc: false })
      .then(function (tags) {
        var when = tags && (tags.DateTimeOriginal || tags.CreateDate);
        return when instanceof Date && !isNaN(when) ? when.toISOString() : null;
      }, function () { return null; });
  }
  var list = document.getElementById("photo-list");
  function photoCount() {
    var el = document.getElementById("photo-count");
    el.textContent = String(list.querySelectorAll("li").length);
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
    token.type = "hidden"; token.name = "csrf_token"; token.value = csrf;
    var button = document.createElement("button");
    button.type = "submit"; button.className = "button small"; button.textContent = list.dataset.deleteLabel;
    del.appendChild(token);
    del.appendChild(button);
    li.appendChild(img);
    li.appendChild(span);
    li.appendChild(del);
    return li;
  }

  function upload(fields, blob, name) {
    var data = new FormData();
    data.append("file", blob, name);
    data.append("question", fields.question);
    data.append("caption", fields.caption);
    if (fields.capturedAt) { data.append("captured_at", fields.capturedAt); }
    var xhr = new XMLHttpRequest();
    xhr.open("POST", form.dataset.photosApi);
    xhr.setRequestHeader("X-CSRFToken", csrf);
    xhr.setRequestHeader("Accept-Language", document.documentElement.lang);
    xhr.upload.onprogress = function (e) {
      if (e.lengthComputable) { uploadState.textContent = Math.round(100 * e.loaded / e.total) + " %"; }
    };
    xhr.onload = function () {
      var body = {};
      try { body = JSON.parse(xhr.responseText); } catch (e) { body = {}; }
      if (xhr.status === 201) {
        uploadState.textContent = "";
        list.appendChild(photoItem(body));
        photoCount();
        setRevision(body.visit_revision);
        if (body.question) { clearError(boxOf(body.question)); }
      } else {
        uploadState.textContent = body.error || xhr.statusText;
      }
    };
    xhr.onerror = function () {
      uploadState.textContent = stateEl.dataset.offline;
      var retry = document.createElement("button");
      retry.type = "button";
      retry.className = "button small";
      retry.textContent = "↻";
      retry.setAttribute("aria-label", list.dataset.retry);
      retry.title = list.dataset.retry;
      retry.addEventListener("click", function () { retry.remove(); upload(fields, blob, name); });
      uploadState.appendChild(retry);
    };
    xhr.send(data);
  }

  photoForm.addEventListener("submit", function (event) {
    event.preventDefault();
    var input = document.getElementById("photo-file");
    var caption = document.getElementById("photo-caption");
    var fields = { question: document.getElementById("photo-question").value, caption: caption.value };
    Array.prototype.forEach.call(input.files, function (file) {
      captureTime(file).then(function (when) {
        var own = { question: fields.question, caption: fields.caption, capturedAt: when };
        return downscale(file).then(function (blob) { upload(own, blob, file.name || "photo.jpg"); });
      });
    });
    input.value = "";
    caption.value = "";  /* the next photo gets its own caption */
  });
})();
