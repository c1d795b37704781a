"""Notifications as served (issue 16): a shopper's report that fails a critical question
rings the quality manager's bell and mails them the visit's PDF at once; publishing it mails
the branch's owner, with the shopper named nowhere in the e-mail (headers, subject, text,
HTML, the attached PDF's text). The manager marks the message read and the bell goes down,
chooses "only in the app" for a kind on the preferences page, and the owner's e-mail's
unsubscribe link, opened in a browser that never logged in, turns that e-mail off.

The e-mails leave from the served app's job back end (each gunicorn worker's thread pool,
or the RQ worker on the scaled configuration) for the journey's own SMTP server."""

from __future__ import annotations

import html
import io
import re
import unicodedata
from dataclasses import dataclass
from email.message import EmailMessage

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select

from audit.demo import data
from audit.models.auth import User
from audit.models.notifications import Notification, NotificationPreference
from audit.models.orgs import Branch
from audit.models.visits import Visit
from tests.journeys.conftest import log_in, screenshot, stored
from tests.journeys.shopper import fill_visible_questions

pytestmark = pytest.mark.journey
# shopper2: the shopper and offline journeys take shopper1, 5 and 6's visits.
SHOPPER = data.SHOPPERS[1][0]
CRITICAL = {"en": "Critical fail: {name} ({code})", "vi": "Trượt mục trọng yếu: {name} ({code})"}
PUBLISHED = {"en": "Visit result published: {name} ({code})",
             "vi": "Kết quả lượt khảo sát đã công bố: {name} ({code})"}
SAVED = {"en": "Your choices are saved.", "vi": "Lựa chọn của bạn đã được lưu."}
UNSUBSCRIBED = {"en": "no longer comes by e-mail", "vi": "sẽ không còn gửi qua e-mail"}
MAIL_WAIT = 60  # seconds: the job renders the visit's PDF before it sends


@dataclass(frozen=True)
class Scene:
    visit_id: int
    branch_code: str
    branch_name: str
    shopper_name: str
    shopper_email: str
    manager_id: int
    owner_id: int
    owner_email: str


def _scene(journey) -> Scene:
    """shopper2's first phone visit still to make at a franchised branch, and its owner."""
    with stored(journey) as db:
        shopper = db.scalars(select(User).where(User.email == SHOPPER)).one()
        visit = db.scalars(select(Visit).where(
            Visit.shopper_id == shopper.id, Visit.status.in_(("assigned", "in_progress")),
            Visit.channel == "phone",
            Visit.branch.has(Branch.franchisee_id.is_not(None))).order_by(Visit.id)).first()
        assert visit is not None, "the demo gives shopper2 a phone visit to make"
        owner = db.scalars(select(User).where(
            User.role == "franchise_owner",
            User.franchisee_id == visit.branch.franchisee_id).order_by(User.id)).first()
        manager = db.scalars(select(User).where(User.email == data.MANAGER[0])).one()
        return Scene(visit.id, visit.branch.code, visit.branch.name, shopper.name,
                     shopper.email, manager.id, owner.id, owner.email)


def _bell(page) -> int:
    """The unread number on the bell of the page's top bar (no badge: none unread)."""
    badge = page.locator("header a.bell .bell-count")
    return int(badge.inner_text()) if badge.count() else 0


def _settled(page, journey, user_id: int) -> tuple[int, int]:
    """(the bell's number after a reload, the last message id) once the bell shows the
    stored unread count and no message came meanwhile: the app's tick (reminders, overdue
    actions) may add one at any moment."""
    for _ in range(5):
        last = _last_id(journey)
        page.reload()
        shown = _bell(page)
        if shown == _unread(journey, user_id) and _last_id(journey) == last:
            return shown, last
    raise AssertionError(f"the bell shows {shown}, {_unread(journey, user_id)} are unread")


def _unread(journey, user_id: int) -> int:
    with stored(journey) as db:
        return db.scalar(select(func.count(Notification.id)).where(
            Notification.user_id == user_id, Notification.read_at.is_(None)))


def _last_id(journey) -> int:
    with stored(journey) as db:
        return db.scalar(select(func.max(Notification.id))) or 0


def _new_rows(journey, user_id: int, after: int, upto: int | None = None) -> list[Notification]:
    """The person's messages with an id in (after, upto]."""
    with stored(journey) as db:
        rows = db.scalars(select(Notification).where(
            Notification.user_id == user_id, Notification.id > after,
            Notification.id <= (upto if upto is not None else 2**31 - 1))
            .order_by(Notification.id)).all()
        db.expunge_all()
        return rows


def _wait_sent(journey, notification_id: int, page) -> Notification:
    """The row once its e-mail is recorded as sent (the job commits right after the SMTP
    server accepted the message)."""
    for _ in range(50):
        with stored(journey) as db:
            row = db.get(Notification, notification_id)
            if row.mail_status != "queued":
                db.expunge(row)
                return row
        page.wait_for_timeout(200)
    raise AssertionError(f"notification {notification_id} still queued")


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def _parts(message: EmailMessage) -> dict[str, str]:
    """What a person or a mail client can read of an e-mail: every header, the text part,
    the HTML part (its entities decoded) and each PDF attachment's text."""
    text = message.get_body(preferencelist=("plain",))
    markup = message.get_body(preferencelist=("html",))
    parts = {
        "headers": "\n".join(f"{k}: {v}" for k, v in message.items()),
        "subject": str(message["Subject"]),
        "text": text.get_content() if text is not None else "",
        "html": html.unescape(markup.get_content()) if markup is not None else "",
    }
    for n, pdf in enumerate(_pdfs(message)):
        reader = PdfReader(io.BytesIO(pdf))
        parts[f"pdf {n}"] = "\n".join(p.extract_text() or "" for p in reader.pages)
    return {where: _nfc(what) for where, what in parts.items()}


def _pdfs(message: EmailMessage) -> list[bytes]:
    return [a.get_content() for a in message.iter_attachments()
            if a.get_content_type() == "application/pdf"]


def _addressed(message: EmailMessage, email: str, subject: str) -> bool:
    return email in str(message["To"]) and str(message["Subject"]) == subject


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_a_critical_fail_rings_and_mails_and_publishing_mails_the_owner_anonymously(
        journey, open_browser, lang):
    scene = _scene(journey)
    box = journey.mailbox
    critical_subject = CRITICAL[lang].format(name=scene.branch_name, code=scene.branch_code)
    published_subject = PUBLISHED[lang].format(name=scene.branch_name, code=scene.branch_code)

    # The manager at a desk and the owner on a phone, in the journey's language (their
    # e-mails come in the language they chose).
    manager = open_browser(phone=False, lang=lang)
    log_in(manager, journey, data.MANAGER[0])
    owner = open_browser(phone=True, lang=lang)
    log_in(owner, journey, scene.owner_email)
    manager_bell, before = _settled(manager, journey, scene.manager_id)

    # The shopper sends the visit with its critical question failed.
    shopper = open_browser(phone=True, lang=lang)
    log_in(shopper, journey, SHOPPER)
    shopper.goto(journey.url(f"/visits/{scene.visit_id}"))
    shopper.wait_for_selector("#visit-form[data-editable=true]")
    fill_visible_questions(shopper, choose={"GREET": "no"})
    shopper.wait_for_selector("#save-state.saved")
    shopper.locator("#submit-visit").click()
    shopper.wait_for_url(journey.url(f"/?sent={scene.visit_id}"))
    with stored(journey) as db:
        visit = db.get(Visit, scene.visit_id)
        assert (visit.status, visit.critical_fail) == ("submitted", True)

    # The manager's bell counts the new messages on the next page.
    new = _new_rows(journey, scene.manager_id, before)
    assert {"critical_fail", "visit_submitted"} <= {n.kind for n in new}
    (critical,) = [n for n in new if n.kind == "critical_fail"]
    assert (critical.delivery, critical.attachment_kind, critical.attachment_ref) == (
        "email", "visit_pdf", scene.visit_id)
    bell, last = _settled(manager, journey, scene.manager_id)
    assert bell == manager_bell + len(_new_rows(journey, scene.manager_id, before, last))
    assert bell >= manager_bell + 2

    # ... and the e-mail arrives at once, the visit's PDF attached.
    mail = box.wait_for(lambda m: _addressed(m, data.MANAGER[0], critical_subject), MAIL_WAIT)
    assert len([m for m in box.messages if _addressed(m, data.MANAGER[0], critical_subject)]) == 1
    (pdf,) = _pdfs(mail)
    assert pdf.startswith(b"%PDF")
    seen = _parts(mail)
    assert scene.branch_name in seen["pdf 0"]
    assert journey.url(f"/review/{scene.visit_id}") in seen["text"]
    critical = _wait_sent(journey, critical.id, manager)
    assert (critical.mail_status, critical.attempts, critical.last_error) == ("sent", 1, "")
    assert critical.sent_at is not None

    # The list, newest first: the critical fail is there, unread; marked read, the bell
    # goes down by one and the row holds when.
    manager.click("header a.bell")
    manager.wait_for_url(journey.url("/notifications"))
    item = manager.locator("ul.notices li.unread").filter(has_text=critical_subject)
    assert item.count() == 1
    screenshot(manager, f"notifications-{lang}-manager-list")
    bell, last = _settled(manager, journey, scene.manager_id)
    item.locator(f"form[action*='/notifications/{critical.id}/read'] [type=submit]").click()
    manager.wait_for_selector(f"ul.notices li.read:has(a[href$='/{critical.id}/open'])")
    after, upto = _settled(manager, journey, scene.manager_id)
    assert after == bell - 1 + len(_new_rows(journey, scene.manager_id, last, upto))
    with stored(journey) as db:
        assert db.get(Notification, critical.id).read_at is not None

    # Preferences: a kind turned to "only in the app", saved and stored.
    manager.goto(journey.url("/notifications/preferences"))
    manager.check("#kind-review_overdue-in_app")
    manager.locator("main form.card [type=submit]").click()
    manager.wait_for_url(journey.url("/notifications/preferences"))
    assert SAVED[lang] in manager.locator(".flash").first.inner_text()
    assert manager.locator("#kind-review_overdue-in_app").is_checked()
    with stored(journey) as db:
        choices = db.scalars(select(NotificationPreference.choices).where(
            NotificationPreference.user_id == scene.manager_id)).one()
        assert choices["review_overdue"] == "in_app"

    # The manager publishes the visit; the branch's owner hears of it.
    owner_bell, before = _settled(owner, journey, scene.owner_id)
    manager.goto(journey.url(f"/review/{scene.visit_id}"))
    manager.locator("section.decide form[action$='/approve'] [type=submit]").click()
    manager.wait_for_url(journey.url("/review"))
    with stored(journey) as db:
        assert db.get(Visit, scene.visit_id).status == "approved"
    new = _new_rows(journey, scene.owner_id, before)
    (published,) = [n for n in new if n.kind == "visit_published"]
    bell, upto = _settled(owner, journey, scene.owner_id)
    assert bell == owner_bell + len(_new_rows(journey, scene.owner_id, before, upto)) > owner_bell
    owner.click("header a.bell")
    owner.wait_for_url(journey.url("/notifications"))
    assert owner.locator("ul.notices li.unread").filter(has_text=published_subject).count() == 1
    screenshot(owner, f"notifications-{lang}-owner-list")

    # The owner's e-mail, with the PDF, names the shopper nowhere.
    mail = box.wait_for(lambda m: _addressed(m, scene.owner_email, published_subject), MAIL_WAIT)
    assert len(_pdfs(mail)) == 1
    seen = _parts(mail)
    assert scene.branch_name in seen["pdf 0"]  # the PDF's text was read
    assert scene.branch_code in seen["html"] and scene.branch_code in seen["text"]
    for secret in (scene.shopper_name, scene.shopper_email):
        leaks = [where for where, what in seen.items() if _nfc(secret) in what]
        assert not leaks, f"{secret!r} in the owner's e-mail: {leaks}"
    assert _wait_sent(journey, published.id, owner).mail_status == "sent"

    # Its unsubscribe link, in a browser that never logged in: asked, confirmed, stored.
    link = re.search(r"\S+/notifications/unsubscribe/\S+", seen["text"]).group(0)
    assert link.startswith(journey.base)
    assert str(mail["List-Unsubscribe"]) == f"<{link}>"
    stranger = open_browser(phone=True, lang=lang)
    stranger.goto(link)
    assert scene.owner_email in stranger.locator("main").inner_text()
    stranger.locator("main form[method=post] [type=submit]").click()
    done = stranger.locator("main p[role=status]")
    done.wait_for()
    assert UNSUBSCRIBED[lang] in done.inner_text()
    with stored(journey) as db:
        choices = db.scalars(select(NotificationPreference.choices).where(
            NotificationPreference.user_id == scene.owner_id)).one()
        assert choices["visit_published"] == "in_app"
