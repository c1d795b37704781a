"""Benchmark: the branch-comparison page over 500 branches and 50 000 visits (target
< 300 ms server time), beside the floor of one raw SQL GROUP BY computing n, mean and sd
per branch over the same campaign's visits, measured in the same run.

Build the data set once (about 3 minutes), then run against it as often as needed:

    DATABASE_URL=sqlite:////tmp/bench/audit500.db .venv/bin/flask --app wsgi.py db upgrade
    DATABASE_URL=sqlite:////tmp/bench/audit500.db \\
        .venv/bin/flask --app wsgi.py demo load --scale 500 --visits 50000
    .venv/bin/python bench/comparison_page.py sqlite:////tmp/bench/audit500.db [repeats]

The server time is the Flask test client's round trip for `GET /comparison?campaign=...`
as the demo quality manager (no network, no browser). "Cold" is the first request after
the per-process breakdown cache is emptied (a fresh worker, or every branch changed).
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

from sqlalchemy import func, select, text

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from audit import create_app  # noqa: E402
from audit.comparison import breakdown, service  # noqa: E402
from audit.demo import data  # noqa: E402
from audit.extensions import db  # noqa: E402
from audit.models.visits import Visit  # noqa: E402

RAW_SQL = """
SELECT v.branch_id, COUNT(v.score_overall), AVG(v.score_overall),
       SQRT(SUM((v.score_overall - m.mean) * (v.score_overall - m.mean))
            / NULLIF(COUNT(v.score_overall) - 1, 0))
FROM visits v JOIN (SELECT branch_id, AVG(score_overall) AS mean FROM visits
                    WHERE campaign_id = :c AND status = 'approved' GROUP BY branch_id) m
  ON m.branch_id = v.branch_id
WHERE v.campaign_id = :c AND v.status = 'approved'
GROUP BY v.branch_id
"""


def timed(fn, repeats: int) -> list[float]:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return times


def p95(times: list[float]) -> float:
    ordered = sorted(times)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def main(url: str, repeats: int = 20) -> None:
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "WTF_CSRF_ENABLED": False,
                      "SECRET_KEY": "bench"})
    with app.app_context():
        campaign_id, visits = db.session.execute(
            select(Visit.campaign_id, func.count()).where(Visit.is_published)
            .group_by(Visit.campaign_id).order_by(func.count().desc(), Visit.campaign_id)
        ).first()
        branches = db.session.scalar(select(func.count(func.distinct(Visit.branch_id))))
        total = db.session.scalar(select(func.count()).select_from(Visit))
    client = app.test_client()
    response = client.post("/login", data={"email": data.MANAGER[0], "password": data.PASSWORD})
    assert response.status_code in (302, 303), response.status_code
    path = f"/comparison?campaign={campaign_id}"

    def page() -> None:
        response = client.get(path, headers={"Accept-Language": "vi"})
        assert response.status_code == 200, response.status_code

    def raw() -> None:
        with app.app_context():
            rows = db.session.execute(text(RAW_SQL), {"c": campaign_id}).all()
            assert len(rows) == branches
            db.session.remove()

    breakdown.parts_cache.clear()
    service.numbers_cache.clear()
    service.scope_cache.clear()
    cold = timed(page, 1)[0]
    page()  # warm-up
    raw()
    page_times = timed(page, repeats)
    raw_times = timed(raw, repeats)
    def after_a_change() -> None:
        """A reviewer changed one visit: the campaign's sums and that branch recompute."""
        with app.app_context():
            db.session.execute(text(
                "UPDATE visits SET revision = revision + 1 WHERE id = (SELECT id FROM visits "
                "WHERE campaign_id = :c AND status = 'approved' ORDER BY random() LIMIT 1)"),
                {"c": campaign_id})
            db.session.commit()
            db.session.remove()
        start = time.perf_counter()
        page()
        changed_times.append(time.perf_counter() - start)

    changed_times: list[float] = []
    for _ in range(max(3, repeats // 4)):
        after_a_change()
    all_path = path + "&all=1"
    all_times = timed(lambda: client.get(all_path), max(3, repeats // 4))
    print(f"data set: {url.split('://')[0]}, {branches} branches, {total} visits; "
          f"campaign {campaign_id} with {visits} published visits; {repeats} runs")
    print(f"page GET {path}: median {statistics.median(page_times) * 1000:.0f} ms, "
          f"p95 {p95(page_times) * 1000:.0f} ms; cold (empty cache) {cold * 1000:.0f} ms")
    print(f"page after one visit changed: median "
          f"{statistics.median(changed_times) * 1000:.0f} ms, "
          f"max {max(changed_times) * 1000:.0f} ms")
    print(f"page with all {branches} branches (&all=1): median "
          f"{statistics.median(all_times) * 1000:.0f} ms")
    print(f"floor (raw SQL GROUP BY: n, mean, sd per branch): median "
          f"{statistics.median(raw_times) * 1000:.0f} ms, p95 {p95(raw_times) * 1000:.0f} ms")


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 20)
