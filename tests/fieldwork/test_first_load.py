"""The visit form's first load on a phone, the service worker and everything it keeps at
install included, stays under 150 KB on the wire (what Chromium is sent when it says it
takes br, gzip, deflate and zstd)."""

from __future__ import annotations

import json
import re

from tests.support import login

BUDGET = 150 * 1024
WIRE = {"Accept-Encoding": "gzip, deflate, br, zstd", "Accept-Language": "vi"}


def test_the_form_and_the_worker_fit_in_150_kb(client, world, make_visit):
    visit = make_visit()
    login(client, world.people.shopper)
    page = client.get(f"/visits/{visit.id}", headers=WIRE)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    worker = client.get("/sw.js", headers=WIRE)
    source = client.get("/sw.js").get_data(as_text=True)
    shell = json.loads(re.search(r"var SHELL = (\[.*?\]);", source).group(1))
    linked = re.findall(r'(?:src|href)="(/static/[^"]+|/manifest\.webmanifest)"', html)
    sizes = {f"/visits/{visit.id}": len(page.data), "/sw.js": len(worker.data)}
    for path in {*linked, *shell, "/static/js/outbox.js?v=1"}:
        response = client.get(path, headers=WIRE)
        assert response.status_code == 200, path
        sizes[path] = len(response.data)
        response.close()
    total = sum(sizes.values())
    assert total < BUDGET, sorted(sizes.items(), key=lambda item: -item[1])
    # Scripts and styles travel compressed; the page itself does not (BREACH).
    script = client.get("/static/js/visit-form.js", headers=WIRE)
    assert script.headers["Content-Encoding"] == "br"
    script.close()
    assert "Content-Encoding" not in page.headers


def test_the_worker_and_the_manifest_need_no_log_in(client):
    worker = client.get("/sw.js")
    assert worker.status_code == 200 and worker.mimetype == "text/javascript"
    assert worker.headers["Cache-Control"] == "no-cache"
    assert "__VERSION__" not in worker.get_data(as_text=True)
    manifest = client.get("/manifest.webmanifest").get_json(force=True)
    assert manifest["start_url"] == "/" and manifest["display"] == "standalone"
    assert {icon["sizes"] for icon in manifest["icons"]} >= {"192x192", "512x512"}
    offline = client.get("/offline").get_data(as_text=True)
    assert "Không có kết nối" in offline and "No connection" in offline


def test_logging_out_clears_what_the_phone_kept(client, world):
    login(client, world.people.shopper)
    response = client.post("/logout")
    assert response.headers["Clear-Site-Data"] == '"cache", "storage"'


def test_only_a_shoppers_pages_load_the_outbox(client, world):
    login(client, world.people.manager)
    assert "js/outbox.js" not in client.get("/review").get_data(as_text=True)
    client.post("/logout")
    login(client, world.people.shopper)
    home = client.get("/").get_data(as_text=True)
    assert "js/outbox.js" in home and "data-my-visits" in home
