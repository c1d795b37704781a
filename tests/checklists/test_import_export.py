"""Export and import: the bundled format both ways, round trips in JSON and YAML, every
problem of a bad file listed with its place, and nothing half-imported."""

from __future__ import annotations

import io
import json

import pytest
import yaml
from sqlalchemy import func, select

from audit.checklists import files, service
from audit.checklists.importer import bundled_documents
from audit.models.auditlog import AuditLog
from audit.models.checklists import Checklist, ChecklistVersion, Question, Section
from tests.support import login

EN = {"Accept-Language": "en"}
BUNDLED = {doc["code"]: doc for doc in bundled_documents()}


def export(client, version_id, fmt):
    response = client.get(f"/checklists/versions/{version_id}/export?format={fmt}")
    assert response.status_code == 200
    return response


def upload(client, data: bytes, name: str, **headers):
    return client.post("/checklists/import", data={"file": (io.BytesIO(data), name)},
                       content_type="multipart/form-data", headers={**EN, **headers})


def counts(session):
    return tuple(session.scalar(select(func.count()).select_from(model))
                 for model in (Checklist, ChecklistVersion, Section, Question, AuditLog))


@pytest.mark.parametrize("code", sorted(BUNDLED))
def test_export_of_a_bundled_checklist_is_the_bundled_document(world, code):
    assert service.version_document(world.a.versions[code]) == BUNDLED[code]


@pytest.mark.parametrize("fmt", ["yaml", "json"])
def test_export_import_export_round_trip(client, world, session, fmt):
    login(client, world.people.manager)
    version = world.a.versions["phone-call-audit"]
    first = export(client, version.id, fmt)
    assert first.headers["Content-Disposition"] == (
        f'attachment; filename="phone-call-audit-v1.{fmt}"')
    response = upload(client, first.data, f"phone.{fmt}")
    assert response.status_code == 302, response.get_data(as_text=True)
    imported = session.scalars(select(ChecklistVersion).where(
        ChecklistVersion.checklist_id == version.checklist_id,
        ChecklistVersion.number == 2)).one()
    assert imported.published_at is None
    second = export(client, imported.id, fmt)
    assert second.data == first.data
    parse = json.loads if fmt == "json" else yaml.safe_load
    assert parse(second.data) == parse(first.data) == BUNDLED["phone-call-audit"]
    entry = session.scalars(select(AuditLog).where(AuditLog.action == "import")).one()
    assert entry.new_value == {"code": "phone-call-audit", "number": 2, "questions": 19}


def test_import_a_new_checklist(client, world, session):
    login(client, world.people.manager)
    doc = {**BUNDLED["servqual-branch"], "code": "servqual-2027"}
    doc.pop("critical_policy")
    world.a.brand.critical_policy = "zero"
    session.flush()
    assert upload(client, files.dump(doc, "json"), "s.json").status_code == 302
    checklist = session.scalars(select(Checklist).where(Checklist.code == "servqual-2027")).one()
    [version] = checklist.versions
    assert (version.number, version.published_at, version.critical_policy) == (1, None, "zero")
    assert service.version_document(version) == {**doc, "critical_policy": "zero"}


def bad_document():
    doc = json.loads(json.dumps(BUNDLED["care-protocol-in-person"]))
    questions = doc["sections"][2]["questions"]
    questions[3]["kind"] = "essay"
    questions[0]["code"] = "P1.1"  # used in section 0
    doc["sections"][1]["questions"][4]["condition"] = {"question": "P5.1", "values": [True]}
    doc["sections"][3]["questions"][3]["options"][0]["fraction"] = 2
    doc["sections"][0]["questions"][0]["colour"] = "red"
    return doc


def test_a_bad_document_lists_every_problem_and_changes_nothing(client, world, session):
    login(client, world.people.manager)
    before = counts(session)
    response = upload(client, files.dump(bad_document(), "yaml"), "bad.yaml")
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    for place in ("sections[2].questions[3].kind", "sections[2].questions[0].code",
                  "sections[1].questions[4].condition.question",
                  "sections[3].questions[3].options[0].fraction",
                  "sections[0].questions[0].colour"):
        assert f"<code>{place}</code>" in html, place
    assert "nothing was changed" in html
    assert counts(session) == before


@pytest.mark.parametrize("data, name, message", [
    (b"code: [", "c.yaml", "The YAML is malformed at line"),
    (b'{"code": }', "c.json", "The JSON is malformed at line 1"),
    ("code: é".encode("latin-1"), "c.yaml", "not UTF-8"),
    (b"code: x", "c.csv", "Choose a .json, .yaml or .yml file"),
    (b"a: &x 1\nb: *x\n", "c.yaml", "aliases"),
])
def test_unreadable_files(client, world, session, data, name, message):
    login(client, world.people.manager)
    before = counts(session)
    response = upload(client, data, name)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert counts(session) == before


def test_too_large_a_file(client, world, session, monkeypatch):
    # The limit is lowered so the upload stays below werkzeug's temporary-file threshold.
    monkeypatch.setattr(files, "MAX_FILE_BYTES", 2048)
    login(client, world.people.manager)
    before = counts(session)
    response = upload(client, b"code: x\n" + b"#" * 4096, "c.yaml")
    assert response.status_code == 422
    assert "larger than 2 KB" in response.get_data(as_text=True)
    assert counts(session) == before


def test_import_refused_while_a_draft_exists(client, world, session):
    login(client, world.people.manager)
    version = world.a.versions["phone-call-audit"]
    client.post(f"/checklists/versions/{version.id}/draft")
    before = counts(session)
    response = upload(client, export(client, version.id, "yaml").data, "p.yaml")
    assert response.status_code == 422
    assert "already has a draft (version 2)" in response.get_data(as_text=True)
    assert counts(session) == before


def test_a_failure_while_writing_leaves_nothing(client, world, session, monkeypatch):
    """One transaction: a crash half-way through the import rolls everything back."""
    from audit.checklists import operations

    def crash(*args, **kwargs):
        raise RuntimeError("disk full")

    login(client, world.people.manager)
    session.commit()
    before = counts(session)
    monkeypatch.setattr(operations, "record", crash)
    with pytest.raises(RuntimeError):
        operations.import_document(world.a.brand, {**BUNDLED["servqual-branch"], "code": "x"},
                                   world.people.manager)
    assert counts(session) == before


def test_import_in_vietnamese(client, world):
    world.people.manager.locale = "vi"
    login(client, world.people.manager)
    response = client.post("/checklists/import", data={
        "file": (io.BytesIO(b"code: ["), "c.yaml")}, content_type="multipart/form-data")
    assert response.status_code == 422
    assert "The YAML is malformed" not in response.get_data(as_text=True)
