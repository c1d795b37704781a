"""Handing one composed e-mail to the SMTP server through Flask-Mail, or to the log when
no MAIL_SERVER is set (so `make run` works without one). Settings are read at send time,
so a test can point the app at its own server."""

from __future__ import annotations

import logging
import smtplib
from email import policy
from email.header import Header
from email.mime.base import MIMEBase

import flask_mail
from flask import current_app
from flask_mail import Connection

from audit.extensions import mail

log = logging.getLogger(__name__)
SENT, LOGGED = "sent", "logged"


class Message(flask_mail.Message):
    """Flask-Mail's message whose subject keeps every space. Python folds a long non-ASCII
    subject at a space between two encoded words, and a reader drops the space there
    (RFC 2047: white space between encoded words is ignored): "đã công bố" arrived as
    "đã côngbố". Here the encoded words are cut inside the text, each keeping its spaces."""

    def _message(self) -> MIMEBase:
        msg = super()._message()
        if self.subject and not self.subject.isascii():
            encoded = Header(self.subject, "utf-8", header_name="Subject").encode(
                splitchars="", linesep="\r\n"
            )
            msg.policy = policy.compat32  # stores the folded value as it is
            msg.replace_header("Subject", encoded)
            msg.policy = policy.SMTP
        return msg


class _TimedConnection(Connection):
    """Flask-Mail's connection with a socket timeout (its own waits for ever)."""

    def __init__(self, state, timeout: float) -> None:  # noqa: ANN001 - flask_mail._Mail
        super().__init__(state)
        self.timeout = timeout

    def configure_host(self) -> smtplib.SMTP | smtplib.SMTP_SSL:
        state = self.mail
        kind = smtplib.SMTP_SSL if state.use_ssl else smtplib.SMTP
        host = kind(state.server, state.port, timeout=self.timeout)
        if state.use_tls:
            host.starttls()
        if state.username and state.password:
            host.login(state.username, state.password)
        return host


def deliver(message: Message) -> str:
    """Send `message`; SENT, or LOGGED without a mail server. SMTP refusals raise."""
    config = current_app.config
    if not config.get("MAIL_SERVER"):
        log.info(
            "e-mail not sent (no MAIL_SERVER) to %s: %s\n%s",
            ", ".join(message.recipients),
            message.subject,
            message.body,
        )
        return LOGGED
    state = mail.init_mail(config, current_app.debug, current_app.testing)
    with _TimedConnection(state, float(config.get("MAIL_TIMEOUT", 30))) as connection:
        connection.send(message)
    return SENT
