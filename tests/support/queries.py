"""Counting SQL statements, to catch a query run once per row (Indico's `count_queries`).

    with count_queries() as few:
        client.get("/actions")
    few.count, few.statements

`assert_queries_flat` renders a page with few rows and again with many, and fails when the
number of statements grew with the rows.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from typing import Any

import pytest
from sqlalchemy import event
from sqlalchemy.engine import Engine

# Savepoints come from the test's rolled-back transaction, not from the page.
_NOT_COUNTED = re.compile(r"^\s*(SAVEPOINT|RELEASE SAVEPOINT|ROLLBACK TO SAVEPOINT)\b", re.I)


@dataclass
class QueryCount:
    """The statements run inside one `count_queries()` block."""

    statements: list[str] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.statements)


@pytest.fixture
def count_queries() -> Iterator[Callable[[], AbstractContextManager[QueryCount]]]:
    """A context manager that counts the SQL statements sent to any engine inside it."""
    active: list[QueryCount] = []

    def before_cursor_execute(conn, cursor, statement, parameters, context, executemany):
        if active and not _NOT_COUNTED.match(statement):
            active[-1].statements.append(statement)

    @contextmanager
    def counter() -> Iterator[QueryCount]:
        counted = QueryCount()
        active.append(counted)
        try:
            yield counted
        finally:
            active.remove(counted)

    event.listen(Engine, "before_cursor_execute", before_cursor_execute)
    try:
        yield counter
    finally:
        event.remove(Engine, "before_cursor_execute", before_cursor_execute)


def _shape(statements: list[str]) -> list[str]:
    """Statements without their spacing, to show which one repeats."""
    return [" ".join(s.split())[:160] for s in statements]


def assert_queries_flat(count_queries, fetch: Callable[[], Any],
                        grow: Callable[[], object]) -> tuple[Any, Any]:
    """`fetch()` (a page or an API answer) runs as many statements after `grow()` added rows
    as before: none of them is run once per row. Returns both answers."""
    first = fetch()  # caches that fill on a first request do not count
    assert getattr(first, "status_code", 200) == 200, first
    with count_queries() as few:
        before = fetch()
    grow()
    with count_queries() as many:
        after = fetch()
    assert getattr(after, "status_code", 200) == 200, after
    if many.count != few.count:
        extra = _shape(many.statements)
        for s in _shape(few.statements):
            if s in extra:
                extra.remove(s)
        pytest.fail(f"{few.count} statements with few rows, {many.count} with more; "
                    "run once per row:\n" + "\n".join(extra[:20]))
    return before, after
