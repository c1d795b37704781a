/* The service worker: the shopper's pages open with no network.
 *
 * - The app shell (styles, scripts, icons, the offline page) is cached at install, in a
 *   cache named by the app's version: a new version installs beside the old one and the old
 *   one is deleted when it takes over.
 * - My visits and the forms of the visits it lists are cached when My visits is opened
 *   online (the page sends their addresses); each is fetched again then, so a new checklist
 *   version replaces the old page, and a visit that left the list leaves the cache.
 * - A page is taken from the network first; without one, from the cache; a page that was
 *   never cached (managers' and owners' pages never are) gets the offline page.
 * - The outbox (outbox.js) is sent on Background Sync as well as by the pages.
 * Served by the app at /sw.js with VERSION and SHELL filled in. */
/* global AuditOutbox */
"use strict";
var VERSION = "__VERSION__";
var SHELL = __SHELL__;
var SHELL_CACHE = "shell-" + VERSION;
var PAGES_CACHE = "pages";
var OFFLINE = "/offline";
var NETWORK_WAIT_MS = 4000;

importScripts("/static/js/outbox.js?v=" + VERSION);

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(SHELL_CACHE).then(function (cache) {
    return cache.addAll(SHELL);
  }).then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (name) {
      return name.indexOf("shell-") === 0 && name !== SHELL_CACHE;
    }).map(function (name) { return caches.delete(name); }));
  }).then(function () { return self.clients.claim(); }));
});

function withTimeout(promise, ms) {
  return new Promise(function (resolve, reject) {
    var timer = setTimeout(function () { reject(new Error("slow")); }, ms);
    promise.then(function (r) { clearTimeout(timer); resolve(r); },
                 function (e) { clearTimeout(timer); reject(e); });
  });
}
function samePath(request) {
  var url = new URL(request.url);
  return url.origin === self.location.origin ? url : null;
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  var url = samePath(request);
  if (!url || request.method !== "GET") { return; }
  if (url.pathname.indexOf("/static/") === 0) {
    event.respondWith(caches.match(request, { ignoreSearch: true }).then(function (hit) {
      return hit || fetch(request);
    }));
    return;
  }
  if (/^\/photos\/\d+\/thumbnail$/.test(url.pathname)) {
    event.respondWith(fetch(request).catch(function () {
      return caches.open(PAGES_CACHE).then(function (cache) { return cache.match(request); })
        .then(function (hit) { return hit || Response.error(); });
    }));
    return;
  }
  if (request.mode !== "navigate") { return; }
  event.respondWith(caches.open(PAGES_CACHE).then(function (cache) {
    return cache.match(url.pathname).then(function (cached) {
      var live = fetch(request).then(function (response) {
        if (cached && response.ok && !response.redirected) {
          cache.put(url.pathname, response.clone());  /* keep the listed page fresh */
        }
        return response;
      });
      if (!cached) {
        return live.catch(function () { return caches.match(OFFLINE); });
      }
      return withTimeout(live, NETWORK_WAIT_MS).catch(function () { return cached; });
    });
  }));
});

/* From My visits: the pages to keep for offline use. */
function keep(urls) {
  return caches.open(PAGES_CACHE).then(function (cache) {
    return Promise.all(urls.map(function (path) {
      return fetch(path, { credentials: "same-origin" }).then(function (response) {
        if (!response.ok || response.redirected) { return null; }
        var copy = response.clone();
        return cache.put(path, response).then(function () { return copy.text(); })
          .then(function (html) {  /* the thumbnails the page shows */
            var thumbs = html.match(/\/photos\/\d+\/thumbnail/g) || [];
            return Promise.all(thumbs.map(function (src) {
              return fetch(src, { credentials: "same-origin" }).then(function (r) {
                return r.ok ? cache.put(src, r) : null;
              }, function () { return null; });
            }));
          });
      }, function () { return null; });
    })).then(function () {
      return cache.keys().then(function (requests) {
        return Promise.all(requests.map(function (req) {
          var path = new URL(req.url).pathname;
          var page = /^\/visits\/\d+$/.test(path) || path === "/";
          return page && urls.indexOf(path) === -1 ? cache.delete(req) : null;
        }));
      });
    });
  });
}

self.addEventListener("message", function (event) {
  var data = event.data || {};
  if (data.type === "keep" && Array.isArray(data.urls)) {
    var urls = data.urls.filter(function (u) { return /^\/(visits\/\d+)?$/.test(u); });
    event.waitUntil(keep(urls).then(function () {
      if (event.source) { event.source.postMessage({ type: "kept", urls: urls }); }
    }));
  } else if (data.type === "forget") {
    event.waitUntil(caches.delete(PAGES_CACHE));
  }
});

self.addEventListener("sync", function (event) {
  if (event.tag === "outbox") {
    event.waitUntil(AuditOutbox.meta("lang").then(function (lang) {
      return AuditOutbox.flush(lang || "vi");
    }).then(function (report) {
      if (report.state === "offline" || report.state === "retry") {
        throw new Error("try again later");  /* the browser retries the sync */
      }
    }));
  }
});
