"""Benchmark: the branch-comparison PDF over 50 branches with its charts (target < 3 s),
beside WeasyPrint alone rendering the same final HTML in the same run (target <= 1.3x),
and the visit PDF with 10 photos (target < 1.5 s).

Build the data set once (about 20 s):

    DATABASE_URL=sqlite:////tmp/pdfs-bench.db .venv/bin/flask --app wsgi.py db upgrade
    DATABASE_URL=sqlite:////tmp/pdfs-bench.db \\
        .venv/bin/flask --app wsgi.py demo load --scale 50 --visits 1000
    .venv/bin/python bench/report_pdf.py sqlite:////tmp/pdfs-bench.db [repeats]

The demo at scale has no photos: the visit benchmark adds 10 photos (1600 x 1200 JPEG,
through the upload pipeline) to the first published visit once (files under
/tmp/pdfs-bench-photos), and keeps them for later runs: use a scratch database.
"""

from __future__ import annotations

import io
import os
import random
import statistics
import sys
import time
from pathlib import Path

from PIL import Image, ImageDraw
from sqlalchemy import func, select, update

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from audit import create_app  # noqa: E402
from audit.evidence.operations import add_photo  # noqa: E402
from audit.extensions import db  # noqa: E402
from audit.models.auth import User  # noqa: E402
from audit.models.visits import Visit  # noqa: E402
from audit.reports.comparison_report import (  # noqa: E402
    comparison_context,
    render_comparison,
)
from audit.reports.pdf import (  # noqa: E402 - WeasyPrint's HTML, imported safely there
    HTML,
    STATIC_URL,
    LockedFetcher,
    create_pdf,
    render_html,
)
from audit.reports.visit_report import render_visit  # noqa: E402

PHOTOS = os.environ.get("BENCH_PHOTO_ROOT", "/tmp/pdfs-bench-photos")  # beside the scratch db


def photo(seed: int) -> bytes:
    """A busy 1600 x 1200 picture (shapes and noise), so JPEG has real work to do."""
    rng = random.Random(seed)
    image = Image.effect_noise((1600, 1200), 40).convert("RGB")
    draw = ImageDraw.Draw(image)
    for _ in range(60):
        x, y = rng.randrange(1600), rng.randrange(1200)
        draw.rectangle((x, y, x + rng.randrange(40, 400), y + rng.randrange(40, 300)),
                       fill=tuple(rng.randrange(256) for _ in range(3)))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=88)
    return out.getvalue()


def timed(fn, repeats: int) -> list[float]:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return times


def main(url: str, repeats: int) -> None:
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "PHOTO_ROOT": PHOTOS})
    with app.test_request_context():
        manager = db.session.scalar(
            select(User).where(User.role == "quality_manager").order_by(User.id))
        campaign_id, count = db.session.execute(
            select(Visit.campaign_id, func.count()).where(Visit.is_published)
            .group_by(Visit.campaign_id).order_by(func.count().desc())).first()
        params = {"campaign": campaign_id, "region": None, "franchisee": None}
        render_comparison(manager, params, "vi")  # warm-up: imports, fonts, caches
        full = timed(lambda: render_comparison(manager, params, "vi"), repeats)
        context = comparison_context(manager, params, "vi")
        html = render_html("reports/comparison.html", "vi", **context)
        fetcher = LockedFetcher(None, None)  # the same fetcher, without our GC pause
        alone = timed(lambda: HTML(string=html, base_url=STATIC_URL,
                                   url_fetcher=fetcher).write_pdf(), repeats)
        pages = create_pdf(html).count(b"/Type /Page\n")
        branches = len(context["rows"])
        print(f"comparison PDF, {branches} branches, {count} published visits, "
              f"{len(context['charts']['radars'])} radars, {len(html) // 1024} KiB of HTML")
        print(f"  full pipeline: median {statistics.median(full):.2f} s, max {max(full):.2f} s")
        print("  WeasyPrint alone (HTML().write_pdf()), same HTML: "
              f"median {statistics.median(alone):.2f} s "
              f"(ratio {statistics.median(full) / statistics.median(alone):.2f}x)")

        visit = db.session.scalar(select(Visit).where(Visit.is_published)
                                  .order_by(Visit.id))
        add_photos(visit, manager)
        render_visit(manager, {"visit": visit.id}, "vi")
        visit_times = timed(lambda: render_visit(manager, {"visit": visit.id}, "vi"), repeats)
        print(f"visit PDF with {len(visit.photos)} photos: median "
              f"{statistics.median(visit_times):.2f} s, max {max(visit_times):.2f} s")
        print(f"  (comparison PDF pages: {pages or 'n/a'})")


def add_photos(visit: Visit, actor: User) -> None:
    """Bring the visit to 10 photos, added once and kept for later runs. Photos join only a
    visit still in the shopper's hands (VisitClosed otherwise), so the published visit of
    the scratch database is opened for the upload and set back to its status after, in the
    database directly: the lifecycle's log is not this benchmark's concern."""
    missing = range(len(visit.photos), 10)
    if not missing:
        return
    status = visit.status
    db.session.execute(update(Visit).where(Visit.id == visit.id).values(status="in_progress"))
    db.session.commit()
    db.session.refresh(visit)
    for i in missing:
        add_photo(visit, photo(i), question_code=None, caption=f"Ảnh {i + 1}", actor=actor)
    db.session.execute(update(Visit).where(Visit.id == visit.id).values(status=status))
    db.session.commit()
    db.session.refresh(visit)


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 5)
