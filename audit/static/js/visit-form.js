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
    try { return JSON.parse(localStorage.getItem(storeKey)) || { answers: {}, facts: {} }; }
    catch (e) { return { answers: {}, facts: {} }; }
  }
  function persist() {
    try { localStorage.setItem(storeKey, JSON.stringify(pending)); } catch (e) { /* full */ }
  }
  function count(obj) { return Object.keys(obj).length; }
  function hasPending() { return count(pending.answers) + count(pending.facts) > 0; }
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
    var visible = form.querySelectorAll("fieldset.question:not([hidden])");
    var done = 0;
    visible.forEach(function (fs) {
      var item = readQuestion(fs);
      if (item.na || item.value !== null) { done++; }
    });
    var bar = document.getElementById("progress");
    bar.max = visible.length;
    bar.value = done;
    document.getElementById("progress-text").textContent = done + " / " + visible.length;
  }

  function queue(el) {
    var fs = questionOf(el);
    if (fs) {
      pending.answers[fs.dataset.code] = readQuestion(fs);
      clearError(fs);
    } else if (el.name && el.name.indexOf("fact-") === 0) {
      pending.facts[el.name.slice(5)] = el.value;
    } else { return; }
    persist();
    setState("saving");
    applyConditions();
    clearTimeout(timer);
    timer = setTimeout(flush, 700);
  }
  function clearError(fs) {
    fs.classList.remove("has-error");
    var old = fs.querySelector(".error.js");
    if (old) { old.remove(); }
  }
  function showError(code, message) {
    var fs = form.querySelector("fieldset.question[data-code='" + CSS.escape(code) + "']");
    if (!fs) { return; }
    clearError(fs);
    fs.classList.add("has-error");
    var p = document.createElement("p");
    p.className = "error js";
    p.setAttribute("role", "alert");
    p.textContent = message;
    fs.appendChild(p);
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
    if (inFlight || !hasPending()) { if (!hasPending()) { setState("saved"); } return Promise.resolve(); }
    inFlight = true;
    var batch = JSON.parse(JSON.stringify(pending));
    var body = { answers: Object.keys(batch.answers).map(function (k) { return batch.answers[k]; }),
                 facts: batch.facts };
    return send("PUT", form.dataset.api, body).then(function (response) {
      inFlight = false;
      if (response.ok) {
        forget(batch);
        setState(hasPending() ? "saving" : "saved");
        if (hasPending()) { return flush(); }
        return null;
      }
      if (response.status === 422) {
        return response.json().then(function (data) {
          var details = data.details || {};
          Object.keys(details).forEach(function (code) {
            showError(code.replace(/^fact:/, ""), details[code]);
            delete pending.answers[code];
            delete pending.facts[code.replace(/^fact:/, "")];
          });
          persist();
          setState("error");
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

  function restore() {
    Object.keys(pending.answers).forEach(function (code) {
      var item = pending.answers[code];
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
    Object.keys(pending.facts).forEach(function (name) {
      var field = form.querySelector("[name='fact-" + CSS.escape(name) + "']");
      if (field) { field.value = pending.facts[name]; }
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

  function submitReport(event) {
    event.preventDefault();
    var button = document.getElementById("submit-visit");
    if (button.disabled) { return; }
    button.disabled = true;
    flush().then(function () {
      if (hasPending()) { button.disabled = false; setState("offline"); return null; }
      return send("POST", form.dataset.submitApi).then(function (response) {
        if (response.ok) { localStorage.removeItem(storeKey); window.location.assign("/"); return null; }
        return response.json().then(function (data) {
          button.disabled = false;
          var missing = (data.details && data.details.missing) || [];
          missing.forEach(function (code) { showError(code, data.error); });
          var first = missing.length && form.querySelector("fieldset.question[data-code='" + CSS.escape(missing[0]) + "']");
          if (first) { first.scrollIntoView({ behavior: "smooth", block: "center" }); }
          setState("error");
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
  if (hasPending()) { setState("offline"); flush(); }

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

  function upload(fields, blob, name) {
    var data = new FormData();
    data.append("file", blob, name);
    data.append("question", fields.question);
    data.append("caption", fields.caption);
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
        var li = document.createElement("li");
        li.dataset.photo = body.id;
        var img = document.createElement("img");
        img.src = body.thumbnail_url;
        img.alt = body.caption || "";
        img.width = 160;
        var span = document.createElement("span");
        span.textContent = (body.question || "") + (body.caption ? " · " + body.caption : "");
        li.appendChild(img);
        li.appendChild(span);
        document.getElementById("photo-list").appendChild(li);
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
      retry.setAttribute("aria-label", "Retry");
      retry.addEventListener("click", function () { retry.remove(); upload(fields, blob, name); });
      uploadState.appendChild(retry);
    };
    xhr.send(data);
  }

  photoForm.addEventListener("submit", function (event) {
    event.preventDefault();
    var input = document.getElementById("photo-file");
    var fields = { question: document.getElementById("photo-question").value,
                   caption: document.getElementById("photo-caption").value };
    Array.prototype.forEach.call(input.files, function (file) {
      downscale(file).then(function (blob) { upload(fields, blob, file.name || "photo.jpg"); });
    });
    input.value = "";
  });
})();
