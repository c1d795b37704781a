"""Each word of the domain is defined once (audit/vocabulary.py): the status sets are made
of statuses, the labels name exactly the words, and the database accepts exactly them."""

from __future__ import annotations

import pytest

from audit import labels, vocabulary
from audit.actions import labels as action_labels
from audit.checklists import labels as checklist_labels
from audit.models.campaigns import Campaign
from audit.models.checklists import ChecklistVersion, Question
from audit.models.visits import Visit


def test_status_sets_are_made_of_visit_statuses():
    for name in ("SHOPPER_EDITABLE", "SENT", "WORKED", "COUNTED", "COUNTED_WITH_SUBMITTED"):
        assert set(getattr(vocabulary, name)) <= set(vocabulary.VISIT_STATUSES), name
    assert vocabulary.PUBLISHED == "approved"  # the stored value, kept from the first schema
    assert set(vocabulary.ACTION_UNRESOLVED) | set(vocabulary.ACTION_CLOSED) == set(
        vocabulary.ACTION_STATUSES)
    assert set(vocabulary.CONDITION_KINDS) <= set(vocabulary.SCORED_KINDS) <= set(
        vocabulary.KINDS)


@pytest.mark.parametrize(("table", "words"), [
    (labels.STATUS, vocabulary.VISIT_STATUSES),
    (labels.CHANNEL, vocabulary.CHANNELS),
    (labels.DIMENSION, vocabulary.DIMENSIONS),
    (labels.STEP, tuple(str(s) for s in vocabulary.STEPS)),
    (labels.CRITICAL_POLICY, vocabulary.CRITICAL_POLICIES),
    (labels.DISPUTE_STATUS, vocabulary.DISPUTE_STATUSES),
    (checklist_labels.KIND, vocabulary.KINDS),
    (checklist_labels.FACTOR, vocabulary.FACTORS),
    (checklist_labels.KPI, vocabulary.KPIS),
    (action_labels.STATUS, vocabulary.ACTION_STATUSES),
])
def test_labels_name_exactly_the_words(table, words):
    assert set(table) == set(words)


def test_a_label_table_missing_a_word_fails_at_once():
    with pytest.raises(KeyError):
        labels.keyed(("a", "b"), {"a": "A"})


def _check(model, name: str) -> str:
    return next(str(c.sqltext) for c in model.__table__.constraints
                if c.name is not None and c.name.endswith(f"_{name}"))


@pytest.mark.parametrize(("model", "name", "words"), [
    (Visit, "status", vocabulary.VISIT_STATUSES),
    (Visit, "channel", vocabulary.CHANNELS),
    (Question, "kind", vocabulary.KINDS),
    (Question, "dimension", vocabulary.DIMENSIONS),
    (ChecklistVersion, "channel", vocabulary.CHANNELS),
    (ChecklistVersion, "critical_policy", vocabulary.CRITICAL_POLICIES),
    (Campaign, "channel", vocabulary.CHANNELS),
])
def test_check_constraints_list_the_words(model, name, words):
    assert all(f"'{word}'" in _check(model, name) for word in words)
