"""Answers for a visit's checklist version, as `operations.save_answers` takes them."""

from __future__ import annotations

from typing import Any

_PASSING = {"number": 5, "text": "ok", "choice": "solved"}


def perfect_answers(visit, overrides: dict[str, Any] | None = None, *, failing=(),
                    number: int = 5, text: str = "ok",
                    comments: dict[str, str] | str | None = None) -> list[dict[str, Any]]:
    """Every plain question (no condition, not a photo) answered with full points.

    `overrides` maps question codes to the values to give instead; the yes/no questions
    in `failing` get their failing answer; `comments` maps codes to a comment, or is one
    comment for every question.
    """
    overrides = overrides or {}
    items = []
    for q in visit.checklist_version.ordered_questions():
        if q.condition or q.kind == "photo":
            continue
        value = {**_PASSING, "yes_no": not q.no_passes, "number": number,
                 "text": text}.get(q.kind)
        if q.kind == "scale":
            value = int(q.max_value)
        if q.code in failing and q.kind == "yes_no":
            value = q.no_passes
        item = {"question": q.code, "value": overrides.get(q.code, value)}
        comment = comments if isinstance(comments, str) else (comments or {}).get(q.code)
        if comment:
            item["comment"] = comment
        items.append(item)
    return items
