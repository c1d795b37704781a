"""Who hears of a dispute: the brand's managers when an owner opens one (they decide it),
the owners of the branch when it is decided (accepted or rejected, with the reason). The
owners' message says "the quality team" decided, as the portal does, and never names the
shopper or the manager."""

from __future__ import annotations

from typing import Any

from audit.i18n import LANGUAGES
from audit.models.disputes import Dispute
from audit.notifications import notify
from audit.notifications.audience import path_for, visit_managers, visit_owners
from audit.notifications.facts import visit_facts


def _question(dispute: Dispute) -> dict[str, Any]:
    text = dispute.question.text or {}
    return {
        "question_code": dispute.question.code,
        "question": {lang: text.get(lang, "") for lang in LANGUAGES},
    }


def announce_opened(dispute: Dispute) -> None:
    """Tell the brand's managers an answer is disputed, with the owner's comment."""
    visit = dispute.visit
    context = {
        **visit_facts(visit, with_scores=True),
        **_question(dispute),
        "dispute_id": dispute.id,
        "comment": dispute.comment,
        "opened_by": dispute.opened_by.name,
    }
    for manager in visit_managers(visit):
        notify(
            manager,
            "dispute_opened",
            context=context,
            link=path_for("disputes.resolve", dispute_id=dispute.id),
            dedupe_key=f"dispute:{dispute.id}:opened",
        )


def announce_resolved(dispute: Dispute) -> None:
    """Tell the branch's owners the decision and its reason (and the new score)."""
    visit = dispute.visit
    context = {
        **visit_facts(visit, with_scores=True),
        **_question(dispute),
        "dispute_id": dispute.id,
        "decision": dispute.status,
        "reason": dispute.resolution_reason,
    }
    for owner in visit_owners(visit):
        notify(
            owner,
            "dispute_resolved",
            context=context,
            link=path_for("portal.visit", visit_id=visit.id),
            dedupe_key=f"dispute:{dispute.id}:resolved",
        )
