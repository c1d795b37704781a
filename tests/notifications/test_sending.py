"""E-mail delivery against a real SMTP server (tests/support/mail.py): the message in the
recipient's language with its HTML and text parts, why it comes, the link, the unsubscribe
headers and the attachment; refusals retried with backoff; no server: the log."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest
from sqlalchemy import select

from audit.core.clock import utcnow
from audit.models.auth import User
from audit.models.notifications import Notification
from audit.notifications import Attachment, notify, outbox, sending

WHY = {
    "en": "You receive this because of your setting for",
    "vi": "Bạn nhận được thông báo này vì bạn đã chọn",
}

pytestmark = pytest.mark.usefixtures("test_templates")


def _assigned(shopper, session, **kw):
    row = notify(
        shopper,
        "visit_assigned",
        context={"branch": "A00 branch"},
        link="/visits/12",
        dedupe_key=kw.pop("key", "visit:12"),
        **kw,
    )
    session.commit()
    return row


def _parts(message):
    return {
        part.get_content_type(): part.get_content()
        for part in message.walk()
        if not part.is_multipart() and part.get_content_disposition() != "attachment"
    }


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_an_email_arrives_in_the_recipients_language_with_both_parts(
    world, session, mailbox, lang, app
):
    shopper = world.people.shopper
    shopper.locale = lang
    row = _assigned(shopper, session)
    assert sending.send_due() == 1
    message = mailbox.only()
    assert message["To"] == shopper.email
    parts = _parts(message)
    assert set(parts) == {"text/plain", "text/html"}
    from flask_babel import force_locale

    from audit.labels import NOTICE_KIND

    with app.test_request_context(), force_locale(lang):
        label = str(NOTICE_KIND["visit_assigned"])
    assert message["Subject"] == f"{label}: A00 branch"
    for body in parts.values():
        assert WHY[lang] in " ".join(body.split())
        assert "http://127.0.0.1:5000/visits/12" in body
        assert "/notifications/unsubscribe/" in body
    assert ("Xin chào" if lang == "vi" else "Hello") in parts["text/plain"]
    unsubscribe = message["List-Unsubscribe"]
    assert unsubscribe.startswith("<http://127.0.0.1:5000/notifications/unsubscribe/")
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    session.refresh(row)
    assert (row.mail_status, row.attempts, row.last_error) == ("sent", 1, "")
    assert row.sent_at is not None


def test_the_attachment_is_made_at_send_time_for_the_recipient(
    world, session, mailbox, pdf_renderer
):
    shopper = world.people.shopper
    _assigned(shopper, session, attachment=Attachment("test_pdf", 7))
    assert pdf_renderer == []  # nothing rendered in the action's transaction
    sending.send_due()
    assert pdf_renderer == [(shopper.id, 7)]
    files = [p for p in mailbox.only().iter_attachments()]
    assert [(f.get_filename(), f.get_content_type(), f.get_content()) for f in files] == [
        ("visit-7.pdf", "application/pdf", b"%PDF-1.4 test 7")
    ]


def test_a_refusing_server_is_retried_with_backoff_until_sent(world, session, mailbox):
    shopper = world.people.shopper
    shopper.name = "Renamed by the action"  # the action that causes the message
    row = _assigned(shopper, session)
    mailbox.refuse(2, 451)
    start = utcnow()
    assert sending.send_due(start) == 0
    session.refresh(row)
    assert (row.mail_status, row.attempts) == ("queued", 1)
    assert "451" in row.last_error
    assert row.next_attempt_at == start + timedelta(minutes=1)
    assert sending.send_due(start + timedelta(seconds=30)) == 0  # not due yet
    session.refresh(row)
    assert row.attempts == 1
    assert sending.send_due(start + timedelta(minutes=1)) == 0  # refused again
    session.refresh(row)
    assert row.attempts == 2 and row.next_attempt_at == start + timedelta(minutes=6)
    assert sending.send_due(start + timedelta(minutes=6)) == 1
    session.refresh(row)
    assert (row.mail_status, row.attempts, row.last_error) == ("sent", 3, "")
    assert len(mailbox.messages) == 1
    session.expire_all()
    assert session.get(User, shopper.id).name == "Renamed by the action"  # still committed


def test_a_message_refused_for_good_ends_failed_after_its_retries(world, session, mailbox):
    row = _assigned(world.people.shopper, session)
    mailbox.refuse(10, 550)
    moment = utcnow()
    for minutes in (0, 1, 5, 30):
        moment += timedelta(minutes=minutes)
        sending.send_due(moment)
    session.refresh(row)
    assert (row.mail_status, row.attempts, row.next_attempt_at) == ("failed", 4, None)
    assert "550" in row.last_error
    assert sending.send_due(moment + timedelta(days=1)) == 0
    assert mailbox.messages == []


def test_a_failure_while_composing_is_kept_and_never_raised(world, session, monkeypatch):
    row = _assigned(world.people.shopper, session)

    def broken(_):
        raise RuntimeError("renderer exploded")

    monkeypatch.setattr(sending.compose, "message_for", broken)
    assert sending.send(row.id) is False
    session.refresh(row)
    assert (row.mail_status, row.attempts) == ("queued", 1)
    assert row.last_error == "RuntimeError: renderer exploded"


def test_without_a_mail_server_the_message_goes_to_the_log(
    world, session, app, caplog, monkeypatch
):
    monkeypatch.setitem(app.config, "MAIL_SERVER", None)
    shopper = world.people.shopper
    shopper.locale = "en"
    row = _assigned(shopper, session)
    with caplog.at_level(logging.INFO, logger="audit.notifications.mailer"):
        assert sending.send_due() == 1
    logged = caplog.text
    assert shopper.email in logged and "A visit is assigned to me: A00 branch" in logged
    assert "http://127.0.0.1:5000/visits/12" in logged  # the text part
    session.refresh(row)
    assert row.mail_status == "logged"


def test_the_queue_gets_the_message_only_after_the_commit(world, session, monkeypatch):
    handed = []
    monkeypatch.setattr(sending, "enqueue", handed.append)
    row = notify(world.people.shopper, "visit_assigned", context={}, link="/visits/1")
    session.flush()
    assert handed == []
    session.commit()
    assert handed == [row.id]
    notify(
        world.people.shopper,
        "visit_assigned",
        context={},
        link="/visits/2",
        dedupe_key="rolled back",
    )
    session.flush()
    session.rollback()
    session.commit()
    assert handed == [row.id]
    assert session.scalars(
        select(Notification.link).filter_by(user_id=world.people.shopper.id)
    ).all() == ["/visits/1"]
    assert outbox.KEY not in session.info


def test_a_queue_that_is_down_does_not_fail_the_action(world, session, monkeypatch):
    def down(_):
        raise ConnectionError("redis is down")

    monkeypatch.setattr(sending, "enqueue", down)
    notify(world.people.shopper, "visit_assigned", context={}, link="/visits/1")
    session.commit()  # no exception: the tick sends it later
    assert session.scalar(select(Notification.mail_status)) == "queued"


def test_hostile_values_stay_text_in_the_email(world, session, mailbox):
    """A branch name with markup and a line break (a manager's typing, an import) cannot add
    a header nor markup: the subject stays one line, the HTML shows the text escaped."""
    hostile = 'A00 <script>alert(1)</script>\r\nBcc: thief@example.test'
    row = notify(world.people.shopper, "visit_assigned", context={"branch": hostile},
                 link="/visits/12", dedupe_key="hostile")
    session.commit()
    assert sending.send_due() == 1
    message = mailbox.only()
    assert message["Bcc"] is None
    assert "\n" not in message["Subject"] and "Bcc: thief" in message["Subject"]
    html = _parts(message)["text/html"]
    assert "<script>" not in html and "&lt;script&gt;" in html
    session.refresh(row)
    assert row.mail_status == "sent"



def test_a_long_vietnamese_subject_keeps_every_space(app):
    """Folded into several encoded words, a subject still reads as written. Python's own
    folding cut it at a space, which readers then drop: the journey's owner read "Kết quả
    lượt khảo sát đã côngbố: Sao Mai Sơn Trà (DN02)"."""
    from email import policy
    from email.parser import BytesParser

    from audit.notifications.mailer import Message

    sentence = "Sao Mai Sơn Trà kết quả lượt khảo sát đã công bố cho chi nhánh Đà Nẵng"
    words = sentence.split()
    labels = ("Kết quả lượt khảo sát đã công bố", "Được giao lượt khảo sát", "Lượt khảo sát mới")
    subjects = [
        f"{label}: {' '.join(words[:n])} (DN02)"
        for label in labels
        for n in range(1, len(words) + 1)
    ]
    read = []
    with app.app_context():
        for subject in subjects:
            raw = Message(
                subject=subject,
                recipients=["x@example.test"],
                sender="a@example.test",
                body="b",
                html="<p>b</p>",
            ).as_bytes()
            read.append(str(BytesParser(policy=policy.default).parsebytes(raw)["Subject"]))
    assert read == subjects
