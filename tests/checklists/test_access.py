"""Who may use the checklist editor: managers (their brand only) and admins; another
brand's records answer 404; owners and shoppers 403."""

from __future__ import annotations

import io

import pytest

from tests.support import login


def urls(world):
    version = world.b.versions["phone-call-audit"]
    section = version.sections[0]
    question = section.questions[0]
    return [
        ("get", f"/checklists/versions/{version.id}"),
        ("get", f"/checklists/versions/{version.id}/preview"),
        ("get", f"/checklists/versions/{version.id}/export?format=json"),
        ("post", f"/checklists/versions/{version.id}/draft"),
        ("post", f"/checklists/versions/{version.id}/publish"),
        ("post", f"/checklists/versions/{version.id}/delete"),
        ("post", f"/checklists/versions/{version.id}/settings"),
        ("post", f"/checklists/versions/{version.id}/sections"),
        ("post", f"/checklists/sections/{section.id}"),
        ("post", f"/checklists/sections/{section.id}/move"),
        ("post", f"/checklists/sections/{section.id}/delete"),
        ("get", f"/checklists/sections/{section.id}/questions/new"),
        ("get", f"/checklists/questions/{question.id}"),
        ("post", f"/checklists/questions/{question.id}"),
        ("post", f"/checklists/questions/{question.id}/move"),
        ("post", f"/checklists/questions/{question.id}/delete"),
    ]


EXPECTED = {"other_manager": 200, "admin": 200, "manager": 404, "owner": 403,
            "other_owner": 403, "shopper": 403}


@pytest.mark.parametrize("who", sorted(EXPECTED))
def test_brand_b_records_per_role(client, world, who):
    login(client, getattr(world.people, who))
    for method, url in urls(world):
        status = getattr(client, method)(url, data={"direction": "up"}).status_code
        expected = EXPECTED[who]
        if expected == 200:  # allowed: pages answer, changes redirect or refuse cleanly
            assert status in (200, 302, 409, 422), (url, status)
        else:
            assert status == expected, (url, status)


@pytest.mark.parametrize("who, status", [("manager", 200), ("admin", 200), ("owner", 403),
                                         ("shopper", 403)])
def test_list_and_create_pages_per_role(client, world, who, status):
    login(client, getattr(world.people, who))
    for url in ("/checklists", "/checklists/new", "/checklists/import"):
        assert client.get(url).status_code == status, url
    response = client.post("/checklists/import", data={"file": (io.BytesIO(b"x"), "x.yaml")},
                           content_type="multipart/form-data")
    assert response.status_code == (422 if status == 200 else 403)


def test_anonymous_is_sent_to_login(client, world):
    response = client.get("/checklists")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_manager_sees_only_their_brand(client, world, session):
    world.b.versions["phone-call-audit"].checklist.code = "b-only-phone"
    session.flush()
    login(client, world.people.manager)
    assert "b-only-phone" not in client.get("/checklists").get_data(as_text=True)
    client.post("/logout")
    login(client, world.people.admin)
    html = client.get("/checklists").get_data(as_text=True)
    assert "b-only-phone" in html and "Brand b" in html


def test_admin_picks_the_brand(client, world, session):
    from sqlalchemy import select

    from audit.models.checklists import Checklist

    login(client, world.people.admin)
    response = client.post("/checklists/new", data={
        "brand_id": world.b.brand.id, "code": "admin-made", "title_en": "Admin",
        "title_vi": "Quản trị", "channel": "chat", "critical_policy": "flag"})
    assert response.status_code == 302
    checklist = session.scalars(select(Checklist).where(Checklist.code == "admin-made")).one()
    assert checklist.brand_id == world.b.brand.id
