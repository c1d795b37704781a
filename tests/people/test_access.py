"""Who may manage whom in the People area: exact sets per role, forged ids answer 404."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from audit import access
from audit.core.clock import utcnow
from audit.errors import OutOfScope
from audit.models.auth import User
from audit.people import operations


@pytest.fixture
def people(world, make_user):
    """The world's people and a franchise owner of brand B."""
    p = world.people
    p.b_owner = make_user("franchise_owner", franchisee=world.b.franchisee)
    return p


def _ids(session, query) -> set[int]:
    return set(session.scalars(query.with_only_columns(User.id)))


def test_people_query_per_role(session, people):
    everyone = set(session.scalars(select(User.id)))
    assert _ids(session, access.people_query(people.admin)) == everyone
    assert _ids(session, access.people_query(people.manager)) == {people.owner.id,
                                                                   people.other_owner.id}
    assert _ids(session, access.people_query(people.other_manager)) == {people.b_owner.id}
    for role in ("owner", "other_owner", "shopper", "b_owner"):
        assert _ids(session, access.people_query(getattr(people, role))) == set(), role


def test_who_opens_the_people_area_and_creates_which_roles(people):
    assert [access.can_manage_people(getattr(people, r)) for r in
            ("admin", "manager", "owner", "shopper")] == [True, True, False, False]
    assert access.creatable_roles(people.admin) == (
        "shopper", "franchise_owner", "quality_manager", "admin")
    assert access.creatable_roles(people.manager) == ("franchise_owner",)
    assert access.creatable_roles(people.owner) == ()
    assert access.creatable_roles(people.shopper) == ()


def test_a_manager_manages_only_their_brands_owners(people):
    manager = people.manager
    expected = {"owner": True, "other_owner": True, "b_owner": False, "admin": False,
                "manager": False, "other_manager": False, "shopper": False,
                "other_shopper": False}
    assert {name: access.can_manage_person(manager, getattr(people, name))
            for name in expected} == expected


def test_an_admin_manages_everyone_but_never_deactivates_themselves(people, make_user):
    admin, second_admin = people.admin, make_user("admin")
    assert all(access.can_manage_person(admin, getattr(people, name)) for name in
               ("admin", "manager", "other_manager", "owner", "b_owner", "shopper"))
    assert access.can_deactivate(admin, admin) is False
    assert access.can_deactivate(admin, second_admin) is True
    assert access.can_deactivate(people.manager, people.owner) is True
    assert access.can_deactivate(people.manager, people.b_owner) is False


def test_an_erased_account_is_seen_but_not_changed(session, people):
    people.owner.erased_at = utcnow()
    session.flush()
    assert access.person_for(people.manager, people.owner.id) is people.owner
    assert access.can_manage_person(people.manager, people.owner) is False
    assert access.can_manage_person(people.admin, people.owner) is False


@pytest.mark.parametrize("target", ["b_owner", "admin", "other_manager", "manager",
                                    "shopper"])
def test_forged_ids_are_not_found_for_a_manager(people, target):
    with pytest.raises(OutOfScope):
        access.person_for(people.manager, getattr(people, target).id)


def test_unknown_and_out_of_role_ids_are_not_found(people):
    with pytest.raises(OutOfScope):
        access.person_for(people.admin, 2**31 - 1)
    with pytest.raises(OutOfScope):
        access.person_for(people.owner, people.owner.id)


def test_nobody_deactivates_themselves_even_past_the_page(session, people):
    admin = people.admin
    changes = operations.PersonChanges(name=admin.name, locale="vi", active=False)
    with pytest.raises(operations.PersonError) as refused:
        operations.update_person(admin, changes, admin)
    assert (refused.value.field, refused.value.problem) == ("active",
                                                            operations.SELF_DEACTIVATION)
    assert admin.active is True  # refused before anything changed
