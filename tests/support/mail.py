"""A real SMTP server for the tests: aiosmtpd on 127.0.0.1 and a free port, started once per
run (per xdist worker), keeping every message it accepts, parsed.

    def test_x(mailbox):            # the app's MAIL_SERVER points at it for the test
        ... send ...
        message = mailbox.only()    # an email.message.EmailMessage
        mailbox.refuse(2, 451)      # the next two messages are refused with 451

`mailbox` empties the box and forgets refusals at each test's start.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser

import pytest


class Mailbox:
    """What the server received, and the refusals it was told to answer."""

    def __init__(self, port: int) -> None:
        self.host, self.port = "127.0.0.1", port
        self.messages: list[EmailMessage] = []
        self.envelopes: list[tuple[str, list[str]]] = []
        self._refusals: list[int] = []
        self._lock = threading.Lock()

    # The aiosmtpd handler's hook: runs in the server's thread.
    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: ANN001, N802
        with self._lock:
            if self._refusals:
                code = self._refusals.pop(0)
                return f"{code} Refused by the test server"
            self.messages.append(
                BytesParser(policy=policy.default).parsebytes(
                    envelope.original_content or envelope.content
                )
            )
            self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        return "250 OK"

    def refuse(self, count: int, code: int = 451) -> None:
        """Answer `code` (451: try later, 550: refused) to the next `count` messages."""
        with self._lock:
            self._refusals = [code] * count

    def clear(self) -> None:
        with self._lock:
            self.messages.clear()
            self.envelopes.clear()
            self._refusals.clear()

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages if address in str(m["To"])]

    def wait_for(self, match: Callable[[EmailMessage], bool],
                 timeout: float = 30.0) -> EmailMessage:
        """The first message `match` accepts, waiting up to `timeout` seconds for it to
        arrive (a served app sends from its job queue, after the request answered)."""
        deadline = time.monotonic() + timeout
        while True:
            with self._lock:
                found = next((m for m in self.messages if match(m)), None)
            if found is not None:
                return found
            if time.monotonic() > deadline:
                with self._lock:
                    seen = [(str(m["To"]), str(m["Subject"])) for m in self.messages]
                raise AssertionError(f"no such e-mail within {timeout:.0f} s; received: {seen}")
            time.sleep(0.2)

    def only(self) -> EmailMessage:
        assert len(self.messages) == 1, [m["Subject"] for m in self.messages]
        return self.messages[0]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def serving() -> Iterator[Mailbox]:
    """An SMTP server of its own (aiosmtpd's threaded controller) while the block runs: the
    journeys give each served app one, so what a server sends in the background never
    reaches another test's box."""
    from aiosmtpd.controller import Controller

    box = Mailbox(_free_port())
    controller = Controller(box, hostname=box.host, port=box.port)
    controller.start()
    try:
        yield box
    finally:
        controller.stop()


@pytest.fixture(scope="session")
def smtp_server() -> Iterator[Mailbox]:
    """The run's SMTP server."""
    with serving() as box:
        yield box


@pytest.fixture
def mailbox(app, smtp_server, monkeypatch) -> Mailbox:
    """The app sends to the test server for this test; the box starts empty."""
    smtp_server.clear()
    monkeypatch.setitem(app.config, "MAIL_SERVER", smtp_server.host)
    monkeypatch.setitem(app.config, "MAIL_PORT", smtp_server.port)
    monkeypatch.setitem(app.config, "MAIL_USE_TLS", False)
    monkeypatch.setitem(app.config, "MAIL_TIMEOUT", 5)
    return smtp_server
