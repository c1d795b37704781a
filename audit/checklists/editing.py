"""Editing a draft's sections and questions: add, change, delete, move.

Each change is tried on the version's document first: the edited item must follow the
rules, and the change must not break anything else (a condition that would point at a
later or deleted question). Only then are the rows changed, logged and committed.
"""

from __future__ import annotations

import copy
import re
from typing import Any

from audit.checklists import service
from audit.checklists.operations import Refused, clean_text, require_draft
from audit.checklists.rules import FLAGS, NUMBERS, Problem, errors_only, validate_document
from audit.extensions import db
from audit.models.auditlog import record
from audit.models.auth import User
from audit.models.checklists import ChecklistVersion, Question, Section

_PATH = re.compile(r"^sections\[(\d+)\](?:\.questions\[(\d+)\])?\.?(.*)$")


def _where(doc: dict[str, Any], path: str) -> tuple[str, str]:
    """(place, rest): place names the section or question by code, not by index."""
    match = _PATH.match(path)
    if not match:
        return "", path
    section = doc["sections"][int(match[1])]
    if match[2] is None:
        return f"§{section.get('code')}", match[3]
    return str(section["questions"][int(match[2])].get("code")), match[3]


def named_problems(doc: dict[str, Any], problems: list[Problem]) -> list[Problem]:
    """Problems with paths that say which question ("P2.5 › condition.question")."""
    named = []
    for p in problems:
        place, rest = _where(doc, p.path)
        path = f"{place} › {rest}" if place and rest else place or rest
        named.append(Problem(path, p.key, p.params, p.warning))
    return named


def _check(before: dict[str, Any], after: dict[str, Any], own: str | None = None
           ) -> tuple[list[Problem], list[Problem]]:
    """Errors of the item at `own` (paths relative to it) and new errors elsewhere."""
    old = {(p.path, p.key, tuple(sorted(p.params.items())))
           for p in named_problems(before, errors_only(validate_document(before)))}
    mine, others = [], []
    errors = errors_only(validate_document(after))
    for raw, named in zip(errors, named_problems(after, errors), strict=True):
        if own is not None and (raw.path == own or raw.path.startswith(own + ".")):
            mine.append(Problem(raw.path[len(own) + 1:], raw.key, raw.params))
        elif (named.path, named.key, tuple(sorted(named.params.items()))) not in old:
            others.append(named)
    return mine, others


def _refuse_if(mine: list[Problem], others: list[Problem]) -> None:
    if mine or others:
        raise Refused(mine, others)


def _renumber(version: ChecklistVersion) -> None:
    for s_index, section in enumerate(version.sections):
        section.position = s_index
        for q_index, question in enumerate(section.questions):
            question.position = q_index


# Sections ---------------------------------------------------------------------------

def save_section(version: ChecklistVersion, section: Section | None, data: dict[str, Any],
                 actor: User) -> Section:
    """Add a section at the end, or change one's code and title."""
    require_draft(version)
    item = {"code": (data.get("code") or "").strip(), "title": clean_text(data.get("title"))}
    before = service.version_document(version)
    after = copy.deepcopy(before)
    index = len(after["sections"]) if section is None else version.sections.index(section)
    if section is None:
        after["sections"].append({**item, "questions": []})
    else:
        after["sections"][index].update(item)
    mine, others = _check(before, after, f"sections[{index}]")
    mine = [p for p in mine if not p.path.startswith("questions")]
    if any(s.code == item["code"] for s in version.sections if s is not section):
        mine.append(Problem("code", "duplicate", {"code": item["code"]}))
    _refuse_if(mine, others)
    old = None if section is None else {"code": section.code, "title": section.title}
    if section is None:
        section = Section(position=index, **item)
        version.sections.append(section)
    else:
        section.code, section.title = item["code"], item["title"]
    db.session.flush()
    record(actor, "section", section.id, "create" if old is None else "edit", old=old,
           new=item)
    db.session.commit()
    return section


def delete_section(section: Section, actor: User) -> None:
    """Delete a section with its questions, unless a later condition needs one of them."""
    version = section.version
    require_draft(version)
    before = service.version_document(version)
    after = copy.deepcopy(before)
    index = version.sections.index(section)
    del after["sections"][index]
    _refuse_if(*_check(before, after))
    record(actor, "section", section.id, "delete", old=before["sections"][index])
    version.sections.remove(section)
    _renumber(version)
    db.session.commit()


def move_section(section: Section, direction: str, actor: User) -> None:
    """Swap a section with its neighbour (up or down); conditions must still look back."""
    version = section.version
    require_draft(version)
    index = version.sections.index(section)
    target = index - 1 if direction == "up" else index + 1
    if not 0 <= target < len(version.sections):
        return
    before = service.version_document(version)
    after = copy.deepcopy(before)
    after["sections"].insert(target, after["sections"].pop(index))
    _refuse_if(*_check(before, after))
    version.sections.insert(target, version.sections.pop(index))
    _renumber(version)
    record(actor, "section", section.id, "move", old=index, new=target)
    db.session.commit()


# Questions --------------------------------------------------------------------------

def _apply(question: Question, item: dict[str, Any]) -> None:
    """Every attribute from a document item; absent ones take their defaults."""
    question.code, question.kind = item["code"], item["kind"]
    question.text = item.get("text") or {}
    question.help = item.get("help") or {}
    question.points = float(item.get("points", 1))
    for name in ("dimension", "step", "factor", "kpi", *NUMBERS):
        setattr(question, name, item.get(name))
    for name, default in FLAGS.items():
        setattr(question, name, bool(item.get(name, default)))
    question.options = list(item.get("options") or [])
    question.condition = item.get("condition")


def save_question(version: ChecklistVersion, section: Section, question: Question | None,
                  item: dict[str, Any], actor: User) -> Question:
    """Add a question at the end of `section`, or change one (moving it to `section`'s end
    when that is another section). Renaming a code renames it in conditions too."""
    require_draft(version)
    before = service.version_document(version)
    after = copy.deepcopy(before)
    s_index = version.sections.index(section)
    old_code = None
    if question is not None:
        old_s = version.sections.index(question.section)
        old_q = question.section.questions.index(question)
        old_code = question.code
        del after["sections"][old_s]["questions"][old_q]
    same_place = question is not None and question.section is section
    q_index = old_q if same_place else len(after["sections"][s_index]["questions"])
    after["sections"][s_index]["questions"].insert(q_index, item)
    renamed = old_code is not None and item.get("code") != old_code
    dependents = [q for q in version.ordered_questions()
                  if q.condition and q.condition.get("question") == old_code]
    if renamed:
        for s_doc in after["sections"]:
            for q_doc in s_doc["questions"]:
                if q_doc is not item and (q_doc.get("condition") or {}).get("question") == (
                        old_code):
                    q_doc["condition"]["question"] = item.get("code")
    mine, others = _check(before, after, f"sections[{s_index}].questions[{q_index}]")
    codes = {q.code for q in version.ordered_questions() if q is not question}
    if item.get("code") in codes and not any(p.path == "code" for p in mine):
        mine.append(Problem("code", "duplicate", {"code": item.get("code")}))
    _refuse_if(mine, others)
    old = None if question is None else service.question_document(question)
    if question is None:
        question = Question(version=version, position=q_index)
        section.questions.append(question)
    elif not same_place:
        question.section.questions.remove(question)
        section.questions.append(question)
    _apply(question, item)
    if renamed:
        for dependent in dependents:
            dependent.condition = {**dependent.condition, "question": item["code"]}
    _renumber(version)
    db.session.flush()
    record(actor, "question", question.id, "create" if old is None else "edit",
           field=item["code"], old=old, new=item)
    db.session.commit()
    return question


def delete_question(question: Question, actor: User) -> None:
    """Delete a question unless a later question's condition points at it."""
    version = question.version
    require_draft(version)
    before = service.version_document(version)
    after = copy.deepcopy(before)
    s_index = version.sections.index(question.section)
    q_index = question.section.questions.index(question)
    del after["sections"][s_index]["questions"][q_index]
    _refuse_if(*_check(before, after))
    record(actor, "question", question.id, "delete", field=question.code,
           old=service.question_document(question))
    question.section.questions.remove(question)
    _renumber(version)
    db.session.commit()


def move_question(question: Question, direction: str, actor: User) -> None:
    """One place up or down; past a section's edge it joins the neighbouring section."""
    version = question.version
    require_draft(version)
    sections = version.sections
    s_index = sections.index(question.section)
    q_index = question.section.questions.index(question)
    count = len(question.section.questions)
    if direction == "up":
        target = (s_index, q_index - 1) if q_index > 0 else (
            (s_index - 1, len(sections[s_index - 1].questions)) if s_index > 0 else None)
    else:
        target = (s_index, q_index + 1) if q_index < count - 1 else (
            (s_index + 1, 0) if s_index < len(sections) - 1 else None)
    if target is None:
        return
    before = service.version_document(version)
    after = copy.deepcopy(before)
    item = after["sections"][s_index]["questions"].pop(q_index)
    after["sections"][target[0]]["questions"].insert(target[1], item)
    _refuse_if(*_check(before, after))
    question.section.questions.remove(question)
    sections[target[0]].questions.insert(target[1], question)
    question.section = sections[target[0]]
    _renumber(version)
    record(actor, "question", question.id, "move", field=question.code,
           old={"section": sections[s_index].code, "position": q_index},
           new={"section": sections[target[0]].code, "position": target[1]})
    db.session.commit()
