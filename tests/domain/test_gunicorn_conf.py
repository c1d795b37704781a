"""The production server settings come from the environment (gunicorn.conf.py)."""

from __future__ import annotations

import runpy
from pathlib import Path

import pytest

CONF = Path(__file__).resolve().parents[2] / "gunicorn.conf.py"
NAMES = ("GUNICORN_BIND", "HOST", "PORT", "GUNICORN_WORKERS", "WEB_CONCURRENCY",
         "GUNICORN_THREADS", "GUNICORN_PRELOAD", "FORWARDED_ALLOW_IPS")


@pytest.fixture
def conf(monkeypatch):
    for name in NAMES:
        monkeypatch.delenv(name, raising=False)

    def load(**env: str) -> dict:
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        return runpy.run_path(str(CONF))

    return load


def test_make_run_variables(conf):
    settings = conf(HOST="0.0.0.0", PORT="8001", GUNICORN_WORKERS="3", GUNICORN_THREADS="2")
    assert settings["bind"] == "0.0.0.0:8001"
    assert (settings["workers"], settings["threads"]) == (3, 2)
    assert settings["worker_class"] == "gthread"


def test_worker_count_precedence_and_defaults(conf, monkeypatch):
    monkeypatch.setattr("multiprocessing.cpu_count", lambda: 2)
    defaults = conf()
    assert defaults["bind"] == "127.0.0.1:5000"
    assert defaults["workers"] == 5  # 2 per core + 1
    assert defaults["preload_app"] is True and callable(defaults["post_fork"])
    assert defaults["accesslog"] == "-"
    assert defaults["forwarded_allow_ips"] == "127.0.0.1,::1"
    assert 0 < defaults["max_requests_jitter"] < defaults["max_requests"]
    assert defaults["graceful_timeout"] <= defaults["timeout"]
    assert conf(WEB_CONCURRENCY="7")["workers"] == 7
    assert conf(GUNICORN_WORKERS="4")["workers"] == 4  # wins over WEB_CONCURRENCY
    assert conf(GUNICORN_BIND="unix:/run/audit.sock")["bind"] == "unix:/run/audit.sock"
    assert conf(GUNICORN_PRELOAD="0")["preload_app"] is False


def test_control_socket_is_off_unless_named(conf, monkeypatch):
    monkeypatch.delenv("GUNICORN_CONTROL_SOCKET", raising=False)
    settings = conf()
    assert settings["control_socket_disable"] is True and "control_socket" not in settings
    named = conf(GUNICORN_CONTROL_SOCKET="/run/audit/gunicorn.ctl")
    assert named["control_socket_disable"] is False
    assert named["control_socket"] == "/run/audit/gunicorn.ctl"
