"""The demo data set: realistic, every lifecycle state, branches that genuinely differ."""

from __future__ import annotations

from click.testing import CliRunner
from sqlalchemy import func, select

from audit.demo.cli import demo_cli
from audit.demo.generator import load
from audit.models.orgs import Branch, Brand
from audit.models.visits import Photo, Visit
from audit.scoring import aggregate
from audit.vocabulary import VISIT_STATUSES


def test_demo_load(file_store, session, app):
    summary = load(seed=7)
    assert summary.branches == 12
    assert session.scalar(select(func.count()).select_from(Brand)) == 1
    assert session.scalar(select(func.count()).select_from(Branch)) == 12
    statuses = set(session.scalars(select(Visit.status).distinct()))
    assert statuses == set(VISIT_STATUSES)
    assert session.scalar(select(func.count()).where(Visit.critical_fail.is_(True))) >= 1
    assert session.scalar(select(func.count()).select_from(Photo)) == summary.photos > 0
    keys = session.execute(select(Photo.storage_key, Photo.thumb_key)).all()
    assert set(file_store.keys()) == {k for pair in keys for k in pair}  # local disk or S3
    # Branches genuinely differ: the best and worst published means are far apart.
    means = []
    for branch_id in session.scalars(select(Branch.id)):
        scores = session.scalars(select(Visit.score_overall).where(
            Visit.branch_id == branch_id, Visit.status == "approved")).all()
        means.append(aggregate(scores).mean)
    present = [m for m in means if m is not None]
    assert max(present) - min(present) > 15
    # Stored scores agree with a recomputation from the answers.
    from audit.visits import scores

    visit = session.scalars(select(Visit).where(Visit.status == "approved")).first()
    result, _ = scores.compute(visit)
    assert result.overall == visit.score_overall


def test_demo_cli_keeps_existing_data(session, app):
    runner = CliRunner()
    load(seed=1)
    with app.app_context():
        result = runner.invoke(demo_cli, ["load", "--if-empty"], obj=app.cli)
    assert "keeping it" in result.output
    assert session.scalar(select(func.count()).select_from(Brand)) == 1
