"""Through gunicorn as `make run` starts it (gunicorn.conf.py, preloaded, two workers) on a
fresh SQLite demo database (issue 13, defects 26 and 27): a too-long address answers 414 as
JSON under /api and as a small page elsewhere; a 405 lists the allowed methods; a CR/LF in
the log-in's `next` goes home. Only a request line over gunicorn's own maximum (8190
bytes) still gets gunicorn's bare HTML 414, as a proxy in front would answer it."""

from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlencode

import pytest

from audit.demo import data

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[int]:
    """gunicorn on a free port over a demo database made for this module; its port."""
    folder = tmp_path_factory.mktemp("gunicorn")
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{folder / 'audit.db'}",
        "SECRET_KEY": "gunicorn-test",
        "PHOTO_ROOT": str(folder / "photos"),
        "AUDIT_ENV": "development",
        "GUNICORN_WORKERS": "2",
        "GUNICORN_THREADS": "2",
        "HOST": "127.0.0.1",
        "PORT": str(_free_port()),
        "GUNICORN_ACCESS_LOG": str(folder / "access.log"),
        "RATELIMIT_STORAGE_URI": "memory://",
    }
    env.pop("REDIS_URL", None)
    flask = [str(BIN / "flask"), "--app", "wsgi.py"]
    for command in (["db", "upgrade"], ["demo", "load", "--if-empty"]):
        subprocess.run(
            [*flask, *command], cwd=ROOT, env=env, check=True, capture_output=True, timeout=300
        )
    log = folder / "gunicorn.log"
    with log.open("wb") as output:
        # No control socket: its default path is shared by every gunicorn of the machine.
        command = [
            str(BIN / "gunicorn"),
            "-c",
            "gunicorn.conf.py",
            "--no-control-socket",
            "wsgi:app",
        ]
        process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=output, stderr=output, start_new_session=True
        )
    port = int(env["PORT"])
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and process.poll() is None:
            try:
                if request(port, "GET", "/login")[0] == 200:
                    break
            except OSError:
                time.sleep(0.3)
        else:
            raise RuntimeError(log.read_text())
        yield port
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)


def request(
    port: int,
    method: str,
    path: str,
    body: str | None = None,
    headers: dict[str, str] | None = None,
) -> tuple[int, dict[str, str], bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        connection.close()


def token(port: int) -> dict[str, str]:
    body = json.dumps({"email": data.MANAGER[0], "password": data.PASSWORD})
    status, _, answer = request(
        port, "POST", "/api/v1/auth/token", body, {"Content-Type": "application/json"}
    )
    assert status == 201, answer
    return {"Authorization": f"Bearer {json.loads(answer)['token']}", "Accept-Language": "en"}


def test_too_long_api_address_is_json_414(server):
    status, headers, body = request(
        server, "GET", "/api/v1/visits?q=" + "x" * 5000, headers=token(server)
    )
    assert status == 414 and headers["content-type"] == "application/json"
    assert json.loads(body) == {"error": "Địa chỉ quá dài."}  # the manager's language
    anonymous = request(server, "GET", "/api/v1/" + "x" * 5000)
    assert anonymous[0] == 414 and json.loads(anonymous[2])["error"]


def test_too_long_page_address_is_a_small_page(server):
    status, headers, body = request(
        server, "GET", "/login?q=" + "x" * 5000, headers={"Accept-Language": "vi"}
    )
    assert status == 414 and headers["content-type"].startswith("text/html")
    assert "Địa chỉ quá dài." in body.decode() and len(body) < 20_000


def test_only_a_line_over_gunicorns_maximum_gets_its_html(server):
    status, headers, _ = request(server, "GET", "/api/v1/" + "x" * 9000)
    assert status == 414 and headers["content-type"] == "text/html"


def test_405_lists_the_allowed_methods(server):
    status, headers, body = request(server, "DELETE", "/api/v1/me", headers=token(server))
    assert status == 405 and set(headers["allow"].split(", ")) == {"GET", "HEAD", "OPTIONS"}
    assert json.loads(body) == {"error": "Phương thức này không được phép ở đây."}


def test_crlf_in_next_goes_home_after_log_in(server):
    status, headers, page = request(server, "GET", "/login")
    cookie = headers["set-cookie"].split(";", 1)[0]
    csrf = page.decode().split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    form = urlencode({"csrf_token": csrf, "email": data.MANAGER[0], "password": data.PASSWORD})
    status, headers, _ = request(
        server,
        "POST",
        "/login?next=/%0D%0ASet-Cookie:%20x=1",
        form,
        {"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie},
    )
    assert status == 302 and headers["location"] == "/"
    assert "x=1" not in headers.get("set-cookie", "")
