"""The review flags live with the visit (`audit/visits/flags.py`), where the visit read model
builds them for the roles that see them; this name stays for the review queue's readers."""

from audit.visits.flags import (  # noqa: F401 - re-exported
    FAST_MINUTES,
    FAST_SECONDS_PER_ANSWER,
    FLAGS,
    asked_to_check_in,
    fill_seconds,
    missing_evidence,
    review_flags,
    timeline,
    visit_minutes,
)
