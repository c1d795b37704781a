"""The visit read model: the role table (what each role sees, an owner never the shopper,
staff details only where the brand records them) and its one eager-loading recipe (a fixed
number of queries whatever the number of answers and photos)."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Mapping
from typing import Any

import pytest

from audit import access
from audit.errors import OutOfScope
from audit.models.visits import Photo, Visit
from audit.visits import operations, read_model
from audit.visits.read_model import ROLE_FIELDS
from tests.privacy.conftest import STAFF_TEXT, answer_items
from tests.support import assert_queries_flat
from tests.visits.conftest import EDIT_REASON, NARRATIVE, NOTES

PEOPLE = {
    "shopper": "shopper",
    "quality_manager": "manager",
    "franchise_owner": "owner",
    "admin": "admin",
}
# role -> (fields shown with a value, fields never shown)
TABLE = {
    "shopper": (
        {
            "answers",
            "edits",
            "photos",
            "scores",
            "facts",
            "narrative",
            "reviewer_comment",
            "sections",
        },
        {"shopper", "editor_names", "flags", "timeline", "photo_flags"},
    ),
    "quality_manager": (
        {
            "answers",
            "edits",
            "photos",
            "scores",
            "facts",
            "narrative",
            "reviewer_comment",
            "sections",
            "shopper",
            "editor_names",
            "timeline",
        },
        set(),
    ),
    "franchise_owner": (
        {
            "answers",
            "edits",
            "photos",
            "scores",
            "facts",
            "narrative",
            "reviewer_comment",
            "sections",
        },
        {"shopper", "editor_names", "flags", "timeline", "check_in", "photo_flags"},
    ),
    "admin": (
        {
            "answers",
            "edits",
            "photos",
            "scores",
            "facts",
            "narrative",
            "reviewer_comment",
            "sections",
            "shopper",
            "editor_names",
            "timeline",
        },
        set(),
    ),
}
VALUE = {  # how a field of the view reads when it is shown and filled
    "answers": lambda v: v.answers,
    "edits": lambda v: v.edits,
    "photos": lambda v: v.photos,
    "scores": lambda v: v.scores is not None and v.scores.scored,
    "facts": lambda v: v.facts,
    "narrative": lambda v: v.narrative == NARRATIVE,
    "reviewer_comment": lambda v: v.reviewer_comment == NOTES,
    "sections": lambda v: v.sections,
    "shopper": lambda v: v.shopper is not None and v.shopper.name == "Nguyễn Bí Mật",
    "editor_names": lambda v: all(e.by for edits in v.edits.values() for e in edits),
    "flags": lambda v: v.flags,
    "timeline": lambda v: v.timeline,
    "check_in": lambda v: v.check_in,
    "photo_flags": lambda v: any(p.flags for p in v.photos),
}


def strings(value: Any) -> Iterator[str]:
    """Every text inside a view, nested dataclasses, mappings and tuples included (the
    checklist's question records are the same for every reader and are skipped)."""
    if isinstance(value, str):
        yield value
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for f in dataclasses.fields(value):
            yield from strings(getattr(value, f.name))
    elif isinstance(value, Mapping):
        for key, item in value.items():
            yield from strings(key)
            yield from strings(item)
    elif isinstance(value, (tuple, list, set, frozenset)):
        for item in value:
            yield from strings(item)


def test_the_table_names_every_role_and_agrees_with_the_access_rules(world):
    assert set(ROLE_FIELDS) == set(PEOPLE)
    for role, name in PEOPLE.items():
        user = getattr(world.people, name)
        fields = ROLE_FIELDS[role]
        assert ("shopper" in fields) == access.can_see_shopper(user)
        assert ("editor_names" in fields) == access.can_see_reviewer(user)
        assert read_model.SHOPPER_IDENTITY.isdisjoint(ROLE_FIELDS["franchise_owner"])
        assert fields <= {f.name for f in dataclasses.fields(read_model.VisitView)} | {
            "editor_names",
            "photo_flags",
        }


@pytest.mark.parametrize("role", list(TABLE))
def test_each_role_sees_its_fields_and_no_other(role, world, seen_visit):
    visit = seen_visit()
    user = getattr(world.people, PEOPLE[role])
    view = read_model.visit_view(user, visit.id)
    present, absent = TABLE[role]
    assert view.seen == ROLE_FIELDS[role]
    for name in present:
        assert VALUE[name](view), f"{role} should see {name}"
    for name in absent:
        assert not view.shows(name) and not VALUE[name](view), f"{role} must not see {name}"
    assert [e.reason for e in view.edits["P1.1"]] == [EDIT_REASON]
    with pytest.raises(dataclasses.FrozenInstanceError):
        view.status = "assigned"


def test_an_owner_gets_no_shopper_identity_anywhere(world, seen_visit):
    visit = seen_visit()
    shopper = world.people.shopper
    view = read_model.visit_view(world.people.owner, visit.id)
    texts = list(strings(view))
    assert texts and not [t for t in texts if shopper.name in t or shopper.email in t]
    assert not [t for t in texts if world.people.manager.name in t]  # "the quality team"
    assert view.shopper is None and view.check_in is None
    assert all(e.by is None for edits in view.edits.values() for e in edits)


@pytest.mark.parametrize("role", list(TABLE))
@pytest.mark.parametrize("capture", [True, False])
def test_staff_details_follow_the_brands_setting(role, capture, world, seen_visit):
    visit = seen_visit(capture)
    view = read_model.visit_view(getattr(world.people, PEOPLE[role]), visit.id)
    texts = " ".join(strings(view))
    assert (STAFF_TEXT in texts) is capture
    assert ("STAFF" in view.staff_hidden) is not capture
    assert ("staff_description" in view.recorded_facts) is capture
    assert (("staff_description", "text", STAFF_TEXT) in view.facts) is capture
    assert ("STAFF" in view.answers) and (view.answers["STAFF"].value is None) is not capture


def test_out_of_scope_is_the_domain_error(world, seen_visit, make_visit):
    visit = seen_visit()
    unpublished = make_visit(branch=world.a.branches[0])
    with pytest.raises(OutOfScope):
        read_model.visit_view(world.people.other_owner, visit.id)  # another franchisee
    with pytest.raises(OutOfScope):
        read_model.visit_view(world.people.owner, unpublished.id)  # not published
    with pytest.raises(OutOfScope):
        read_model.visit_view(world.people.other_shopper, visit.id)
    with pytest.raises(OutOfScope):
        read_model.visit_view(world.people.other_manager, visit.id)  # another brand


@pytest.mark.parametrize("who", ["manager", "admin", "shopper"])
def test_loading_a_view_costs_the_same_queries_with_more_photos_and_answers(
    who, world, seen_visit, make_visit, session, count_queries
):
    """A visit with two answers and no photo, then one with every answer, a reviewer's
    change and five photos: the same statements."""
    user = getattr(world.people, who)
    few = make_visit(branch=world.a.branches[0])
    operations.save_answers(few, answer_items(few)[:2], world.people.shopper)
    many = seen_visit()
    questions = {q.code: q for q in many.checklist_version.ordered_questions()}
    for n, code in enumerate(("P1.2", "P2.1", None, "P1.1")):
        session.add(
            Photo(
                visit=many,
                question=questions.get(code),
                caption=f"Ảnh {n}",
                storage_key=f"test/read-model-{many.id}-{n}.jpg",
                content_type="image/jpeg",
                flags=["similar"],
            )
        )
    session.flush()
    counts, views = [], []
    for visit_id in (few.id, many.id, few.id):  # the first load of a session warms nothing
        session.expire_all()
        _ = user.role, user.brand_id  # the logged-in user is loaded before any page
        with count_queries() as counted:
            views.append(read_model.visit_view(user, visit_id))
        counts.append(counted.count)
    # The visit with its branch, brand, campaign, shopper and check-in; answers; photos;
    # sections; questions; the log of answer changes.
    assert counts == [6, 6, 6], counts
    assert len(views[0].answers) == 2 and len(views[1].photos) == 5
    assert len(views[1].answers) > 10


def test_a_list_of_views_costs_the_same_queries_with_more_visits(
    world, seen_visit, session, count_queries
):
    seen_visit()
    manager = world.people.manager
    query = access.visits_query(manager).order_by(Visit.id)

    def fetch():
        session.expire_all()
        return read_model.views_query(manager, query)

    before, after = assert_queries_flat(
        count_queries, fetch, lambda: [seen_visit() for _ in range(2)]
    )
    assert len(after) == len(before) + 2
    assert all(v.answers and v.edits for v in after)
