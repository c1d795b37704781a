"""A visit's stored scores read back typed (`Visit.score_record`) exactly as they were
written, through the database's JSON column; the published status in Python and SQL."""

from __future__ import annotations

from sqlalchemy import select

from audit.models.visits import Visit
from audit.scoring.stored import Basis, StoredScores
from audit.visits import operations, scores
from audit.vocabulary import DIMENSIONS, PUBLISHED, STEPS


def test_the_stored_record_reads_back_what_was_written(session, world, make_visit):
    visit = make_visit(status="in_progress")
    assert visit.score_record is StoredScores.EMPTY and visit.score_record.to_json() is None
    questions = visit.checklist_version.ordered_questions()
    first_yes_no = next(q for q in questions if q.kind == "yes_no" and not q.condition)
    operations.save_answers(visit, [{"question": first_yes_no.code,
                                     "value": first_yes_no.no_passes}], world.people.shopper)
    result = scores.store(visit)
    session.flush()
    session.expire(visit)

    record = visit.score_record
    assert record.to_json() == visit.scores
    assert record.scored and record.overall == visit.score_overall == result.overall
    assert record.critical_fail == visit.critical_fail
    assert record.servqual_index == visit.servqual_index
    assert all(record.dimensions[d] == getattr(visit, f"score_{d}") for d in DIMENSIONS)
    assert all(record.steps[str(s)] == getattr(visit, f"score_step_{s}") for s in STEPS)
    assert record.basis == Basis(world.a.brand.servqual_weights,
                                 visit.checklist_version.critical_policy)
    assert [row.code for row in record.questions] == [q.code for q in questions]
    row = record.question(first_yes_no.code)
    assert row.scored and row.earned == 0 and row.failed


def test_published_is_one_word_in_python_and_sql(session, make_visit):
    draft, published = make_visit(status="submitted"), make_visit(status=PUBLISHED)
    assert published.is_published and not draft.is_published
    assert session.scalars(select(Visit.id).where(Visit.is_published)).all() == [published.id]
