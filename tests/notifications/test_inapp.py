"""Under the bell: the unread count on every page, the list (newest first, unread marked,
subjects in the reader's language), mark as read (opening the link too), mark all, the
API, another person's message is 404; the administrator's delivery log."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from audit.core.clock import utcnow
from audit.notifications import notify
from tests.support import session_cookie

pytestmark = pytest.mark.usefixtures("test_templates")


def _three(session, shopper):
    rows = []
    for i in range(3):
        row = notify(
            shopper,
            "visit_assigned",
            context={"branch": f"Branch {i}"},
            link=f"/visits/{i + 1}",
            dedupe_key=f"visit:{i}",
        )
        row.created_at = utcnow() - timedelta(minutes=10 - i)
        rows.append(row)
    session.commit()
    return rows


def _bell(html: str) -> str | None:
    found = re.search(r'class="bell-count">([^<]+)<', html)
    return found.group(1) if found else None


def test_the_bell_shows_the_unread_count_on_every_page(client, world, session, count_queries):
    shopper = world.people.shopper
    session_cookie(client, shopper)
    assert _bell(client.get("/").get_data(as_text=True)) is None
    _three(session, shopper)
    page = client.get("/").get_data(as_text=True)
    assert _bell(page) == "3"
    assert 'href="/notifications"' in page
    assert _bell(client.get("/notifications/preferences").get_data(as_text=True)) == "3"
    with count_queries() as seen:
        client.get("/")
    assert sum("notifications" in s for s in seen.statements) == 1  # one cheap COUNT


def test_the_list_is_newest_first_in_the_readers_language(client, world, session):
    shopper = world.people.shopper
    shopper.locale = "en"
    _three(session, shopper)
    session_cookie(client, shopper)
    page = client.get("/notifications").get_data(as_text=True)
    subjects = re.findall(r'class="subject"[^>]*>([^<]+)<', page)
    assert subjects == [f"A visit is assigned to me: Branch {i}" for i in (2, 1, 0)]
    assert page.count('class="unread"') == 3
    shopper.locale = "vi"
    session.commit()
    page = client.get("/notifications").get_data(as_text=True)
    assert "A visit is assigned to me" not in page


def test_opening_marks_read_and_mark_all_clears_the_bell(client, world, session):
    shopper = world.people.shopper
    rows = _three(session, shopper)
    session_cookie(client, shopper)
    opened = client.get(f"/notifications/{rows[0].id}/open")
    assert opened.status_code == 302 and opened.headers["Location"] == "/visits/1"
    assert client.post(f"/notifications/{rows[1].id}/read").status_code == 302
    session.expire_all()
    assert [r.read_at is not None for r in rows] == [True, True, False]
    assert _bell(client.get("/notifications").get_data(as_text=True)) == "1"
    client.post("/notifications/read-all")
    assert _bell(client.get("/notifications").get_data(as_text=True)) is None


@pytest.mark.parametrize("how", ["open", "read", "api"])
def test_another_persons_message_is_not_found(client, world, session, how):
    theirs = _three(session, world.people.other_shopper)[0]
    session_cookie(client, world.people.admin)  # an admin included
    answer = {
        "open": lambda: client.get(f"/notifications/{theirs.id}/open"),
        "read": lambda: client.post(f"/notifications/{theirs.id}/read"),
        "api": lambda: client.post(f"/api/v1/notifications/{theirs.id}/read"),
    }[how]()
    assert answer.status_code == 404
    session.refresh(theirs)
    assert theirs.read_at is None


def test_the_api_lists_and_marks_read(client, world, session, token_for):
    shopper = world.people.shopper
    rows = _three(session, shopper)
    headers = token_for(shopper)
    body = client.get("/api/v1/notifications", headers=headers).get_json()
    assert body["unread"] == 3 and body["total"] == 3
    assert [i["id"] for i in body["items"]] == [r.id for r in reversed(rows)]
    assert body["items"][0]["subject"] == "A visit is assigned to me: Branch 2"
    one = client.post(f"/api/v1/notifications/{rows[0].id}/read", headers=headers)
    assert one.status_code == 200 and one.get_json()["read_at"]
    assert client.post("/api/v1/notifications/read", headers=headers).get_json() == {
        "marked": 2,
        "unread": 0,
    }


def test_the_delivery_log_is_for_the_administrator(client, world, session):
    rows = _three(session, world.people.shopper)
    rows[0].mail_status, rows[0].attempts, rows[0].last_error = "failed", 4, "550 refused"
    rows[1].delivery, rows[1].mail_status = "digest", "none"  # waits for the day's digest
    session.commit()
    session_cookie(client, world.people.manager)
    assert client.get("/notifications/deliveries").status_code == 403
    session_cookie(client, world.people.admin)
    page = client.get("/notifications/deliveries").get_data(as_text=True)
    assert page.count('<tr class="mail-') == 3
    assert "Sẽ có trong e-mail tổng hợp hằng ngày kế tiếp" in page  # not "No e-mail"
    failed = client.get("/notifications/deliveries?status=failed").get_data(as_text=True)
    assert failed.count('<tr class="mail-') == 1
    assert "550 refused" in failed and world.people.shopper.email in failed
