"""The daily digest (one e-mail per person at DIGEST_HOUR on the app's clock, listing their
digest messages, once a day) and the tick (registered tasks, due e-mails, digests) under
its lease: a second tick in the same period does nothing."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from audit.core.clock import utcnow
from audit.notifications import notify, schedule
from audit.notifications.digest import run_digests
from audit.notifications.tick import run_tick

ZONE = ZoneInfo("Asia/Ho_Chi_Minh")

pytestmark = pytest.mark.usefixtures("test_templates")


def at(hour: int, minute: int = 0, days: int = 1) -> datetime:
    """Tomorrow (after every row of the test) at this time on the app's clock."""
    day = datetime.now(ZONE).date() + timedelta(days=days)
    return datetime.combine(day, time(hour, minute), ZONE)


def _submitted(session, manager, count=2):
    rows = [
        notify(
            manager,
            "visit_submitted",
            context={"branch": f"A0{i}"},
            link=f"/review/{i}",
            dedupe_key=f"visit:{i}",
        )
        for i in range(count)
    ]
    session.commit()
    return rows


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_one_digest_lists_the_days_messages_and_is_sent_once(world, session, mailbox, lang):
    manager = world.people.manager
    manager.locale = lang
    rows = _submitted(session, manager)
    assert run_digests(at(6, 59)) == 0  # before DIGEST_HOUR
    assert run_digests(at(7, 5)) == 1
    assert run_digests(at(7, 6)) == 0  # the same day: nothing twice
    message = mailbox.only()
    assert message["To"] == manager.email
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert text.count("http://127.0.0.1:5000/review/") == 2
    assert "/review/0" in html and "/review/1" in html
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    expected = {"en": "Your daily digest: 2 messages", "vi": "Bản tổng hợp hằng ngày: 2"}
    assert message["Subject"].startswith(expected[lang])
    for row in rows:
        session.refresh(row)
        assert (row.mail_status, row.digested_at is not None) == ("sent", True)


def test_the_next_day_brings_only_the_new_messages(world, session, mailbox):
    manager = world.people.manager
    _submitted(session, manager, 1)
    run_digests(at(7))
    notify(manager, "visit_submitted", context={}, link="/review/9", dedupe_key="visit:9")
    session.commit()
    assert run_digests(at(7, days=2)) == 1
    assert len(mailbox.messages) == 2
    assert "/review/9" in mailbox.messages[1].get_body(("plain",)).get_content()
    assert "/review/0" not in mailbox.messages[1].get_body(("plain",)).get_content()


def test_a_refused_digest_is_retried_by_a_later_tick(world, session, mailbox):
    rows = _submitted(session, world.people.manager, 1)
    mailbox.refuse(1, 451)
    assert run_digests(at(7)) == 0
    session.refresh(rows[0])
    assert rows[0].digested_at is None and "451" in rows[0].last_error
    assert run_digests(at(7, 1)) == 1
    assert len(mailbox.messages) == 1


def test_a_refused_digest_waits_its_delay_and_fails_after_the_last(world, session, mailbox):
    """Not every tick hammers a server that refuses: 1, 5 and 30 minutes, then failed."""
    rows = _submitted(session, world.people.manager, 1)

    def attempts() -> int:
        session.refresh(rows[0])
        return rows[0].attempts

    mailbox.refuse(4, 451)
    assert run_digests(at(7)) == 0 and attempts() == 1
    assert run_digests(at(7) + timedelta(seconds=30)) == 0 and attempts() == 1  # waits
    for minute, tried in ((1, 2), (6, 3), (36, 4)):  # each retry once its delay has passed
        assert run_digests(at(7, minute)) == 0 and attempts() == tried
    assert rows[0].mail_status == "failed" and rows[0].next_attempt_at is None
    assert run_digests(at(9)) == 0 and attempts() == 4  # given up: not tried again
    assert mailbox.messages == []


def test_the_tick_runs_tasks_mail_and_digests_once_per_period(world, session, mailbox, monkeypatch):
    seen = []
    monkeypatch.setattr(schedule, "TASKS", {"probe": lambda now: seen.append(now) or 1})
    shopper = world.people.shopper
    notify(shopper, "visit_assigned", context={}, link="/visits/1")
    _submitted(session, world.people.manager, 1)
    now = at(7, 30)
    assert run_tick(now) == {"probe": 1, "mail": 1, "digests": 1}
    assert run_tick(now + timedelta(seconds=20)) is None  # the lease: another holds it
    assert len(mailbox.messages) == 2 and seen == [now]
    assert run_tick(now + timedelta(minutes=1)) == {"probe": 1, "mail": 0, "digests": 0}


def test_a_failing_task_does_not_stop_the_others(world, session, monkeypatch):
    def broken(now):
        raise RuntimeError("broken task")

    monkeypatch.setattr(schedule, "TASKS", {"broken": broken, "fine": lambda now: 2})
    assert run_tick(utcnow() + timedelta(days=3)) == {
        "broken": -1,
        "fine": 2,
        "mail": 0,
        "digests": 0,
    }


def test_report_expiry_is_a_task_of_the_tick():
    from audit.evidence.expiry import expire_reports

    assert schedule.TASKS["report_expiry"] is expire_reports
