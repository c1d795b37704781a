"""The document rules (pure): every rule of the editor and the importer, with its path."""

from __future__ import annotations

import copy

import pytest

from audit.checklists.importer import bundled_documents
from audit.checklists.rules import errors_only, question_problems, validate_document

BASE = {
    "code": "demo", "title": {"vi": "Thử", "en": "Demo"}, "channel": "in_person",
    "critical_policy": "flag",
    "sections": [{"code": "s1", "title": {"vi": "Phần 1", "en": "Part 1"}, "questions": [
        {"code": "Q1", "kind": "yes_no", "text": {"vi": "Có?", "en": "Yes?"}},
        {"code": "Q2", "kind": "choice", "text": {"vi": "Chọn", "en": "Pick"}, "options": [
            {"value": "a", "label": {"vi": "A", "en": "A"}, "fraction": 1},
            {"value": "b", "label": {"vi": "B", "en": "B"}, "fraction": 0}]},
        {"code": "Q3", "kind": "scale", "text": {"vi": "Thang", "en": "Scale"},
         "min_value": 1, "max_value": 5},
    ]}],
}


def errors(doc, **kwargs):
    return {(p.path, p.key) for p in errors_only(validate_document(doc, **kwargs))}


def changed(path, value):
    """BASE with one question (index) changed: path like ('Q2', 'options', 0, 'fraction')."""
    doc = copy.deepcopy(BASE)
    target = doc["sections"][0]["questions"]
    *head, last = path
    for key in head:
        target = target[key]
    if value is KeyError:
        del target[last]
    else:
        target[last] = value
    return doc


def test_base_is_valid():
    assert validate_document(BASE) == []
    assert errors(BASE, publishing=True) == set()


@pytest.mark.parametrize("doc", bundled_documents(), ids=lambda d: d["code"])
def test_bundled_documents_are_valid(doc):
    assert errors(doc, publishing=True) == set()


@pytest.mark.parametrize("path, value, expected", [
    ((0, "kind"), "essay", ("sections[0].questions[0].kind", "not_one_of")),
    ((0, "code"), "Q2", ("sections[0].questions[1].code", "duplicate")),
    ((0, "code"), "bad code", ("sections[0].questions[0].code", "code_format")),
    ((0, "code"), "", ("sections[0].questions[0].code", "code_missing")),
    ((0, "text"), {"vi": " ", "en": ""}, ("sections[0].questions[0].text", "text_missing")),
    ((0, "text"), {"vi": "x", "fr": "y"}, ("sections[0].questions[0].text.fr",
                                           "unknown_language")),
    ((0, "points"), -1, ("sections[0].questions[0].points", "negative")),
    ((0, "points"), "3", ("sections[0].questions[0].points", "not_number")),
    ((0, "step"), 6, ("sections[0].questions[0].step", "not_one_of")),
    ((0, "dimension"), "speed", ("sections[0].questions[0].dimension", "not_one_of")),
    ((0, "factor"), "price", ("sections[0].questions[0].factor", "not_one_of")),
    ((0, "kpi"), "aht", ("sections[0].questions[0].kpi", "not_one_of")),
    ((0, "critical"), "yes", ("sections[0].questions[0].critical", "not_bool")),
    ((0, "colour"), "red", ("sections[0].questions[0].colour", "unknown_key")),
    ((0, "pass_max"), 3, ("sections[0].questions[0].pass_max", "only_for_kinds")),
    ((2, "max_value"), 1, ("sections[0].questions[2].max_value", "scale_order")),
    ((2, "max_value"), KeyError, ("sections[0].questions[2].max_value", "scale_max_missing")),
    ((2, "max_value"), 4.5, ("sections[0].questions[2].max_value", "scale_whole")),
    ((2, "max_value"), 50, ("sections[0].questions[2].max_value", "scale_span")),
    ((1, "options", 0, "fraction"), 1.5, ("sections[0].questions[1].options[0].fraction",
                                          "fraction_range")),
    ((1, "options", 0, "fraction"), -0.1, ("sections[0].questions[1].options[0].fraction",
                                           "fraction_range")),
    ((1, "options", 1, "value"), "a", ("sections[0].questions[1].options[1].value",
                                       "duplicate")),
    ((1, "options"), [{"value": "a", "label": {"en": "A"}, "fraction": 1}],
     ("sections[0].questions[1].options", "options_too_few")),
    ((1, "options"), KeyError, ("sections[0].questions[1].options", "options_missing")),
    ((0, "condition"), {"question": "Q1", "values": [True]},
     ("sections[0].questions[0].condition.question", "condition_not_earlier")),
    ((0, "condition"), {"question": "Q3", "values": [3]},
     ("sections[0].questions[0].condition.question", "condition_not_earlier")),
    ((2, "condition"), {"question": "Q2", "values": ["c"]},
     ("sections[0].questions[2].condition.values[0]", "condition_value")),
    ((2, "condition"), {"question": "Q1", "values": ["yes"]},
     ("sections[0].questions[2].condition.values[0]", "condition_value")),
    ((2, "condition"), {"question": "Q1", "values": []},
     ("sections[0].questions[2].condition.values", "condition_values_missing")),
])
def test_each_rule_names_its_place(path, value, expected):
    assert expected in errors(changed(path, value))


def test_condition_on_earlier_question_with_valid_values_passes():
    doc = changed((2, "condition"), {"question": "Q2", "values": ["a", "b"]})
    assert errors(doc) == set()
    doc = changed((2, "condition"), {"question": "Q1", "values": [False]})
    assert errors(doc) == set()


def test_one_language_is_a_warning_not_an_error():
    doc = changed((0, "text"), {"vi": "Chỉ tiếng Việt"})
    problems = validate_document(doc)
    assert [(p.path, p.key, p.warning) for p in problems] == [
        ("sections[0].questions[0].text", "language_missing", True)]
    assert problems[0].params == {"lang": "en"}


def test_document_level_rules():
    doc = copy.deepcopy(BASE)
    doc.update(channel="fax", critical_policy="ignore", extra=1)
    doc["sections"].append({"code": "s1", "title": {"en": "Again"}, "questions": []})
    found = errors(doc, publishing=True)
    assert {("channel", "not_one_of"), ("critical_policy", "not_one_of"),
            ("extra", "unknown_key"), ("sections[1].code", "duplicate"),
            ("sections[1].questions", "section_empty")} <= found
    assert errors({**BASE, "sections": []}, publishing=True) == {("sections", "no_questions")}
    assert errors({**BASE, "sections": "none"}) == {("sections", "not_list")}
    assert errors([1, 2]) == {("", "not_mapping")}


def test_question_problems_alone_uses_the_earlier_questions():
    item = {"code": "Q9", "kind": "yes_no", "text": {"en": "x", "vi": "y"},
            "condition": {"question": "Q1", "values": [True]}}
    earlier = {"Q1": BASE["sections"][0]["questions"][0]}
    assert question_problems(item, "", earlier) == []
    assert [p.key for p in question_problems(item, "", {})] == ["condition_not_earlier"]


def test_unscored_kinds_cannot_be_critical():
    doc = changed((0, "kind"), "text")
    doc["sections"][0]["questions"][0]["critical"] = True
    assert ("sections[0].questions[0].critical", "only_for_kinds") in errors(doc)
