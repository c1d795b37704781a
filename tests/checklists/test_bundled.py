"""The bundled checklists: structure, stable codes, bilingual texts, valid scoring attributes."""

from __future__ import annotations

import re

import pytest

from audit.checklists.importer import QUESTION_KEYS, bundled_documents

DOCS = {doc["code"]: doc for doc in bundled_documents()}
DIMENSIONS = {"tangibles", "reliability", "responsiveness", "assurance", "empathy"}
FACTORS = {"product", "convenience", "people"}
KINDS = {"yes_no", "scale", "choice", "number", "text", "photo", "time", "date"}


def questions(doc):
    return [q for s in doc["sections"] for q in s["questions"]]


def texts(doc):
    yield doc["title"]
    yield doc["description"]
    for section in doc["sections"]:
        yield section["title"]
        for q in section["questions"]:
            yield q["text"]
            if "help" in q:
                yield q["help"]
            for option in q.get("options", []):
                yield option["label"]


def test_the_three_checklists_are_bundled():
    assert set(DOCS) == {"servqual-branch", "care-protocol-in-person", "phone-call-audit"}


@pytest.mark.parametrize("code", sorted(DOCS))
def test_every_text_is_bilingual(code):
    for text in texts(DOCS[code]):
        assert set(text) == {"en", "vi"}, text
        assert text["en"].strip() and text["vi"].strip(), text
        assert text["en"] != text["vi"] or len(text["en"]) < 6, text


@pytest.mark.parametrize("code", sorted(DOCS))
def test_questions_are_well_formed(code):
    doc = DOCS[code]
    seen = []
    for q in questions(doc):
        assert set(q) <= QUESTION_KEYS, q["code"]
        assert q["kind"] in KINDS
        assert q.get("dimension") in DIMENSIONS | {None}
        assert q.get("factor") in FACTORS | {None}
        assert q.get("step") in {None, 1, 2, 3, 4, 5}
        assert q.get("points", 1) >= 0
        if q["kind"] == "scale":
            assert q["max_value"] > q.get("min_value", 1)
        if q["kind"] == "choice":
            assert all(0 <= o["fraction"] <= 1 for o in q["options"])
            assert max(o["fraction"] for o in q["options"]) == 1
        if q["kind"] in {"yes_no", "scale", "choice", "number"} and q.get("points", 1) > 0:
            assert q.get("dimension"), f"{q['code']} is scored but has no dimension"
        if "condition" in q:
            assert q["condition"]["question"] in seen, f"{q['code']} depends on a later code"
        seen.append(q["code"])
    assert len(seen) == len(set(seen))


def test_servqual_has_the_22_statements_by_dimension():
    qs = {q["code"]: q for q in questions(DOCS["servqual-branch"])}
    expected = {"T": ("tangibles", 4), "R": ("reliability", 5), "RS": ("responsiveness", 4),
                "A": ("assurance", 4), "E": ("empathy", 5)}
    for prefix, (dimension, count) in expected.items():
        codes = [f"{prefix}{i}" for i in range(1, count + 1)]
        for code in codes:
            assert qs[code]["kind"] == "scale"
            assert (qs[code]["min_value"], qs[code]["max_value"]) == (1, 7)
            assert qs[code]["dimension"] == dimension
    statements = [c for c in qs if re.fullmatch(r"(T|R|RS|A|E)\d", c)]
    assert len(statements) == 22
    assert {q.get("kpi") for q in qs.values()} >= {"nps", "csat", "ces", "fcr", "wait_seconds"}
    assert (qs["NPS"]["min_value"], qs["NPS"]["max_value"]) == (0, 10)
    assert (qs["WAIT"]["pass_min"], qs["WAIT"]["pass_max"]) == (0, 60)


def test_protocol_has_three_behaviours_per_step_and_two_critical_items():
    qs = questions(DOCS["care-protocol-in-person"])
    for step in range(1, 6):
        behaviours = [q for q in qs if re.fullmatch(rf"P{step}\.\d+", q["code"])
                      and q["kind"] == "yes_no"]
        assert len(behaviours) >= 3, step
        assert all(q["step"] == step and q["dimension"] and q["factor"] for q in behaviours)
    assert sum(1 for q in qs if q.get("critical")) >= 2
    assert any("condition" in q for q in qs)
    assert DOCS["care-protocol-in-person"]["critical_policy"] == "zero"


def test_phone_audit_rings_and_call_back():
    qs = {q["code"]: q for q in questions(DOCS["phone-call-audit"])}
    assert qs["RINGS"]["pass_max"] == 3
    assert qs["CB2"]["condition"] == {"question": "CB1", "values": [True]}
    assert DOCS["phone-call-audit"]["channel"] == "phone"
    for step in range(1, 6):
        assert any(re.fullmatch(rf"PH{step}\.\d+", c) for c in qs), step
