"""Database constraints and the frozen published checklist versions."""

from __future__ import annotations

import pytest
from sqlalchemy.exc import IntegrityError

from audit.models.auth import User
from audit.models.checklists import PublishedVersionError
from audit.models.orgs import Brand


def test_brand_weights_must_sum_to_100(session):
    session.add(Brand(code="w", name="W", weight_tangibles=50))
    with pytest.raises(IntegrityError):
        session.flush()


def test_manager_needs_a_brand(session):
    session.add(User(email="m@x.test", name="M", role="quality_manager", password_hash="x"))
    with pytest.raises(IntegrityError):
        session.flush()


def test_owner_needs_a_franchisee(session):
    session.add(User(email="o@x.test", name="O", role="franchise_owner", password_hash="x"))
    with pytest.raises(IntegrityError):
        session.flush()


def test_unknown_role_is_refused(session):
    session.add(User(email="r@x.test", name="R", role="superuser", password_hash="x"))
    with pytest.raises(IntegrityError):
        session.flush()


def test_published_question_cannot_change(session, world):
    version = world.a.versions["servqual-branch"]
    question = version.ordered_questions()[0]
    question.points = 5
    with pytest.raises(PublishedVersionError):
        session.flush()
    session.rollback()


def test_published_version_cannot_gain_a_section(session, world):
    from audit.models.checklists import Section

    version = world.a.versions["servqual-branch"]
    session.add(Section(version=version, position=99, code="extra", title={"en": "x"}))
    with pytest.raises(PublishedVersionError):
        session.flush()
    session.rollback()


def test_bundled_checklists_are_loaded_bilingual(world):
    versions = world.a.versions
    assert set(versions) == {"servqual-branch", "care-protocol-in-person", "phone-call-audit"}
    for version in versions.values():
        assert version.is_published
        for question in version.ordered_questions():
            assert question.text.get("vi") and question.text.get("en"), question.code
    servqual = [q.code for q in versions["servqual-branch"].ordered_questions()]
    assert servqual[:4] == ["T1", "T2", "T3", "T4"]


def test_loaded_version_lists_each_question_once(world):
    for version in world.a.versions.values():
        codes = [q.code for q in version.ordered_questions()]
        assert len(codes) == len(set(codes))
