"""Each person chooses per kind: e-mail at once, daily digest, in the app only; `notify`
follows the choice. The unsubscribe link of an e-mail works without a log-in (GET asks,
POST or a mail client's one-click turns it off) and a changed link is refused."""

from __future__ import annotations

import re

import pytest

from audit.models.notifications import NotificationPreference
from audit.notifications import notify, sending
from audit.notifications.tokens import DIGEST, unsubscribe_token
from tests.support import session_cookie

pytestmark = pytest.mark.usefixtures("test_templates")


def test_the_page_offers_the_kinds_of_the_persons_role(client, world, session):
    session_cookie(client, world.people.shopper)
    page = client.get("/notifications/preferences").get_data(as_text=True)
    kinds = set(re.findall(r'name="kind-([a-z_]+)"', page))
    assert kinds == {
        "visit_assigned",
        "visit_due_tomorrow",
        "visit_overdue",
        "visit_returned",
        "board_new_jobs",
    }
    assert (
        'name="kind-board_new_jobs" value="digest" id="kind-board_new_jobs-digest" checked' in page
    )


def test_a_choice_changes_how_the_next_message_is_delivered(client, world, session):
    shopper = world.people.shopper
    session_cookie(client, shopper)
    answer = client.post(
        "/notifications/preferences",
        data={"kind-visit_assigned": "digest", "kind-visit_overdue": "in_app"},
    )
    assert answer.status_code == 302
    assigned = notify(shopper, "visit_assigned", context={}, link="/visits/1")
    overdue = notify(shopper, "visit_overdue", context={}, link="/visits/1")
    due = notify(shopper, "visit_due_tomorrow", context={}, link="/visits/1")
    assert (assigned.delivery, assigned.mail_status) == ("digest", "none")
    assert (overdue.delivery, overdue.mail_status) == ("in_app", "none")
    assert (due.delivery, due.mail_status) == ("email", "queued")  # its default


def test_a_kind_outside_the_role_is_refused(client, world, session):
    session_cookie(client, world.people.shopper)
    assert (
        client.post("/notifications/preferences", data={"kind-visit_assigned": "never"}).status_code
        == 422
    )


def test_the_unsubscribe_link_of_an_email_works_without_a_log_in(client, world, session, mailbox):
    shopper = world.people.shopper
    shopper.locale = "en"
    notify(shopper, "visit_assigned", context={}, link="/visits/1")
    session.commit()
    sending.send_due()
    url = mailbox.only()["List-Unsubscribe"].strip("<>")
    path = url.removeprefix("http://127.0.0.1:5000")
    asked = client.get(path)
    assert asked.status_code == 200
    assert shopper.email in asked.get_data(as_text=True)
    assert session.get(NotificationPreference, shopper.id) is None  # GET changes nothing
    assert client.post(path).status_code == 200
    session.expire_all()
    assert session.get(NotificationPreference, shopper.id).choices == {"visit_assigned": "in_app"}
    assert (
        notify(shopper, "visit_assigned", context={}, link="/v", dedupe_key="x").mail_status
        == "none"
    )


def test_one_click_unsubscribe_needs_no_csrf_token(app, client, world, session, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    manager = world.people.manager
    token = unsubscribe_token(manager.id, DIGEST)
    answer = client.post(
        f"/notifications/unsubscribe/{token}", data={"List-Unsubscribe": "One-Click"}
    )
    assert answer.status_code == 200
    session.expire_all()
    choices = session.get(NotificationPreference, manager.id).choices
    assert choices == {"visit_submitted": "in_app", "visit_auto_published": "in_app"}
    session_cookie(client, manager)
    assert client.post("/notifications/read-all").status_code == 400  # other posts: CSRF


def test_a_changed_link_is_refused(client, world, session):
    token = unsubscribe_token(world.people.shopper.id, "visit_assigned")
    forged = unsubscribe_token(world.people.other_shopper.id, "visit_assigned")
    tampered = token.split(".")[0] + "." + forged.split(".")[1]
    assert client.get(f"/notifications/unsubscribe/{tampered}").status_code == 404
    assert client.post(f"/notifications/unsubscribe/{tampered}").status_code == 404
    assert client.get("/notifications/unsubscribe/garbage").status_code == 404
    assert session.get(NotificationPreference, world.people.shopper.id) is None
