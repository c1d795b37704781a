"""Notifications: telling people what happened, under the bell and by e-mail.

Features announce an event by calling `notify(user, kind, ...)` for each person it
concerns, inside the transaction of the action that caused it. The person's scope and
privacy are the caller's to respect (an owner's message never names a shopper); this
package decides only how the message reaches them and never makes the action fail."""

from audit.notifications import outbox  # noqa: F401 - e-mails are queued after the commit
from audit.notifications.core import Attachment, notify, register_attachment
from audit.notifications.schedule import periodic

__all__ = ["Attachment", "notify", "periodic", "register_attachment"]
