"""Journeys: each role's everyday job in Debian's Chromium against the app served the way
`make run` serves it (gunicorn with gunicorn.conf.py, preloaded, three workers), on a fresh
database loaded with the demo data, asserting what the person sees and what is stored.

Two configurations (the `journey` fixture's parameters):
- embedded: SQLite and the in-process report pool, as `make run` on a laptop;
- scaled: PostgreSQL, REDIS_URL and a separate `flask reports worker` process (RQ).

The scaled one needs PostgreSQL and Redis; without them it is skipped, except with CI=true,
where it fails. Run only the journeys with `.venv/bin/python -m pytest tests/journeys`.
"""

from __future__ import annotations

import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.support.mail import Mailbox, serving

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]
PG_ADMIN = os.environ.get("TEST_PG_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
REDIS = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
PHONE = {"viewport": {"width": 412, "height": 915}, "device_scale_factor": 2.625,
         "is_mobile": True, "has_touch": True}
DESKTOP = {"viewport": {"width": 1366, "height": 900}}

playwright_api = pytest.importorskip("playwright.sync_api")


def _missing(what: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"{what} is needed by the journeys in CI")
    pytest.skip(f"{what} is not available")


if not Path(CHROMIUM).exists():
    _missing("Debian's Chromium (/usr/bin/chromium)")


# A journey asked in both languages runs each language once, Vietnamese on the embedded
# configuration (what `make run` serves) and English on the scaled one: both languages and
# both configurations are walked, without walking every pairing of the two (set
# JOURNEYS_ALL_PAIRS=1 to walk them all).
PAIRS = {("embedded", "vi"), ("scaled", "en")}


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Under pytest-xdist, a configuration's journeys run in one worker, so its server (and
    the demo data it serves) starts once; the two configurations may run side by side."""
    kept, dropped = [], []
    for item in items:
        params = getattr(getattr(item, "callspec", None), "params", {})
        if "journey" in params:
            item.add_marker(pytest.mark.xdist_group(f"journey-{params['journey']}"))
            if ("lang" in params and not os.environ.get("JOURNEYS_ALL_PAIRS")
                    and (params["journey"], params["lang"]) not in PAIRS):
                dropped.append(item)
                continue
        kept.append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Journey:
    """One running server and how to read what it stored."""

    kind: str
    base: str
    database_url: str
    env: dict[str, str]
    log: Path
    mailbox: Mailbox
    app: object = None
    processes: list[subprocess.Popen] = field(default_factory=list)

    def url(self, path: str) -> str:
        return self.base + path

    def log_tail(self, lines: int = 60) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""


def _run(cmd: list[str], env: dict[str, str]) -> None:
    done = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    if done.returncode:
        raise RuntimeError(f"{' '.join(cmd)} failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")


def _wait_healthy(journey: Journey, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if any(p.poll() is not None for p in journey.processes):
            raise RuntimeError("the server stopped:\n" + journey.log_tail())
        try:
            with urllib.request.urlopen(journey.url("/healthz"), timeout=2) as answer:
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError("the server did not answer /healthz:\n" + journey.log_tail())


def _postgres_database() -> tuple[str, callable]:
    try:
        import psycopg

        admin = psycopg.connect(PG_ADMIN, autocommit=True, connect_timeout=3)
    except Exception as exc:  # noqa: BLE001
        _missing(f"PostgreSQL ({exc})")
    name = f"audit_journeys_{os.getpid()}_{secrets.token_hex(3)}"
    admin.execute(f'CREATE DATABASE "{name}"')

    def drop() -> None:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()

    base = PG_ADMIN.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://", 1)
    return f"{base}/{name}", drop


def _redis_or_skip() -> None:
    try:
        from redis import Redis

        Redis.from_url(REDIS, socket_connect_timeout=2).ping()
    except Exception as exc:  # noqa: BLE001
        _missing(f"Redis ({exc})")


@pytest.fixture(scope="session", params=["embedded", "scaled"])
def journey(request, tmp_path_factory) -> Iterator[Journey]:
    """The app served by gunicorn as `make run` serves it, on a fresh demo database."""
    root = tmp_path_factory.mktemp(f"journey-{request.param}")
    cleanup = []
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("GUNICORN_", "REPORT", "REDIS", "DATABASE_URL", "AUDIT_",
                                "MAIL_", "BASE_URL", "TICK_"))}
    port = _free_port()
    env.update({
        "HOST": "127.0.0.1", "PORT": str(port), "GUNICORN_WORKERS": "3",
        "GUNICORN_THREADS": "4", "PHOTO_ROOT": str(root / "files"),
        "SECRET_KEY": secrets.token_hex(16),
        # One address logs in many times here; the limit itself is tested elsewhere.
        "RATELIMIT_LOGIN": "600 per minute", "RATELIMIT_TOKEN": "600 per minute",
        "PYTHONUNBUFFERED": "1", "BASE_URL": f"http://127.0.0.1:{port}",  # e-mails' links
        # A worker thread may sit reading a connection the browser opened ahead and never
        # used; at the quick shutdown gunicorn waits this long for it, then kills it.
        "GUNICORN_GRACEFUL_TIMEOUT": "5",
    })
    if request.param == "embedded":
        env["DATABASE_URL"] = f"sqlite:///{root / 'audit.db'}"
    else:
        _redis_or_skip()
        url, drop = _postgres_database()
        cleanup.append(drop)
        # Queues of their own: another run's worker never takes this one's jobs.
        tag = uuid.uuid4().hex[:8]
        env.update({"DATABASE_URL": url, "REDIS_URL": REDIS,
                    "REPORTS_QUEUE": f"journeys-{tag}", "MAIL_QUEUE": f"journeys-mail-{tag}"})
    # The served app's e-mails go to an SMTP server of its own (journey.mailbox): what it
    # sends in the background never lands in another configuration's box, nor in that of
    # the tests using `smtp_server`. Their links lead to the served app.
    smtp = serving()
    mailbox = smtp.__enter__()
    cleanup.append(lambda: smtp.__exit__(None, None, None))
    env.update({"MAIL_SERVER": mailbox.host, "MAIL_PORT": str(mailbox.port),
                "MAIL_TIMEOUT": "10"})
    flask = [sys.executable, "-m", "flask", "--app", "wsgi.py"]
    _run([*flask, "db", "upgrade"], env)
    _run([*flask, "demo", "load", "--if-empty"], env)
    log = root / "server.log"
    out = log.open("ab")
    gunicorn = shutil.which("gunicorn", path=str(Path(sys.executable).parent)) or "gunicorn"
    journey = Journey(request.param, f"http://127.0.0.1:{port}", env["DATABASE_URL"], env, log,
                      mailbox)
    journey.processes.append(subprocess.Popen(
        [gunicorn, "-c", "gunicorn.conf.py", "wsgi:app"], cwd=ROOT, env=env, stdout=out,
        stderr=subprocess.STDOUT, start_new_session=True))
    if request.param == "scaled":
        journey.processes.append(subprocess.Popen(
            [*flask, "reports", "worker"], cwd=ROOT, env=env, stdout=out,
            stderr=subprocess.STDOUT, start_new_session=True))
    try:
        _wait_healthy(journey)
        from audit import create_app

        journey.app = create_app({"SQLALCHEMY_DATABASE_URI": env["DATABASE_URL"],
                                  "PHOTO_ROOT": env["PHOTO_ROOT"], "SECRET_KEY": "reader"})
        yield journey
    finally:
        for process in journey.processes:
            if process.poll() is None:  # gunicorn's quick shutdown: nothing is left to finish
                os.killpg(process.pid, signal.SIGINT)
        for process in journey.processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)
        out.close()
        if journey.app is not None:
            from audit.extensions import db

            with journey.app.app_context():
                db.engine.dispose()
        if request.param == "scaled":
            from redis import Redis
            from rq import Queue

            for name in (env["REPORTS_QUEUE"], env["MAIL_QUEUE"]):
                Queue(name, connection=Redis.from_url(REDIS)).delete(delete_jobs=True)
        for step in cleanup:
            step()


@contextmanager
def stored(journey: Journey):
    """A fresh session on the journey's database, to assert what was stored."""
    from audit.extensions import db

    with journey.app.app_context():
        db.session.remove()
        try:
            yield db.session
        finally:
            db.session.remove()


@pytest.fixture(scope="package")
def playwright():
    """One Playwright for the journeys, stopped when a worker moves on to other tests: a
    thread runs one Playwright at a time, and tests/browser starts its own."""
    with playwright_api.sync_playwright() as p:
        yield p


@pytest.fixture(scope="package")
def chromium(playwright):
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
    try:
        yield browser
    finally:
        browser.close()


@pytest.fixture
def phone_profile(playwright, guard, tmp_path):
    """phone_profile(lang, offline=False) -> a page in a browser with a profile on disk,
    so its service worker, caches and IndexedDB outlive closing it: calling it again
    closes the browser and starts it anew on the same profile (a phone restarted)."""
    folder = tmp_path / "profile"
    state = {"context": None}

    def start(lang: str = "vi", offline: bool = False, **extra):
        if state["context"] is not None:
            state["context"].close()
        context = playwright.chromium.launch_persistent_context(
            str(folder), executable_path=CHROMIUM, args=ARGS, **PHONE,
            locale="vi-VN" if lang == "vi" else "en-US", accept_downloads=True,
            extra_http_headers={"Accept-Language": lang}, **extra)
        context.set_default_timeout(20_000)
        context._journey_lang = lang
        if offline:
            cut_network(context)
        state["context"] = context
        page = context.pages[0] if context.pages else context.new_page()
        guard.watch(page)
        return page

    yield start
    if state["context"] is not None:
        state["context"].close()


def _by_worker(request) -> bool:  # noqa: ANN001
    """A request made by a service worker (it has no frame; a page's request is reported on
    the page already)."""
    try:
        request.frame  # noqa: B018
    except Exception:  # noqa: BLE001 - Playwright raises for a worker's request
        return True
    return False


def _outbox(request) -> bool:  # noqa: ANN001
    """A worker's request that sends the outbox (not the worker's own copy of a page the page
    asked for: the page reports how its navigation ended; the worker's copy can be cut after
    the page has its answer, net::ERR_FAILED, about once in three runs under load)."""
    return request.method != "GET" or "/api/" in request.url


class Guard:
    """Collects what a person would notice went wrong on a page: console errors, script
    errors, answers of 400 and more, requests that failed. `expected` lists (status, part of
    the address) the journey causes on purpose; `offline` excuses failed requests while the
    connection is cut."""

    def __init__(self) -> None:
        self.problems: list[str] = []
        self.expected: set[tuple[int, str]] = set()
        self.offline = False
        self.closing = False

    def watch(self, page) -> None:  # noqa: ANN001
        page.on("console", lambda m: m.type == "error" and not self.offline
                and not self._expected_console(m.text)
                and self.problems.append(f"console: {m.text} ({page.url})"))
        page.on("pageerror", lambda e: self.problems.append(f"script error: {e} ({page.url})"))
        page.on("response", self._response)
        page.on("requestfailed", self._failed)
        # Requests a page's service worker passes to the network (the shopper's outbox
        # sending) are reported on the context, not the page.
        context = page.context
        if not getattr(context, "_guarded", False):
            context._guarded = True
            context.on("response", lambda r: _by_worker(r.request) and self._response(r))
            context.on("requestfailed", lambda r: _by_worker(r) and _outbox(r) and self._failed(r))

    def _expected_console(self, text: str) -> bool:
        # Chromium logs each 4xx/5xx answer as a console error too.
        return "Failed to load resource" in text and bool(self.expected)

    def _response(self, response) -> None:  # noqa: ANN001
        if response.status < 400:
            return
        if any(response.status == status and part in response.url
               for status, part in self.expected):
            return
        self.problems.append(f"HTTP {response.status}: {response.request.method} {response.url}")

    def _failed(self, request) -> None:  # noqa: ANN001
        failure = request.failure or ""
        if self.offline or self.closing or "ERR_ABORTED" in failure:
            return
        self.problems.append(f"failed request: {request.url} ({failure})")


@pytest.fixture
def guard(journey) -> Iterator[Guard]:
    watcher = Guard()
    yield watcher
    assert not watcher.problems, "\n".join(watcher.problems) + "\n--- server log:\n" + \
        journey.log_tail(30)


@pytest.fixture
def open_browser(chromium, guard, tmp_path):
    """open_browser(phone=True, lang="vi") -> a new page in its own context (cookies,
    storage), watched by the guard."""
    contexts = []

    def make(phone: bool = True, lang: str = "vi"):
        options = dict(PHONE if phone else DESKTOP)
        options.update(locale="vi-VN" if lang == "vi" else "en-US",
                       extra_http_headers={"Accept-Language": lang},
                       accept_downloads=True)
        context = chromium.new_context(**options)
        context.set_default_timeout(20_000)
        context._journey_lang = lang
        contexts.append(context)
        page = context.new_page()
        guard.watch(page)
        return page

    yield make
    guard.closing = True  # a request the closing browser cuts is not a person's problem
    for context in contexts:
        context.close()


def _no_network(route) -> None:  # noqa: ANN001
    route.abort("internetdisconnected")


def cut_network(context) -> None:  # noqa: ANN001
    """No network for the pages and for their service worker: Playwright's offline mode
    alone leaves the worker's own requests (Background Sync) on the network."""
    context.set_offline(True)
    context.route("**/*", _no_network)


def restore_network(context) -> None:  # noqa: ANN001
    context.unroute("**/*", _no_network)
    context.set_offline(False)


def log_in(page, journey: Journey, email: str, password: str | None = None) -> None:
    from audit.demo import data

    page.goto(journey.url("/login"))
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", password or data.PASSWORD)
    page.click("main form[method=post]:has(input[name=password]) [type=submit]")
    page.wait_for_url(lambda url: "/login" not in url)
    choose_language(page, page.context._journey_lang)


def choose_language(page, lang: str) -> None:
    """Switch with the page's own language button when the account's choice differs (the
    demo accounts chose Vietnamese; an account's choice wins over the browser's)."""
    if page.locator("html").get_attribute("lang") != lang:
        page.click(f"form[action$='/language/{lang}'] [type=submit]")
        # Not wait_for_function("…"): a string predicate is evaluated in the page, and the
        # pages' CSP refuses eval (a script error the guard reports).
        playwright_api.expect(page.locator("html")).to_have_attribute("lang", lang)


def screenshot(page, name: str) -> None:
    """Kept for looking at afterwards when JOURNEY_SCREENSHOTS names a folder."""
    folder = os.environ.get("JOURNEY_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)
