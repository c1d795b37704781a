"""What makes the shopper's pages work with no network: the service worker, the web app
manifest (installable on the home screen) and the page shown offline for a page that was
never kept. None of these needs a log-in; none holds anyone's data."""

from __future__ import annotations

import hashlib
import json
from functools import cache
from pathlib import Path

from flask import Blueprint, Response, current_app, render_template, request, url_for
from flask_babel import force_locale

bp = Blueprint("offline", __name__)

# What the shopper's pages need besides themselves, kept at install.
SHELL_FILES = ("css/app.css", "js/outbox.js", "js/field.js", "js/visit-form.js",
               "vendor/exifr/lite.umd.js", "icons/icon.svg", "icons/icon-192.png",
               "icons/favicon.ico")


@cache
def app_version(static_folder: str) -> str:
    """A short digest of the shell and the worker: a new release changes it, so the phones
    install the new worker and drop the old shell."""
    digest = hashlib.sha256()
    for name in (*SHELL_FILES, "js/sw.js"):
        digest.update(Path(static_folder, name).read_bytes())
    return digest.hexdigest()[:12]


@bp.after_app_request
def _whole_static_file(response: Response) -> Response:
    """A script or style file as one body rather than a stream, so it is compressed like
    any body (the compressor's stream path leaves the file open); they are a few KB."""
    if (request.endpoint == "static" and response.direct_passthrough
            and response.mimetype in current_app.config["COMPRESS_MIMETYPES"]):
        stream = response.response
        try:
            body = b"".join(stream)
        finally:
            getattr(stream, "close", lambda: None)()
        response.direct_passthrough = False
        response.set_data(body)
    return response


@bp.get("/sw.js")
def service_worker():
    """The worker, at the site's root so that it may serve every page of the site."""
    folder = current_app.static_folder
    version = app_version(folder)
    shell = [url_for("offline.page"), url_for("offline.manifest"),
             *(url_for("static", filename=name) for name in SHELL_FILES)]
    source = Path(folder, "js/sw.js").read_text(encoding="utf-8")
    source = source.replace("__VERSION__", version).replace("__SHELL__", json.dumps(shell))
    response = Response(source, mimetype="text/javascript")
    response.headers["Cache-Control"] = "no-cache"
    response.headers["Service-Worker-Allowed"] = "/"
    return response


@bp.get("/manifest.webmanifest")
def manifest():
    """Installable on the home screen; opens on My visits."""
    body = {
        "name": "Service audit · Đánh giá dịch vụ", "short_name": "Audit",
        "start_url": "/", "scope": "/", "display": "standalone",
        "background_color": "#ffffff", "theme_color": "#1b2431",
        "icons": [
            {"src": url_for("static", filename="icons/icon-192.png"), "sizes": "192x192",
             "type": "image/png"},
            {"src": url_for("static", filename="icons/icon-512.png"), "sizes": "512x512",
             "type": "image/png"},
            {"src": url_for("static", filename="icons/icon.svg"), "sizes": "any",
             "type": "image/svg+xml"},
        ],
    }
    response = Response(json.dumps(body, ensure_ascii=False),
                        mimetype="application/manifest+json")
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.get("/offline")
def page():
    """Shown for a page that was never kept for offline use; in both languages, since the
    worker keeps one copy for whoever is logged in."""
    parts = {}
    for lang in ("vi", "en"):
        with force_locale(lang):
            parts[lang] = render_template("offline_part.html", lang=lang)
    return render_template("offline.html", parts=parts)
