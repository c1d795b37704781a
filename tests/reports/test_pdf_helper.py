"""The locked URL fetcher and the shipped fonts: user text never makes WeasyPrint reach
the network or the disk, and Vietnamese renders with Noto Sans from audit/static."""

from __future__ import annotations

import gc
import io
import socket
import threading

import pytest
from pypdf import PdfReader

from audit.reports.pdf import STATIC_URL, LockedFetcher, create_pdf, css_string, cyclic_gc_paused
from tests.reports.conftest import pdf_text


@pytest.fixture
def listener():
    """A local socket that records any connection made to it."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(5)
    server.settimeout(0.2)
    seen: list[object] = []
    stop = threading.Event()

    def accept():
        while not stop.is_set():
            try:
                seen.append(server.accept())
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield server.getsockname()[1], seen
    stop.set()
    thread.join()
    server.close()


def fonts_of(data: bytes) -> set[str]:
    names = set()
    for page in PdfReader(io.BytesIO(data)).pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            names.add(str(font.get_object()["/BaseFont"]))
    return names


def test_fetcher_refuses_network_files_and_big_data_uris(listener):
    port, seen = listener
    hostile = [
        f"http://127.0.0.1:{port}/x.png", f"https://127.0.0.1:{port}/y.css",
        "file:///etc/passwd", f"http://127.0.0.1:{port}/imported.css",
        f"http://127.0.0.1:{port}/bg.png", "file:///etc/hostname",
    ]
    big = "data:image/png;base64," + "A" * 70_000
    html = f"""<html><head>
      <link rel="stylesheet" href="{hostile[1]}"><link rel="stylesheet" href="{hostile[2]}">
      <style>@import url("{hostile[3]}"); body {{ background: url({hostile[4]}); }}</style>
      </head><body><h1>Chào Đồng cảm</h1><img src="{hostile[0]}"><img src="{big}">
      <img src="{hostile[5]}"><img src="../../../../etc/passwd"></body></html>"""
    fetcher = LockedFetcher()
    data = create_pdf(html, fetcher=fetcher)
    assert data.startswith(b"%PDF")
    assert "Chào Đồng cảm" in pdf_text(data)
    assert seen == []  # nothing ever connected
    assert set(hostile) <= set(fetcher.refused)
    assert any(url.startswith("data:") for url in fetcher.refused)
    assert all(url.startswith(STATIC_URL) for url in fetcher.served)


def test_fetcher_reads_static_files_and_only_cleared_photos():
    fetcher = LockedFetcher(photos={})
    response = fetcher.fetch(STATIC_URL + "css/print.css")
    assert b"@font-face" in response.read()
    for url in ("photo:1", "photo-thumb:1", "photo:../x", STATIC_URL + "../__init__.py",
                "ftp://example.org/x", "data:text/html,<b>x</b>"):
        with pytest.raises(ValueError):
            fetcher.fetch(url)


def test_css_string_cannot_break_out_of_the_style_element():
    assert str(css_string('a"}</style><img src=x>\\')) == (
        '"a\\22 }\\3c /style\\3e \\3c img src=x\\3e \\5c "')


def test_vietnamese_renders_with_the_shipped_noto_sans():
    html = ('<html><head><link rel="stylesheet" href="css/print.css"></head><body>'
            "<p>Chào anh, Đồng cảm, Nguyễn, Trần, Phở bò <b>Đậm</b> <i>Nghiêng</i></p>"
            "</body></html>")
    fetcher = LockedFetcher()
    data = create_pdf(html, fetcher=fetcher)
    text = pdf_text(data)
    for word in ("Chào anh", "Đồng cảm", "Nguyễn", "Trần", "Phở bò", "Đậm", "Nghiêng"):
        assert word in text
    fonts = fonts_of(data)
    assert {name.split("+", 1)[1] for name in fonts} == {
        "Noto-Sans", "Noto-Sans-Bold", "Noto-Sans-Italic"}, fonts
    assert STATIC_URL + "fonts/NotoSans-Regular.ttf" in fetcher.served


def test_importing_weasyprint_leaves_truncated_uploads_refused():
    from PIL import ImageFile

    import audit.reports.pdf  # noqa: F401

    assert ImageFile.LOAD_TRUNCATED_IMAGES is False


def test_cycle_collector_is_off_while_any_render_runs_and_on_after():
    assert gc.isenabled()
    first_in, second_done = threading.Event(), threading.Event()
    seen = []

    def other_render():
        with cyclic_gc_paused():
            first_in.set()
            second_done.wait(5)
            seen.append(gc.isenabled())  # still off: the other render ended first

    thread = threading.Thread(target=other_render)
    thread.start()
    first_in.wait(5)
    with cyclic_gc_paused():
        seen.append(gc.isenabled())
    seen.append(gc.isenabled())  # the other thread still renders
    second_done.set()
    thread.join(5)
    assert seen == [False, False, False]
    assert gc.isenabled()
    with pytest.raises(RuntimeError), cyclic_gc_paused():
        raise RuntimeError("a render that fails")
    assert gc.isenabled()
