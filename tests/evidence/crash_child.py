"""A worker to be killed: runs one API request (a photo upload or a submission) in its own
process and, at the commit that would make the change durable, says so in a marker file and
waits for SIGKILL. Started by tests/evidence/test_interrupted.py; never imported by the app.

    python -m tests.evidence.crash_child '<json: config, action, visit, token, marker>'
"""

from __future__ import annotations

import io
import json
import sys
import time
from pathlib import Path

from sqlalchemy import event
from sqlalchemy.orm import Session

from audit import create_app
from audit.models.visits import Photo, Visit
from tests.support import encode, picture

WAIT = 120  # seconds; the test kills us long before


def _stall_at_commit(action: str, marker: Path) -> None:
    """Stop inside the commit of the change under test: its rows are flushed (the INSERT or
    UPDATE reached the database), its files are stored, nothing is committed yet."""

    def under_test(session, new, dirty) -> bool:
        if action == "photo":
            return any(isinstance(o, Photo) for o in new)
        return any(isinstance(o, Visit) and o.status == "submitted" for o in dirty)

    @event.listens_for(Session, "after_flush")
    def noted(session, _context) -> None:
        if under_test(session, session.new, session.dirty):
            session.info["stall"] = True

    @event.listens_for(Session, "before_commit")
    def stall(session) -> None:
        if session.info.get("stall") or under_test(session, session.new, session.dirty):
            session.flush()  # the change reaches the database, uncommitted
            marker.write_text("flushed, not committed")
            time.sleep(WAIT)


def main() -> None:
    job = json.loads(sys.argv[1])
    app = create_app(job["config"])
    _stall_at_commit(job["action"], Path(job["marker"]))
    headers = {"Authorization": f"Bearer {job['token']}", "Accept-Language": "en"}
    client = app.test_client()
    if job["action"] == "photo":
        response = client.post(f"/api/v1/visits/{job['visit']}/photos", headers=headers,
                               data={"file": (io.BytesIO(encode(picture())), "p.jpg")},
                               content_type="multipart/form-data")
    else:
        response = client.post(f"/api/v1/visits/{job['visit']}/submit", headers=headers)
    print(response.status_code, response.get_data(as_text=True)[:200])  # not reached


if __name__ == "__main__":
    main()
