"""Benchmarks are part of the product: each must still run on main (defect 20: the PDF
benchmark stopped with VisitClosed once photos could no longer join a published visit).
Figures are not checked here (bench/README.md keeps them); only that the script completes
on a small scratch database and prints its measures."""

from __future__ import annotations

import os
import py_compile
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FLASK = [sys.executable, "-m", "flask", "--app", "wsgi.py"]


@pytest.mark.parametrize("script", sorted(p.name for p in (ROOT / "bench").glob("*.py")))
def test_every_benchmark_compiles(script):
    py_compile.compile(str(ROOT / "bench" / script), doraise=True)


def test_the_pdf_benchmark_runs_on_a_small_demo(tmp_path):
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'bench.db'}",
           "BENCH_PHOTO_ROOT": str(tmp_path / "photos"), "PHOTO_ROOT": str(tmp_path / "photos")}
    env.pop("REDIS_URL", None)
    for step in (["db", "upgrade"], ["demo", "load", "--scale", "3", "--visits", "40"]):
        subprocess.run([*FLASK, *step], cwd=ROOT, env=env, check=True, capture_output=True,
                       timeout=300)
    out = subprocess.run([sys.executable, "bench/report_pdf.py", env["DATABASE_URL"], "1"],
                         cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    assert "visit PDF with 10 photos" in out.stdout
    assert "comparison PDF, 3 branches" in out.stdout
