"""The action page's own forms, posted as the browser posts them (tests/pageform.py)."""

from __future__ import annotations

import pytest

from tests.pageform import page_form, submit
from tests.support import login


@pytest.mark.parametrize(("who", "moves"), [
    ("owner", ["in_progress", "done"]),
    ("manager", ["in_progress", "done", "verified"]),
])
def test_every_status_button_of_the_page_moves_the_action(client, world, action, session, who,
                                                          moves):
    login(client, getattr(world.people, who))
    page = f"/actions/{action.id}"
    for target in moves:
        response = submit(client, page, "/status", button=("target", target),
                          fill={"note": "fixed the sign"})
        assert response.status_code == 302, response.get_data(as_text=True)[:400]
        session.refresh(action)
        assert action.status == target


def test_the_edit_form_shows_and_keeps_the_person_responsible(client, world, action, session):
    action.assignee_id = world.people.owner.id
    session.commit()
    login(client, world.people.manager)
    page = f"/actions/{action.id}"
    form = page_form(client.get(page).get_data(as_text=True), "/edit")
    assert form.selected("assignee") == str(world.people.owner.id)
    response = submit(client, page, "/edit", fill={"title": "Greet every customer"})
    assert response.status_code == 302
    session.refresh(action)
    assert (action.title, action.assignee_id) == ("Greet every customer", world.people.owner.id)
