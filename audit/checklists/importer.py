"""Creating checklist versions from documents (the bundled YAML files, later user imports)."""

from __future__ import annotations

import copy
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import func, select

from audit.core.clock import utcnow
from audit.extensions import db
from audit.models.checklists import Checklist, ChecklistVersion, Question, Section
from audit.models.orgs import Brand

BUNDLED_DIR = Path(__file__).parent / "bundled"
QUESTION_KEYS = {
    "code", "kind", "text", "help", "points", "dimension", "step", "factor", "critical",
    "allow_na", "required", "photo_required", "min_value", "max_value", "pass_min",
    "pass_max", "no_passes", "options", "condition", "kpi",
}


class ChecklistDocumentError(ValueError):
    """The document does not describe a valid checklist."""


def bundled_documents() -> list[dict[str, Any]]:
    """The checklists shipped with the platform, in a stable order (a copy the caller may
    change)."""
    return copy.deepcopy(_parsed_bundled())


@cache
def _parsed_bundled() -> list[dict[str, Any]]:
    """The bundled files parsed once per process: they ship with the code and every new
    brand (the demo's, each test's) is given them."""
    return [yaml.safe_load(p.read_text("utf-8")) for p in sorted(BUNDLED_DIR.glob("*.yaml"))]


def import_checklist(brand: Brand, document: dict[str, Any], *, publish: bool) -> ChecklistVersion:
    """Add the document as the next version of the brand's checklist with its code."""
    checklist = db.session.scalars(
        select(Checklist).where(Checklist.brand_id == brand.id, Checklist.code == document["code"])
    ).first()
    if checklist is None:
        checklist = Checklist(brand=brand, code=document["code"], title=document["title"])
        db.session.add(checklist)
        number = 1
    else:
        checklist.title = document["title"]
        number = 1 + (
            db.session.scalar(
                select(func.max(ChecklistVersion.number)).where(
                    ChecklistVersion.checklist_id == checklist.id
                )
            )
            or 0
        )
    version = ChecklistVersion(
        checklist=checklist,
        number=number,
        channel=document["channel"],
        critical_policy=document.get("critical_policy", "flag"),
        description=document.get("description") or {},
    )
    for s_index, section_doc in enumerate(document["sections"]):
        section = Section(
            version=version, position=s_index, code=section_doc["code"], title=section_doc["title"]
        )
        for q_index, question_doc in enumerate(section_doc["questions"]):
            section.questions.append(_question(version, q_index, question_doc))
    db.session.add(version)
    db.session.flush()
    if publish:
        version.published_at = utcnow()
    return version


def _question(version: ChecklistVersion, position: int, doc: dict[str, Any]) -> Question:
    unknown = set(doc) - QUESTION_KEYS
    if unknown:
        raise ChecklistDocumentError(f"{doc.get('code')}: unknown keys {sorted(unknown)}")
    fields = {key: doc[key] for key in QUESTION_KEYS if key in doc and doc[key] is not None}
    fields.setdefault("help", {})
    fields.setdefault("options", [])
    if fields["kind"] == "scale":
        fields.setdefault("min_value", 1)
    return Question(version=version, position=position, **fields)


def load_bundled(brand: Brand) -> list[ChecklistVersion]:
    """Give a brand the bundled checklists as published version 1 (skips codes it has)."""
    existing = set(
        db.session.scalars(select(Checklist.code).where(Checklist.brand_id == brand.id))
    )
    return [
        import_checklist(brand, doc, publish=True)
        for doc in bundled_documents()
        if doc["code"] not in existing
    ]
