"""Sorting names as a Vietnamese reader expects: "Dương" before "Đỗ", "Hải" before "Huế",
"Anh" before "Ánh" before "Ăn". People, branches, regions, franchisees and brands are sorted
for display with `sort_key`, never by code point (which put "Đỗ" after "Z").

The Unicode Collation Algorithm (pyuca, pure Python) with the Default Unicode Collation
Element Table, tailored by the rules of CLDR's Vietnamese collation: ă, â, đ, ê, ô, ơ and ư
are letters of their own after a, d, e, o and u (the default table only sets đ apart from d at
the accent level), and the tones rank huyền, sắc, hỏi, ngã, nặng. First letters regardless of
case and accents, then the accents, then the case. Pure: no Flask, no database.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import cache, lru_cache
from operator import attrgetter
from typing import TypeVar

from pyuca import Collator

T = TypeVar("T")

# CLDR vi: &a<ă<â &d<đ &e<ê &o<ô<ơ &u<ư. Each such letter collates as its base letter
# followed by a weight above every letter, so "Ăn" follows "Anh" and "Azu" and precedes "B".
_AFTER = {"\u0306": 0xFFF1, "\u0302": 0xFFF2, "\u031b": 0xFFF3, "stroke": 0xFFF1}
_LETTERS = {"a": "\u0306\u0302", "e": "\u0302", "o": "\u0302\u031b", "u": "\u031b"}
# CLDR vi: &̀<<́<<̉<<̃<<̣ (grave, acute, hook above, tilde, dot below), at the accent level.
_TONES = "\u0300\u0301\u0309\u0303\u0323"


@cache
def _collator() -> Collator:
    """The tailored collator, built on first use (reading the table takes about a second)."""
    collator = Collator()
    table = collator.table
    for base, marks in _LETTERS.items():
        for letter in (base, base.upper()):
            (element,) = collator.collation_elements(letter)
            for mark in marks:
                table.add([ord(letter), ord(mark)], [element, [_AFTER[mark], 0x20, 0x02]])
    for plain, stroked in (("d", "đ"), ("D", "Đ")):
        (element,) = collator.collation_elements(plain)
        table.add([ord(stroked)], [element, [_AFTER["stroke"], 0x20, 0x02]])
    weights = sorted(collator.collation_elements(mark)[0][1] for mark in _TONES)
    for mark, weight in zip(_TONES, weights, strict=True):
        table.add([ord(mark)], [[0, weight, 0x02]])
    return collator


@lru_cache(maxsize=50_000)
def sort_key(text: str | None) -> tuple[int, ...]:
    """The key that sorts `text` in Vietnamese order (spaces collapsed, None as "")."""
    return _collator().sort_key(" ".join((text or "").split()))


def by_name(items: Iterable[T], name: Callable[[T], str | None] = attrgetter("name")
            ) -> list[T]:
    """`items` sorted by their names in Vietnamese order."""
    return sorted(items, key=lambda item: sort_key(name(item)))
