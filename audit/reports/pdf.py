"""PDF rendering behind one helper with a locked URL fetcher: user text reaches the
templates, so WeasyPrint may only read the app's own static files and the stored photos
the caller has already cleared, never the network or the rest of the disk."""

from __future__ import annotations

import base64
import gc
import mimetypes
import re
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from flask import render_template
from flask_babel import force_locale
from flask_babel import gettext as _
from markupsafe import Markup
from PIL import ImageFile
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from audit.ids import id_or_none
from audit.models.visits import Photo
from audit.storage.base import Storage

# WeasyPrint's import sets this Pillow-wide flag, which would make the photo pipeline
# accept truncated uploads; our photos are whole (the pipeline proved it), so undo it.
ImageFile.LOAD_TRUNCATED_IMAGES = False

STATIC = (Path(__file__).resolve().parent.parent / "static").resolve()
STATIC_URL = STATIC.as_uri() + "/"
DATA_URI_CAP = 64 * 1024  # small inline images only; anything larger is refused
PHOTO_SCHEMES = {"photo": "storage_key", "photo-thumb": "thumb_key"}


class RefusedURL(ValueError):
    """A resource outside the app's static files and cleared photos."""


class LockedFetcher(URLFetcher):
    """Resolves `file:` URLs inside audit/static, `photo:<id>` / `photo-thumb:<id>` of the
    photos handed over, and small `data:` URIs; refuses everything else without I/O."""

    def __init__(self, photos: Mapping[int, Photo] | None = None,
                 storage: Storage | None = None) -> None:
        super().__init__(allowed_protocols=(), allow_redirects=False)
        self.photos = dict(photos or {})
        self.storage = storage
        self.refused: list[str] = []
        self.served: list[str] = []

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:  # noqa: ARG002
        try:
            response = self._resolve(url)
        except RefusedURL:
            self.refused.append(url)
            raise
        self.served.append(url)
        return response

    def _resolve(self, url: str) -> URLFetcherResponse:
        scheme = url.split(":", 1)[0].lower() if ":" in url else ""
        if scheme == "file":
            return self._static(url)
        if scheme in PHOTO_SCHEMES:
            return self._photo(url, scheme)
        if scheme == "data":
            return self._data(url)
        raise RefusedURL(f"refused: {url[:80]}")

    def _static(self, url: str) -> URLFetcherResponse:
        parts = urlsplit(url)
        if parts.netloc not in ("", "localhost"):
            raise RefusedURL(f"refused: {url[:80]}")
        path = Path(url2pathname(unquote(parts.path))).resolve()
        if STATIC not in path.parents or not path.is_file():
            raise RefusedURL(f"refused: {url[:80]}")
        mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": mime})

    def _photo(self, url: str, scheme: str) -> URLFetcherResponse:
        ident = url.split(":", 1)[1]
        number = id_or_none(ident)
        photo = self.photos.get(number) if number is not None else None
        key = getattr(photo, PHOTO_SCHEMES[scheme]) if photo is not None else None
        if key is None or self.storage is None:
            raise RefusedURL(f"refused: {url[:80]}")
        mime = photo.content_type if scheme == "photo" else "image/jpeg"
        return URLFetcherResponse(url, self.storage.get(key), {"Content-Type": mime})

    def _data(self, url: str) -> URLFetcherResponse:
        if len(url) > DATA_URI_CAP:
            raise RefusedURL("refused: data URI over the size cap")
        head, _sep, payload = url[5:].partition(",")
        mime = head.split(";")[0] or "text/plain"
        if not mime.startswith("image/"):
            raise RefusedURL(f"refused: data URI of type {mime}")
        body = base64.b64decode(payload) if head.endswith(";base64") else unquote(payload)
        return URLFetcherResponse(url, body, {"Content-Type": mime})


_renders = 0
_renders_lock = threading.Lock()


@contextmanager
def cyclic_gc_paused() -> Iterator[None]:
    """Python's cycle collector off while any thread renders a PDF, on again after the last.

    WeasyPrint builds hundreds of thousands of short-lived objects that reference counting
    frees; the collector kept scanning the whole heap meanwhile, a quarter of a 50-branch
    report's time (bench/README.md), and memory stays the same without it."""
    global _renders
    with _renders_lock:
        _renders += 1
        gc.disable()
    try:
        yield
    finally:
        with _renders_lock:
            _renders -= 1
            if _renders == 0:
                gc.enable()


def create_pdf(html: str, *, base_url: str = STATIC_URL,
               photos: Mapping[int, Photo] | None = None, storage: Storage | None = None,
               fetcher: LockedFetcher | None = None) -> bytes:
    """Render HTML to PDF bytes; relative URLs resolve against audit/static."""
    fetcher = fetcher or LockedFetcher(photos, storage)
    with cyclic_gc_paused():
        return HTML(string=html, base_url=base_url, url_fetcher=fetcher).write_pdf()


def css_string(text: str) -> Markup:
    """A quoted CSS string of user text (branch names in running headers): no way out of
    the string or the style element."""
    escaped = re.sub(r'[\\"<>&\n\r\f]', lambda m: f"\\{ord(m.group()):x} ", str(text))
    return Markup(f'"{escaped}"')


def page_counter() -> Markup:
    """The footer's 'page x of y' as CSS content, translated."""
    text = _("Page %(page)s of %(pages)s", page="\x00", pages="\x01")
    before, _sep, rest = text.partition("\x00")
    middle, _sep, after = rest.partition("\x01")
    return Markup(f"{css_string(before)} counter(page) {css_string(middle)} "
                  f"counter(pages) {css_string(after)}")


def render_html(template: str, lang: str, **context: Any) -> str:
    """The report's final HTML in `lang` (what WeasyPrint renders)."""
    with force_locale(lang):
        return render_template(template, css_string=css_string, page_counter=page_counter(),
                               lang=lang, **context)


def render_pdf(template: str, lang: str, *, cleared_photos: Mapping[int, Photo] | None = None,
               storage: Storage | None = None, **context: Any) -> bytes:
    """Render a report template in `lang` and turn it into PDF bytes."""
    html = render_html(template, lang, **context)
    return create_pdf(html, photos=cleared_photos, storage=storage)
