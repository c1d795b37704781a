"""The kinds of report the library can generate: one place where PDF modules register a
renderer and the library, its background jobs and the API look it up by name."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from audit.models.auth import User

Progress = Callable[[int], None]
"""Called with a percentage (0-100) while a report renders, for the progress indicator."""

Renderer = Callable[[User, dict[str, Any], str, Progress], bytes]
"""render(user, params, lang, progress) -> the file's bytes. It applies the user's access
rules itself (out-of-scope ids raise `audit.errors.OutOfScope`) and renders in `lang`."""


@dataclass(frozen=True)
class ReportKind:
    name: str
    render: Renderer
    media_type: str = "application/pdf"
    extension: str = "pdf"


KINDS: dict[str, ReportKind] = {}


def register(kind: ReportKind) -> ReportKind:
    """Make a kind available to the library (called at import of the module defining it)."""
    KINDS[kind.name] = kind
    return kind


def get(name: str) -> ReportKind:
    """The registered kind, or KeyError."""
    return KINDS[name]
