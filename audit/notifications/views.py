"""The bell's pages: the person's messages, their preferences, the unsubscribe link of an
e-mail (no log-in), and the administrator's delivery log."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from audit import access
from audit.ids import id_or_none
from audit.models.notifications import MAIL_STATUSES
from audit.notifications import labels, operations, service
from audit.vocabulary import DELIVERIES

bp = Blueprint("notifications", __name__, url_prefix="/notifications")


def _page() -> int:
    return id_or_none(request.args.get("page")) or 1


def _inside(link: str) -> str:
    """Only a path of this app: a stored link never sends anyone elsewhere."""
    return link if link.startswith("/") and not link.startswith("//") else "/"


@bp.get("")
@access.require(access.has_notifications)
def index():
    """The person's messages, newest first, unread marked."""
    pagination, items = service.page(current_user, _page())
    return render_template("notifications/index.html", items=items, pagination=pagination)


@bp.get("/<int:notification_id>/open")
@access.require(access.has_notifications)
def open_(notification_id: int):
    """Follow a message's link; opening it marks it read."""
    return redirect(_inside(operations.open_link(current_user, notification_id)))


@bp.post("/<int:notification_id>/read")
@access.require(access.has_notifications)
def read(notification_id: int):
    operations.mark_read(current_user, notification_id)
    return redirect(url_for(".index", page=_page()))


@bp.post("/read-all")
@access.require(access.has_notifications)
def read_all():
    operations.mark_all_read(current_user)
    flash(_("Every message is marked as read."), "success")
    return redirect(url_for(".index"))


@bp.route("/preferences", methods=["GET", "POST"])
@access.require(access.has_notifications)
def preferences():
    """Per kind reaching the person: e-mail at once, daily digest, or in the app only."""
    if request.method == "POST":
        wanted = {
            c.kind: request.form.get(f"kind-{c.kind}", c.chosen)
            for c in service.preferences(current_user)
        }
        operations.save_preferences(current_user, wanted)
        flash(_("Your choices are saved."), "success")
        return redirect(url_for(".preferences"))
    return render_template(
        "notifications/preferences.html",
        choices=service.preferences(current_user),
        deliveries=DELIVERIES,
    )


@bp.route("/unsubscribe/<token>", methods=["GET", "POST"])
def unsubscribe(token: str):
    """GET asks to confirm (a mail scanner that follows links changes nothing); POST turns
    the e-mail off, from the page's button or a mail client's one-click (RFC 8058)."""
    if request.method == "POST":
        target = operations.unsubscribe(token)
        return render_template("notifications/unsubscribe.html", target=target, done=True)
    return render_template(
        "notifications/unsubscribe.html",
        token=token,
        done=False,
        target=service.unsubscribe_target(token),
    )


# The link's signature is its authority and a mail client's one-click POST carries no
# CSRF token (nor a session): the app's CSRF guard skips views marked so.
unsubscribe.signed_link = True


@bp.get("/deliveries")
@access.require(access.can_read_delivery_log)
def deliveries():
    """The delivery log: every message, its e-mail's status, attempts and last error."""
    status = request.args.get("status") or None
    status = status if status in MAIL_STATUSES else None
    pagination = service.delivery_log(status, _page())
    return render_template(
        "notifications/deliveries.html",
        pagination=pagination,
        status=status,
        statuses=MAIL_STATUSES,
        mail_status=labels.MAIL_STATUS,
    )
