"""Benchmark: `flask backup create` of an instance (the demo data set), as .tar.gz and as
.tar, with its size; verify; restore into a fresh instance. Beside it, the floor measured
in the same run: the database dump alone and reading every stored file alone.

Run: .venv/bin/python bench/backup.py DATABASE_URL PHOTO_ROOT [TARGET_DATABASE_URL] [repeats]
(the target must be an empty database; SQLite targets default to a temporary file).
Times exclude the process start (about 2-10 s of imports on the shared machine).
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from audit import create_app, database_uri  # noqa: E402
from audit.backup import database, operations  # noqa: E402
from audit.extensions import db  # noqa: E402
from audit.storage import storage_for  # noqa: E402


def timed(fn, repeats: int) -> tuple[list[float], object]:
    times, result = [], None
    for _ in range(repeats):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return times, result


def show(label: str, times: list[float], extra: str = "") -> None:
    print(f"{label:<34} median {statistics.median(times):6.2f} s, max {max(times):6.2f} s"
          f"{extra}")


def main() -> None:
    url, root = sys.argv[1], sys.argv[2]
    target_url = sys.argv[3] if len(sys.argv) > 3 and "://" in sys.argv[3] else None
    repeats = int(sys.argv[-1]) if sys.argv[-1].isdigit() else 3
    work = Path(tempfile.mkdtemp(prefix="bench-backup-"))
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_uri(url, str(work)),
                      "PHOTO_ROOT": root, "SECRET_KEY": "bench"})
    with app.app_context():
        kind = database.kind_of(db.engine)
        counter = iter(range(1000))
        for suffix in ("tar.gz", "tar"):
            times, summary = timed(
                lambda s=suffix: operations.create(str(work / f"b{next(counter)}.{s}")),
                repeats)
            size = summary.path.stat().st_size
            show(f"create .{suffix} ({kind})", times,
                 f"; {size / 1e6:.2f} MB archive, {summary.rows} rows, "
                 f"{len(summary.manifest['files'])} files ({summary.file_bytes / 1e6:.2f} MB)")
        archive = next(work.glob("b0.tar.gz"))
        show("verify .tar.gz", timed(lambda: operations.verify(archive), repeats)[0])
        dump = work / "dump"

        def dump_alone() -> None:
            dump.unlink(missing_ok=True)
            database.dump(db.engine, dump)

        show("floor: database dump alone", timed(dump_alone, repeats)[0],
             f"; {dump.stat().st_size / 1e6:.2f} MB")
        store = storage_for(app)
        show("floor: read every stored file", timed(
            lambda: sum(len(store.get(k)) for k in store.keys("")), repeats)[0])
    target = create_app({
        "SQLALCHEMY_DATABASE_URI": database_uri(target_url, str(work / "target")),
        "PHOTO_ROOT": str(work / "target-files"), "SECRET_KEY": "bench"})
    with target.app_context():
        times, summary = timed(lambda: operations.restore(archive, force=True), 1)
        show("restore .tar.gz into a fresh one", times)
    print(f"archives in {work}")


if __name__ == "__main__":
    main()
