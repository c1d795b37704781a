"""Search text folded the way Vietnamese is typed on a phone: without case or diacritics,
so "nguyen" finds "Nguyễn" and "do thi" finds "ĐỖ THỊ".

Kept in a column beside the text it folds (people, branches) because neither engine folds
in the query the same way: SQLite's lower() knows only ASCII ("Đỗ" stays "Đỗ"), and
PostgreSQL strips accents only with the unaccent extension, which a deployment may lack.
Pure: no Flask, no database."""

from __future__ import annotations

import unicodedata


def fold(*parts: str | None) -> str:
    """The parts joined by spaces, without diacritics (đ is d), case-folded, spaces
    collapsed."""
    text = " ".join(part for part in parts if part)
    text = text.replace("đ", "d").replace("Đ", "D")
    bare = "".join(c for c in unicodedata.normalize("NFKD", text)
                   if not unicodedata.combining(c))
    return " ".join(bare.casefold().split())
