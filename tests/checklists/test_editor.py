"""The checklist editor: create, edit every attribute, validation, reorder, delete,
publish, immutability, new drafts, one draft at a time, audit log, both languages."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from audit.models.auditlog import AuditLog
from audit.models.checklists import Checklist, ChecklistVersion, PublishedVersionError, Question
from tests.support import login

EN = {"Accept-Language": "en"}
NEW = {"code": "care-2026", "title_vi": "Chăm sóc 2026", "title_en": "Care 2026",
       "channel": "in_person", "critical_policy": "zero", "description_vi": "Mô tả",
       "description_en": "About"}


def question_data(section_id, **changes):
    data = {"section": section_id, "code": "Q1", "kind": "yes_no", "text_vi": "Có chào không?",
            "text_en": "Were you greeted?", "help_vi": "", "help_en": "", "points": "1",
            "dimension": "empathy", "step": "2", "factor": "people", "kpi": "",
            "required": "y", "condition_question": "", "condition_values": ""}
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


@pytest.fixture
def draft(client, world, session):
    """A manager's new checklist (draft version 1) with one section."""
    login(client, world.people.manager)
    response = client.post("/checklists/new", data=NEW)
    assert response.status_code == 302, response.get_data(as_text=True)
    version = session.scalars(select(ChecklistVersion).join(Checklist).where(
        Checklist.code == "care-2026")).one()
    response = client.post(f"/checklists/versions/{version.id}/sections", data={
        "new-code": "greet", "new-title_vi": "Chào hỏi", "new-title_en": "Greeting"})
    assert response.status_code == 302
    session.refresh(version)
    return version


def add_question(client, section, **changes):
    return client.post(f"/checklists/sections/{section.id}/questions/new",
                       data=question_data(section.id, **changes), headers=EN)


def test_smoke(client, draft, session):
    section = draft.sections[0]
    assert add_question(client, section).status_code == 302
    page = client.get(f"/checklists/versions/{draft.id}", headers=EN)
    assert page.status_code == 200, page.get_data(as_text=True)
    assert client.get("/checklists", headers=EN).status_code == 200
    assert client.get(f"/checklists/versions/{draft.id}/preview").status_code == 200
    question = session.scalars(select(Question).where(Question.version_id == draft.id)).one()
    assert client.get(f"/checklists/questions/{question.id}").status_code == 200
    assert client.get(f"/checklists/sections/{section.id}/questions/new").status_code == 200
    assert client.get("/checklists/new").status_code == 200
    assert client.get("/checklists/import").status_code == 200


def version_questions(session, version):
    session.expire_all()
    version = session.get(ChecklistVersion, version.id)
    return {q.code: q for q in version.ordered_questions()}


def log_actions(session, entity):
    return [e.action for e in session.scalars(
        select(AuditLog).where(AuditLog.entity == entity).order_by(AuditLog.id))]


def test_create_starts_draft_one_with_the_brand_policy(client, world, session):
    world.a.brand.critical_policy = "zero"
    session.flush()
    login(client, world.people.manager)
    form = client.get("/checklists/new").get_data(as_text=True)
    assert '<option selected value="zero">' in form
    assert client.post("/checklists/new", data={**NEW, "critical_policy": "flag"}).status_code \
        == 302
    checklist = session.scalars(select(Checklist).where(Checklist.code == "care-2026")).one()
    assert checklist.brand_id == world.a.brand.id
    assert checklist.title == {"vi": "Chăm sóc 2026", "en": "Care 2026"}
    [version] = checklist.versions
    assert (version.number, version.published_at, version.channel, version.critical_policy,
            version.description) == (1, None, "in_person", "flag",
                                     {"vi": "Mô tả", "en": "About"})
    assert log_actions(session, "checklist") == ["create"]


@pytest.mark.parametrize("changes, message", [
    ({"code": "care-protocol-in-person"}, "already has a checklist with the code"),
    ({"code": "two words"}, "Use letters, digits"),
    ({"title_vi": "", "title_en": " "}, "Fill in at least one language"),
])
def test_create_refusals(client, world, session, changes, message):
    login(client, world.people.manager)
    count = len(session.scalars(select(Checklist)).all())
    response = client.post("/checklists/new", data={**NEW, **changes}, headers=EN)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert len(session.scalars(select(Checklist)).all()) == count


def test_every_attribute_is_saved(client, draft, session):
    section = draft.sections[0]
    assert add_question(client, section).status_code == 302
    assert add_question(client, section, code="Q2", kind="choice", text_vi="Giải quyết?",
                        text_en="Solved?", help_vi="Gợi ý", help_en="Hint", points="2,5",
                        dimension="reliability", step="4", factor="product", kpi="",
                        required=None, photo_required="y", critical="y", allow_na="y", **{
                            "options-0-value": "yes", "options-0-label_vi": "Có",
                            "options-0-label_en": "Yes", "options-0-fraction": "1",
                            "options-1-value": "part", "options-1-label_vi": "Một phần",
                            "options-1-label_en": "Partly", "options-1-fraction": "0,5",
                            "options-2-value": "", "options-2-fraction": "",
                            "condition_question": "Q1", "condition_values": "yes"}
                        ).status_code == 302
    assert add_question(client, section, code="NPS", kind="scale", text_en="Recommend?",
                        text_vi="Giới thiệu?", min_value="0", max_value="10", kpi="nps",
                        dimension="", step="", factor="").status_code == 302
    assert add_question(client, section, code="WAIT", kind="number", text_en="Wait",
                        text_vi="Chờ", min_value="0", max_value="3600", pass_min="0",
                        pass_max="60", kpi="wait_seconds").status_code == 302
    assert add_question(client, section, code="Q5", kind="yes_no", text_en="Waited long?",
                        text_vi="Chờ lâu?", no_passes="y").status_code == 302
    qs = version_questions(session, draft)
    assert list(qs) == ["Q1", "Q2", "NPS", "WAIT", "Q5"]
    q2 = qs["Q2"]
    assert (q2.kind, q2.points, q2.dimension, q2.step, q2.factor, q2.kpi) == (
        "choice", 2.5, "reliability", 4, "product", None)
    assert (q2.critical, q2.allow_na, q2.required, q2.photo_required) == (True, True, False,
                                                                          True)
    assert q2.text == {"vi": "Giải quyết?", "en": "Solved?"}
    assert q2.help == {"vi": "Gợi ý", "en": "Hint"}
    assert q2.options == [
        {"value": "yes", "label": {"vi": "Có", "en": "Yes"}, "fraction": 1.0},
        {"value": "part", "label": {"vi": "Một phần", "en": "Partly"}, "fraction": 0.5}]
    assert q2.condition == {"question": "Q1", "values": [True]}
    assert (qs["NPS"].min_value, qs["NPS"].max_value, qs["NPS"].kpi) == (0, 10, "nps")
    assert (qs["WAIT"].pass_min, qs["WAIT"].pass_max, qs["WAIT"].kpi) == (0, 60,
                                                                          "wait_seconds")
    assert qs["Q5"].no_passes is True and qs["Q1"].no_passes is False
    assert log_actions(session, "question") == ["create"] * 5

    # Change a question: fields of another kind are dropped, the change is logged.
    response = client.post(f"/checklists/questions/{qs['NPS'].id}", data=question_data(
        section.id, code="NPS", kind="number", text_en="Recommend?", text_vi="Giới thiệu?",
        min_value="0", max_value="10", pass_min="9", pass_max="10", no_passes="y"))
    assert response.status_code == 302
    nps = version_questions(session, draft)["NPS"]
    assert (nps.kind, nps.pass_min, nps.no_passes) == ("number", 9, False)
    entry = session.scalars(select(AuditLog).where(AuditLog.action == "edit")).one()
    assert entry.old_value["kind"] == "scale" and entry.new_value["kind"] == "number"


def test_renaming_a_code_renames_it_in_conditions(client, draft, session):
    section = draft.sections[0]
    add_question(client, section)
    add_question(client, section, code="Q2", condition_question="Q1", condition_values="no")
    q1 = version_questions(session, draft)["Q1"]
    assert client.post(f"/checklists/questions/{q1.id}", data=question_data(
        section.id, code="GREET")).status_code == 302
    assert version_questions(session, draft)["Q2"].condition == {"question": "GREET",
                                                                 "values": [False]}


@pytest.mark.parametrize("changes, field_message", [
    ({"code": "Q1"}, "The code Q1 is used twice"),
    ({"kind": "scale", "min_value": "5", "max_value": "5"}, "must be above the lowest"),
    ({"kind": "choice", "options-0-value": "a", "options-0-label_en": "A",
      "options-0-fraction": "1.5", "options-1-value": "b", "options-1-label_en": "B",
      "options-1-fraction": "0"}, "from 0 to 1"),
    ({"kind": "choice", "options-0-value": "a", "options-0-label_en": "A",
      "options-0-fraction": "1"}, "at least two options"),
    ({"condition_question": "Q1", "condition_values": "maybe"}, "maybe is not an answer of Q1"),
    ({"condition_question": "NOPE", "condition_values": "yes"}, "earlier question"),
    ({"points": "-2"}, "Points cannot be negative"),
    ({"points": "many"}, "Give a number"),
    ({"text_vi": "", "text_en": ""}, "Fill in at least one language"),
    ({"kind": "text", "critical": "y"}, "Only used by questions of kind"),
])
def test_question_refusals(client, draft, session, changes, field_message):
    section = draft.sections[0]
    add_question(client, section)
    response = add_question(client, section, **{"code": "Q2", **changes})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert field_message in html
    assert list(version_questions(session, draft)) == ["Q1"]


def test_refusal_in_vietnamese(client, draft, session):
    response = client.post(f"/checklists/sections/{draft.sections[0].id}/questions/new",
                           data=question_data(draft.sections[0].id, points="-1"),
                           headers={"Accept-Language": "vi"})
    assert response.status_code == 422
    assert "Points cannot be negative" not in response.get_data(as_text=True)
    assert "Điểm không được âm" in response.get_data(as_text=True)


def test_missing_language_shows_a_warning_badge(client, draft, session):
    add_question(client, draft.sections[0], text_en="")
    html = client.get(f"/checklists/versions/{draft.id}", headers=EN).get_data(as_text=True)
    assert "The English text is missing." in html
    assert 'class="badge warn"' in html


def move(client, kind, record_id, direction):
    return client.post(f"/checklists/{kind}/{record_id}/move", data={"direction": direction},
                       headers=EN)


def test_reorder_questions_and_sections(client, draft, session):
    first = draft.sections[0]
    for code in ("A", "B", "C"):
        add_question(client, first, code=code)
    client.post(f"/checklists/versions/{draft.id}/sections", data={
        "new-code": "second", "new-title_vi": "Hai", "new-title_en": "Two"})
    qs = version_questions(session, draft)
    assert move(client, "questions", qs["C"].id, "up").status_code == 302
    assert list(version_questions(session, draft)) == ["A", "C", "B"]
    assert move(client, "questions", qs["B"].id, "down").status_code == 302  # into "second"
    session.expire_all()
    version = session.get(ChecklistVersion, draft.id)
    assert [[q.code for q in s.questions] for s in version.sections] == [["A", "C"], ["B"]]
    assert [q.position for q in version.sections[0].questions] == [0, 1]
    assert move(client, "sections", version.sections[1].id, "up").status_code == 302
    session.expire_all()
    version = session.get(ChecklistVersion, draft.id)
    assert [s.code for s in version.sections] == ["second", "greet"]
    assert [s.position for s in version.sections] == [0, 1]
    assert "move" in log_actions(session, "question") and log_actions(session, "section")[-1] \
        == "move"


def test_moves_that_break_a_condition_are_refused(client, draft, session):
    section = draft.sections[0]
    add_question(client, section, code="A")
    add_question(client, section, code="B", condition_question="A", condition_values="yes")
    qs = version_questions(session, draft)
    response = move(client, "questions", qs["B"].id, "up")
    assert response.status_code == 409
    assert "earlier question" in response.get_data(as_text=True)
    assert list(version_questions(session, draft)) == ["A", "B"]
    response = client.post(f"/checklists/questions/{qs['A'].id}/delete", headers=EN)
    assert response.status_code == 409
    assert list(version_questions(session, draft)) == ["A", "B"]
    assert client.post(f"/checklists/questions/{qs['B'].id}/delete").status_code == 302
    assert client.post(f"/checklists/questions/{qs['A'].id}/delete").status_code == 302
    assert version_questions(session, draft) == {}
    assert log_actions(session, "question")[-2:] == ["delete", "delete"]


def test_delete_section_with_its_questions(client, draft, session):
    add_question(client, draft.sections[0])
    assert client.post(f"/checklists/sections/{draft.sections[0].id}/delete").status_code == 302
    session.expire_all()
    assert session.get(ChecklistVersion, draft.id).sections == []
    assert session.scalars(select(Question).where(Question.version_id == draft.id)).all() == []


def test_edit_section_and_settings(client, draft, session):
    section = draft.sections[0]
    assert client.post(f"/checklists/sections/{section.id}", data={
        f"s{section.id}-code": "hello", f"s{section.id}-title_vi": "Xin chào",
        f"s{section.id}-title_en": "Hello"}).status_code == 302
    response = client.post(f"/checklists/versions/{draft.id}/sections", data={
        "new-code": "hello", "new-title_en": "Again"}, headers=EN)
    assert response.status_code == 422 and "used twice" in response.get_data(as_text=True)
    assert client.post(f"/checklists/versions/{draft.id}/settings", data={
        "settings-title_vi": "Mới", "settings-title_en": "New", "settings-channel": "phone",
        "settings-critical_policy": "flag", "settings-description_en": "D"}).status_code == 302
    session.expire_all()
    version = session.get(ChecklistVersion, draft.id)
    assert (version.sections[0].code, version.channel, version.checklist.title) == (
        "hello", "phone", {"vi": "Mới", "en": "New"})
    assert log_actions(session, "checklist_version") == ["edit_settings"]


def test_publish_refuses_an_empty_draft_and_lists_the_problems(client, draft, session):
    response = client.post(f"/checklists/versions/{draft.id}/publish", headers=EN)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "This section has no questions." in html and "The checklist has no questions." in html
    session.expire_all()
    assert session.get(ChecklistVersion, draft.id).published_at is None


def test_publish_freezes_and_editing_starts_a_new_draft(client, draft, session, world):
    section = draft.sections[0]
    add_question(client, section)
    add_question(client, section, code="Q2", kind="scale", min_value="1", max_value="5")
    assert client.post(f"/checklists/versions/{draft.id}/publish").status_code == 302
    session.expire_all()
    published = session.get(ChecklistVersion, draft.id)
    assert published.published_at is not None
    assert log_actions(session, "checklist_version") == ["publish"]

    # Published: every change is refused, through the pages and underneath them.
    q1 = version_questions(session, published)["Q1"]
    assert client.post(f"/checklists/questions/{q1.id}", data=question_data(
        section.id, text_en="Changed")).status_code == 409
    assert move(client, "questions", q1.id, "down").status_code == 409
    assert client.post(f"/checklists/questions/{q1.id}/delete").status_code == 409
    assert client.post(f"/checklists/versions/{draft.id}/publish").status_code == 409
    assert client.post(f"/checklists/versions/{draft.id}/delete").status_code == 409
    assert version_questions(session, published)["Q1"].text["en"] == "Were you greeted?"
    q1 = version_questions(session, published)["Q1"]
    q1.points = 5
    with pytest.raises(PublishedVersionError):
        session.flush()
    session.rollback()

    # Editing starts draft 2, a copy; asking again opens the same draft.
    response = client.post(f"/checklists/versions/{draft.id}/draft")
    assert response.status_code == 302
    drafts = session.scalars(select(ChecklistVersion).where(
        ChecklistVersion.checklist_id == published.checklist_id,
        ChecklistVersion.published_at.is_(None))).all()
    assert [d.number for d in drafts] == [2]
    new = drafts[0]
    assert response.headers["Location"].endswith(f"/checklists/versions/{new.id}")
    again = client.post(f"/checklists/versions/{draft.id}/draft")
    assert again.headers["Location"].endswith(f"/checklists/versions/{new.id}")
    assert len(session.scalars(select(ChecklistVersion).where(
        ChecklistVersion.checklist_id == published.checklist_id)).all()) == 2
    copied = version_questions(session, new)
    original = version_questions(session, published)
    assert list(copied) == ["Q1", "Q2"]
    assert all(copied[c].id != original[c].id for c in copied)
    assert (copied["Q2"].max_value, copied["Q1"].dimension) == (5, "empathy")
    assert [s.code for s in session.get(ChecklistVersion, new.id).sections] == ["greet"]
    assert log_actions(session, "checklist_version")[-1] == "new_draft"

    # The new draft edits freely; the published version stays as it was.
    add_question(client, session.get(ChecklistVersion, new.id).sections[0], code="Q3")
    assert list(version_questions(session, published)) == ["Q1", "Q2"]


def test_campaigns_keep_their_version(client, world, session):
    version = world.campaign_a.checklist_version
    login(client, world.people.manager)
    client.post(f"/checklists/versions/{version.id}/draft")
    session.expire_all()
    draft = session.scalars(select(ChecklistVersion).where(
        ChecklistVersion.checklist_id == version.checklist_id,
        ChecklistVersion.number == 2)).one()
    assert client.post(f"/checklists/versions/{draft.id}/publish").status_code == 302
    session.refresh(world.campaign_a)
    assert world.campaign_a.checklist_version_id == version.id
    index = client.get("/checklists", headers=EN).get_data(as_text=True)
    assert "Wave care-protocol-in-person" in index


def test_delete_draft(client, draft, session, world):
    checklist_id = draft.checklist_id
    assert client.post(f"/checklists/versions/{draft.id}/delete").status_code == 302
    assert session.get(Checklist, checklist_id) is None
    assert log_actions(session, "checklist") == ["create", "delete"]


@pytest.mark.parametrize("lang, words", [("vi", "Bảng kiểm"), ("en", "Checklists")])
def test_pages_in_both_languages(client, draft, session, lang, words):
    add_question(client, draft.sections[0])
    headers = {"Accept-Language": lang}
    index = client.get("/checklists", headers=headers).get_data(as_text=True)
    assert f'lang="{lang}"' in index and words in index and "care-2026" in index
    editor = client.get(f"/checklists/versions/{draft.id}", headers=headers)
    assert editor.status_code == 200
    preview = client.get(f"/checklists/versions/{draft.id}/preview", headers=headers)
    html = preview.get_data(as_text=True)
    assert 'class="question' in html and 'data-code="Q1"' in html
    assert ("Có chào không?" if lang == "vi" else "Were you greeted?") in html
    assert 'name="q-Q1"' in html and 'action="/visits' not in html


def test_index_filters(client, draft, session):
    html = client.get("/checklists?q=2026", headers=EN).get_data(as_text=True)
    assert "care-2026" in html and "servqual-branch" not in html
    html = client.get("/checklists?channel=phone", headers=EN).get_data(as_text=True)
    assert "phone-call-audit" in html and "care-2026" not in html
