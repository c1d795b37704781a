"""The visit form without JavaScript: plain posts save, validate, submit once."""

from __future__ import annotations

import io

from sqlalchemy import func, select

from audit.models.auditlog import AuditLog
from audit.models.visits import Answer, Photo
from audit.privacy.rules import is_staff_question
from tests.support import encode, login, picture


def perfect_form(visit) -> dict:
    data = {}
    for q in visit.checklist_version.ordered_questions():
        if q.condition or is_staff_question(q.code, q.kind):  # not asked by default
            continue
        if q.kind == "yes_no":
            data[f"q-{q.code}"] = "no" if q.no_passes else "yes"
        elif q.kind == "scale":
            data[f"q-{q.code}"] = str(int(q.max_value))
        elif q.kind == "choice":
            data[f"q-{q.code}"] = max(q.options, key=lambda o: o["fraction"])["value"]
        elif q.kind == "number":
            data[f"q-{q.code}"] = "5"
        elif q.kind == "text":
            data[f"q-{q.code}"] = "Cửa hàng sạch, đông khách"
    return data


def test_form_renders_every_question_and_hides_conditional_ones(client, world, make_visit):
    world.a.brand.capture_staff_names = True  # else the STAFF question is left out
    visit = make_visit()
    login(client, world.people.shopper)
    page = client.get(f"/visits/{visit.id}", headers={"Accept-Language": "en"})
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    for q in visit.checklist_version.ordered_questions():
        assert f'data-code="{q.code}"' in html
    assert 'id="question-P2.5"' in html
    start = html.index('id="question-P2.5"')
    assert " hidden>" in html[start:html.index(">", start) + 1]
    assert "Ask about a phone." in html  # scenario brief


def test_other_shopper_gets_404(client, world, make_visit):
    visit = make_visit()
    login(client, world.people.other_shopper)
    assert client.get(f"/visits/{visit.id}").status_code == 404
    assert client.post(f"/visits/{visit.id}", data={"q-P1.1": "yes"}).status_code == 404


def test_plain_post_saves_and_keeps_answers(client, world, make_visit, session):
    visit = make_visit()
    login(client, world.people.shopper)
    response = client.post(f"/visits/{visit.id}", data={"q-P1.1": "yes", "q-WAIT": "35",
                                                        "fact-time_in": "10:15"})
    assert response.status_code == 302
    session.refresh(visit)
    values = {a.question.code: a.value for a in visit.answers}
    assert values == {"P1.1": True, "WAIT": 35}
    assert visit.facts["time_in"] == "10:15"
    assert visit.status == "in_progress"


def test_invalid_value_is_shown_next_to_the_field_and_nothing_is_lost(client, world, make_visit,
                                                                      session):
    visit = make_visit()
    login(client, world.people.shopper)
    client.post(f"/visits/{visit.id}", data={"q-P1.1": "yes"})
    response = client.post(f"/visits/{visit.id}", data={"q-P1.1": "yes", "q-WAIT": "abc",
                                                        "fact-time_in": "25:99"},
                           headers={"Accept-Language": "vi"})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Hãy nhập một số." in html
    assert "Giá trị này không đúng định dạng." in html
    assert 'value="abc"' in html  # the typed value is shown again to fix
    session.refresh(visit)
    assert {a.question.code: a.value for a in visit.answers} == {"P1.1": True}


def test_submit_requires_answers_then_submits_once(client, world, make_visit, session):
    visit = make_visit()
    login(client, world.people.shopper)
    missing = client.post(f"/visits/{visit.id}", data={"q-P1.1": "yes", "action": "submit"},
                          headers={"Accept-Language": "en"})
    assert missing.status_code == 422
    assert "This question is required." in missing.get_data(as_text=True)
    form = {**perfect_form(visit), "action": "submit"}
    first = client.post(f"/visits/{visit.id}", data=form)
    assert first.status_code == 302
    second = client.post(f"/visits/{visit.id}", data=form)  # a double tap
    assert second.status_code == 302
    session.refresh(visit)
    assert visit.status == "submitted" and visit.score_overall == 100.0
    moves = session.scalars(select(AuditLog.new_value).where(
        AuditLog.entity == "visit", AuditLog.entity_id == visit.id)).all()
    assert moves == ["in_progress", "submitted"]
    count = session.scalar(select(func.count()).select_from(Answer)
                           .where(Answer.visit_id == visit.id))
    assert count == len([k for k in form if k.startswith("q-")])


def test_photo_upload_and_delete_through_the_page(client, world, make_visit, session):
    visit = make_visit()
    login(client, world.people.shopper)
    response = client.post(f"/visits/{visit.id}/photos", data={
        "file": (io.BytesIO(encode(picture())), "p.jpg"), "question": "P1.2", "caption": "x"},
        content_type="multipart/form-data")
    assert response.status_code == 302
    photo = session.scalars(select(Photo).where(Photo.visit_id == visit.id)).one()
    page = client.get(f"/visits/{visit.id}").get_data(as_text=True)
    assert f"/photos/{photo.id}/thumbnail" in page
    bad = client.post(f"/visits/{visit.id}/photos", data={
        "file": (io.BytesIO(b"GIF89a broken"), "p.gif")}, content_type="multipart/form-data",
        follow_redirects=True, headers={"Accept-Language": "en"})
    assert "not a photo we can read" in bad.get_data(as_text=True)
    client.post(f"/visits/{visit.id}/photos/{photo.id}/delete")
    assert session.scalar(select(func.count()).select_from(Photo)
                          .where(Photo.visit_id == visit.id)) == 0


def test_progress_counts_only_the_questions_asked(client, world, make_visit, session):
    """Defect 15: a sent visit showed "answered 17/19": photo slots and questions hidden by
    their condition were counted."""
    from audit.scoring import hidden_codes
    from audit.visits import operations, scores

    world.a.brand.capture_staff_names = True
    visit = make_visit()
    login(client, world.people.shopper)
    client.post(f"/visits/{visit.id}", data={**perfect_form(visit), "q-STAFF": "Lan"})
    session.refresh(visit)
    hidden = hidden_codes(scores.version_specs(visit.checklist_version),
                          scores.answer_values(visit))
    asked = [q for q in visit.checklist_version.ordered_questions()
             if q.kind != "photo" and q.code not in hidden]
    assert hidden and len(asked) < len(visit.checklist_version.ordered_questions())
    answered = {a.question.code for a in visit.answers}
    assert answered >= {q.code for q in asked}
    operations.submit(visit, world.people.shopper)
    html = client.get(f"/visits/{visit.id}", headers={"Accept-Language": "en"}).get_data(
        as_text=True)
    assert f"{len(asked)} of {len(asked)} answered" in html
    assert f'<progress id="progress" max="{len(asked)}" value="{len(asked)}">' in html


def test_a_stale_page_form_is_refused_and_shows_the_newer_answers(client, world, make_visit,
                                                                  session):
    """Defect 25: a form opened before an autosave wrote its older answers over newer ones."""
    from tests.pageform import page_form

    visit = make_visit()
    login(client, world.people.shopper)
    client.post(f"/visits/{visit.id}", data={"q-P1.1": "yes", "q-WAIT": "35"})
    stale = page_form(client.get(f"/visits/{visit.id}").get_data(as_text=True),
                      f"/visits/{visit.id}")
    # Meanwhile the page's script (or another phone) saves a newer wait through the API.
    saved = client.put(f"/api/v1/visits/{visit.id}/answers",
                       json={"answers": [{"question": "WAIT", "value": 50}]})
    assert saved.status_code == 200, saved.get_data(as_text=True)
    response = client.post(f"/visits/{visit.id}", data=stale.data(
        {"q-P1.1": "no"}, button=("action", "save")), headers={"Accept-Language": "en"})
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert "was changed after you opened this page" in html
    assert 'value="50"' in html
    session.refresh(visit)
    assert {a.question.code: a.value for a in visit.answers} == {"P1.1": True, "WAIT": 50}
    fresh = page_form(html, f"/visits/{visit.id}")
    again = client.post(f"/visits/{visit.id}", data=fresh.data({"q-P1.1": "no"},
                                                               button=("action", "save")))
    assert again.status_code == 302
    session.refresh(visit)
    assert {a.question.code: a.value for a in visit.answers} == {"P1.1": False, "WAIT": 50}


def test_a_phone_visit_asks_rings_and_hold_once(client, world, make_visit, session):
    """Defect 9: rings and hold time were visit facts and questions RINGS/HOLD at once."""
    visit = make_visit(campaign=world.campaign(world.a, "phone-call-audit"))
    login(client, world.people.shopper)
    html = client.get(f"/visits/{visit.id}").get_data(as_text=True)
    assert 'name="q-RINGS"' in html and 'name="q-HOLD"' in html
    assert 'name="fact-rings"' not in html and 'name="fact-hold_seconds"' not in html
    client.post(f"/visits/{visit.id}", data={"q-RINGS": "3", "fact-rings": "9",
                                             "fact-called_on": "2026-12-01"})
    session.refresh(visit)
    assert visit.facts == {"called_on": "2026-12-01"}
    assert {a.question.code: a.value for a in visit.answers}["RINGS"] == 3
