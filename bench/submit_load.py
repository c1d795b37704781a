"""Benchmark: visit submission under load, N concurrent shoppers against gunicorn on
127.0.0.1 (target p95 < 1 s at 50 shoppers), beside two floors measured in the same run:
the same number of `GET /healthz` requests (the HTTP stack, a login-free request and one
`SELECT 1`) from the same clients, and the bare submit service call without HTTP.

    .venv/bin/python bench/submit_load.py sqlite:////tmp/bench/submit.db
    createdb -h 127.0.0.1 -U postgres bench_submit
    .venv/bin/python bench/submit_load.py postgresql://postgres@127.0.0.1:5432/bench_submit

Each run adds its own brand, shoppers and visits to the database (so reruns need no
cleanup), starts `gunicorn -c gunicorn.conf.py` on a free port of 127.0.0.1, and stops it.
Every shopper submits its own visits (answered beforehand, as after the autosaves), one
after the other; all shoppers run at once. The load is bounded: shoppers x visits requests
per phase and --max-seconds for the whole run. `--url` targets a server already running,
on 127.0.0.1 or localhost only: this client never sends load anywhere else.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import secrets
import socket
import statistics
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlsplit

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from audit import create_app  # noqa: E402
from audit.auth.operations import issue_token  # noqa: E402
from audit.checklists.importer import load_bundled  # noqa: E402
from audit.extensions import db  # noqa: E402
from audit.models.auth import User  # noqa: E402
from audit.models.campaigns import Campaign  # noqa: E402
from audit.models.orgs import Branch, Brand, Region  # noqa: E402
from audit.models.visits import Visit  # noqa: E402
from audit.visits import operations  # noqa: E402

LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}


def local_only(url: str) -> str:
    host = urlsplit(url).hostname
    if host not in LOCAL_HOSTS:
        raise SystemExit(f"refusing to send load to {host!r}: only 127.0.0.1 or localhost")
    return url.rstrip("/")


def perfect_answers(visit: Visit) -> list[dict]:
    items = []
    for q in visit.checklist_version.ordered_questions():
        if q.kind == "photo":
            continue
        value = {"yes_no": not q.no_passes, "number": 5, "text": "ok",
                 "choice": (q.options or [{"value": None}])[0]["value"]}.get(q.kind)
        if q.kind == "scale":
            value = int(q.max_value)
        items.append({"question": q.code, "value": value})
    return items


def prepare(app, shoppers: int, per_shopper: int, extra: int):  # noqa: ANN001, ANN201
    """A brand, `shoppers` shoppers with tokens, and answered visits for each of them."""
    tag = secrets.token_hex(3)
    today = date.today()
    with app.app_context():
        brand = Brand(code=f"load{tag}", name=f"Load {tag}")
        region = Region(brand=brand, name="Load region")
        branches = [Branch(brand=brand, region=region, code=f"L{tag}{i}", name=f"Load {i}",
                           address="1 Street") for i in range(10)]
        db.session.add_all([brand, region, *branches])
        db.session.flush()
        version = next(v for v in load_bundled(brand)
                       if v.checklist.code == "care-protocol-in-person")
        campaign = Campaign(brand=brand, checklist_version=version,
                            name={"en": "Load", "vi": "Tải"}, starts_on=today - timedelta(1),
                            ends_on=today + timedelta(30), channel=version.channel,
                            branches=branches)
        people = [User(email=f"s{i}.{tag}@load.test", name=f"S{i}", role="shopper",
                       password_hash="!") for i in range(shoppers)]
        db.session.add_all([campaign, *people])
        db.session.commit()
        answers = None
        plan: list[tuple[str, list[int]]] = []
        bare: list[int] = []
        for n, shopper in enumerate(people):
            ids = []
            for k in range(per_shopper + (extra if n == 0 else 0)):
                visit = Visit(campaign=campaign, branch=branches[(n + k) % 10], shopper=shopper,
                              checklist_version=version, status="assigned",
                              channel=version.channel, due_from=campaign.starts_on,
                              due_until=campaign.ends_on)
                db.session.add(visit)
                db.session.flush()
                answers = answers or perfect_answers(visit)
                operations.save_answers(visit, answers, shopper)
                ids.append(visit.id)
            if n == 0:
                ids, bare = ids[:per_shopper], ids[per_shopper:]
            plan.append((issue_token(shopper), ids))
        return plan, bare, people[0].id


def bare_submits(app, visit_ids: list[int], shopper_id: int) -> list[float]:  # noqa: ANN001
    """The submit service alone, in this process, one call per visit (no HTTP, no load)."""
    times = []
    with app.app_context():
        shopper = db.session.get(User, shopper_id)
        for visit_id in visit_ids:
            start = time.perf_counter()
            operations.submit(db.session.get(Visit, visit_id), shopper)
            times.append(time.perf_counter() - start)
            db.session.remove()
    return times


async def phase(base: str, plan: list[tuple[str, list[int]]], submit: bool,
                deadline: float) -> tuple[list[float], int]:
    """Every shopper at once: its requests one after the other. Returns times and errors."""
    times: list[float] = []
    errors = 0
    limits = httpx.Limits(max_connections=len(plan), max_keepalive_connections=len(plan))
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=60) as client:

        async def shopper(token: str, visit_ids: list[int]) -> None:
            nonlocal errors
            headers = {"Authorization": f"Bearer {token}"}
            for visit_id in visit_ids:
                if time.monotonic() > deadline:
                    return
                start = time.perf_counter()
                if submit:
                    response = await client.post(f"/api/v1/visits/{visit_id}/submit",
                                                 headers=headers)
                else:
                    response = await client.get("/healthz", headers=headers)
                times.append(time.perf_counter() - start)
                if response.status_code != 200 or (
                        submit and response.json().get("status") != "submitted"):
                    errors += 1

        started = time.perf_counter()
        await asyncio.gather(*(shopper(token, ids) for token, ids in plan))
        print(f"  phase {'submit' if submit else 'healthz'}: {len(times)} requests in "
              f"{time.perf_counter() - started:.1f} s")
    return times, errors


async def warm_up(base: str, plan: list[tuple[str, list[int]]]) -> None:
    """Not measured: each shopper reads its first visit once (every worker's first
    queries, compiled statements and imports happen here)."""
    async with httpx.AsyncClient(base_url=base, timeout=60) as client:
        await asyncio.gather(*(client.get(f"/api/v1/visits/{ids[0]}",
                                          headers={"Authorization": f"Bearer {token}"})
                               for token, ids in plan))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_gunicorn(database_url: str, port: int) -> subprocess.Popen:
    env = {**os.environ, "DATABASE_URL": database_url, "SECRET_KEY": "bench-secret",
           "GUNICORN_BIND": f"127.0.0.1:{port}", "GUNICORN_ACCESS_LOG": "/dev/null",
           "GUNICORN_LOG_LEVEL": "warning", "REPORTS_BACKEND": "manual"}
    server = subprocess.Popen([str(Path(sys.executable).parent / "gunicorn"), "-c",
                               str(ROOT / "gunicorn.conf.py"), "wsgi:app"], cwd=ROOT, env=env)
    for _ in range(300):
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                return server
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    server.terminate()
    raise SystemExit("gunicorn did not answer /healthz within 30 s")


def summary(name: str, times: list[float], errors: int = 0) -> str:
    if not times:
        return f"{name}: no requests"
    ordered = sorted(times)
    p95 = ordered[min(len(ordered) - 1, int(round(0.95 * len(ordered))) - 1)]
    return (f"{name}: n={len(times)} median {statistics.median(times) * 1000:.0f} ms, "
            f"p95 {p95 * 1000:.0f} ms, max {ordered[-1] * 1000:.0f} ms, errors {errors}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("database_url")
    parser.add_argument("--shoppers", type=int, default=50)
    parser.add_argument("--visits", type=int, default=4, help="submits per shopper")
    parser.add_argument("--max-seconds", type=float, default=300)
    parser.add_argument("--url", help="a server already running (127.0.0.1/localhost)")
    args = parser.parse_args()
    if args.url:
        local_only(args.url)
    app = create_app({"SQLALCHEMY_DATABASE_URI": _uri(args.database_url),
                      "SECRET_KEY": "bench-secret", "REPORTS_BACKEND": "manual"})
    with app.app_context():
        import flask_migrate

        flask_migrate.upgrade()
    plan, bare, shopper_id = prepare(app, args.shoppers, args.visits, extra=20)
    server = None
    if args.url:
        base = local_only(args.url)
    else:
        port = free_port()
        server = start_gunicorn(args.database_url, port)
        base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + args.max_seconds
    try:
        load_before = os.getloadavg()[0]
        asyncio.run(warm_up(base, plan))
        floor, floor_errors = asyncio.run(phase(base, plan, False, deadline))
        submits, errors = asyncio.run(phase(base, plan, True, deadline))
        load_after = os.getloadavg()[0]
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=60)
    service = bare_submits(app, bare, shopper_id)
    workers = os.environ.get("GUNICORN_WORKERS") or os.environ.get("WEB_CONCURRENCY") or "conf"
    print(f"{app.config['SQLALCHEMY_DATABASE_URI'].split(':')[0]}, {args.shoppers} shoppers x "
          f"{args.visits} submits, gunicorn workers={workers} "
          f"threads={os.environ.get('GUNICORN_THREADS', '4')}, load average "
          f"{load_before:.1f} -> {load_after:.1f} (1 min), {os.cpu_count()} cores")
    print(summary("submit over HTTP", submits, errors))
    print(summary("floor: GET /healthz, same clients", floor, floor_errors))
    print(summary("floor: submit service, no HTTP, sequential", service))


def _uri(url: str) -> str:
    from audit import database_uri

    return database_uri(url, str(ROOT / "instance"))


if __name__ == "__main__":
    main()
