"""E-mails sent by several job threads at once (the embedded thread pool on SQLite): each
message leaves once and its outcome is recorded, although other senders commit while one
is talking to the server (a read held across the conversation could not write afterwards
on SQLite, and the message would have been sent again after its claim ran out)."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import select

from audit.extensions import db
from audit.models.auth import User
from audit.models.notifications import Notification
from audit.notifications import mailer, notify, sending
from tests.concurrency.conftest import own_session


def _queued(race, engine, count: int, tag: str) -> list[int]:
    """`count` e-mails queued for the race's shopper, committed; their ids."""
    with own_session(race.app, engine) as s:
        shopper = s.get(User, race.ids.users["shopper"])
        rows = [notify(shopper, "visit_assigned", context={"branch": f"{tag}{i}"}, link="/",
                       dedupe_key=f"race-{tag}-{i}") for i in range(count)]
        s.commit()
        return [row.id for row in rows]


def _slow_server(monkeypatch) -> list[str]:
    """The SMTP conversation takes a while (other senders commit meanwhile); returns the
    subjects delivered, in order."""
    delivered, lock = [], threading.Lock()

    def deliver(message):
        time.sleep(0.05)
        with lock:
            delivered.append(message.subject)
        return "sent"

    monkeypatch.setattr(mailer, "deliver", deliver)
    return delivered


def _in_thread(race, call):
    """Run `call` in a worker thread's own app context and session."""
    def run(*args):
        with race.app.app_context():
            try:
                return call(*args)
            finally:
                db.session.remove()  # this thread's session of the scoped session
    return run


def _each_sent_once(race, ids: list[int]) -> None:
    rows = race.read(lambda s: s.scalars(select(Notification).where(
        Notification.id.in_(ids))).all())
    assert {(r.mail_status, r.attempts) for r in rows} == {("sent", 1)}


def test_messages_sent_side_by_side_leave_once_and_are_recorded(race, engine, monkeypatch):
    ids = _queued(race, engine, 8, "M")
    delivered = _slow_server(monkeypatch)
    # One scoped session on the tests' engine for every thread (a session per thread):
    # swapping db.session inside each thread would race on the module attribute.
    with own_session(race.app, engine), ThreadPoolExecutor(4) as pool:
        results = list(pool.map(_in_thread(race, sending.send), ids))
    assert results == [True] * 8 and len(delivered) == 8
    _each_sent_once(race, ids)
    with own_session(race.app, engine):  # nothing is due again: nothing leaves twice
        assert sending.send_due() == 0


def test_two_ticks_sending_due_messages_together_send_each_once(race, engine, monkeypatch):
    """Two processes' ticks (here threads) run send_due over the same queued messages."""
    ids = _queued(race, engine, 6, "T")
    delivered = _slow_server(monkeypatch)
    tick = _in_thread(race, sending.send_due)
    with own_session(race.app, engine), ThreadPoolExecutor(2) as pool:
        counts = [f.result() for f in [pool.submit(tick), pool.submit(tick)]]
    assert sum(counts) == 6 and len(delivered) == 6
    _each_sent_once(race, ids)
