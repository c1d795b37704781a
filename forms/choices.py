"""Select options the way WTForms 3.3+ wants them (tuples are deprecated; warnings fail)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from wtforms.fields.choices import SelectChoice


def choices(pairs: Iterable[tuple[Any, Any]]) -> list[SelectChoice]:
    """(value, label) pairs as SelectChoice options; labels may be lazy strings."""
    return [SelectChoice(value, label) for value, label in pairs]
