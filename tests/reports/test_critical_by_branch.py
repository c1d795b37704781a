"""The comparison report's critical fails, one row per branch."""

from datetime import date
from types import SimpleNamespace

from audit.reports.comparison_report import critical_by_branch


def visit(branch, day, codes, critical=True):
    return SimpleNamespace(branch=branch, branch_id=branch.id, visited_at=date(2026, 8, day),
                           critical_fail=critical, scores={"critical_failures": codes})


def test_groups_by_branch_most_fails_first_with_question_counts():
    a, b, c = (SimpleNamespace(id=i, name=n) for i, n in ((1, "An"), (2, "Bình"), (3, "Cầu")))
    visits = [visit(a, 1, ["P2.1"]), visit(b, 2, ["P2.6", "P2.1"]), visit(b, 3, ["P2.6"]),
              visit(c, 4, [], critical=False), visit(a, 5, ["P2.6"])]
    rows = [{"branch": a, "n": 4}, {"branch": b, "n": 2}, {"branch": c, "n": 1}]
    out = critical_by_branch(visits, rows)
    assert [(r["branch"].name, len(r["visits"]), r["n"]) for r in out] == [
        ("An", 2, 4), ("Bình", 2, 2)]  # equal counts: by name; Cầu has no critical fail
    assert out[1]["codes"] == [("P2.6", 2), ("P2.1", 1)]
    assert out[0]["codes"] == [("P2.1", 1), ("P2.6", 1)]
    assert [v.visited_at.day for v in out[0]["visits"]] == [1, 5]
