"""Defect 17: names sort as a Vietnamese reader expects (audit.textsort), not by code point."""

from __future__ import annotations

import random

import pytest

from audit.textsort import by_name, sort_key

# The order of a Vietnamese dictionary: letters first, regardless of case and tones; ă, â,
# đ, ê, ô, ơ and ư are letters of their own; then the tones (huyền, sắc, hỏi, ngã, nặng);
# then lower case before capitals.
ORDERED = [
    "An", "Anh", "Ánh", "Azu", "Ăn", "Ân", "Âu",
    "Bình",
    "Dung", "Dũng", "Dương", "Dương Thị Lan", "Đào", "Đỗ", "Đỗ Văn An",
    "Em", "Ê", "Ếch",
    "hà", "Hà", "Há", "Hả", "Hã", "Hạ", "Hải", "Hồ", "Huế", "Hưng",
    "Lê Ngọc Hải", "Lê Ngọc Huế", "Lê Nguyễn",
    "Oanh", "Ôn", "Ổn", "Ơn", "Ợt",
    "Út", "Uyên", "Ưng",
    "Zulu",
]


def test_vietnamese_dictionary_order():
    shuffled = ORDERED[:]
    random.Random(17).shuffle(shuffled)
    assert sorted(shuffled, key=sort_key) == ORDERED


@pytest.mark.parametrize(("first", "then"), [
    ("Dương", "Đỗ"),  # code point order put "Đỗ" after "Z"
    ("Dzung", "Đỗ"),  # đ is a letter after d, not a d with an accent
    ("Hải", "Huế"),  # code point order put "ả" after "u"
    ("hải", "Huế"),  # case comes last
    ("Huế", "Hưng"),
    ("an", "An"),
    ("Ha", "Hà"),
    ("Anh", "Ăn"),
])
def test_pairs(first, then):
    assert sort_key(first) < sort_key(then)


def test_spaces_and_none_and_by_name():
    assert sort_key("  Đỗ   Văn ") == sort_key("Đỗ Văn")
    assert sort_key(None) == sort_key("")
    people = [type("P", (), {"name": n})() for n in ("Đỗ", "Huế", "Dương", "Hải")]
    assert [p.name for p in by_name(people)] == ["Dương", "Đỗ", "Hải", "Huế"]
    assert by_name([(1, "Đỗ"), (2, "Dương")], lambda pair: pair[1]) == [(2, "Dương"), (1, "Đỗ")]
