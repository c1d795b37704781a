"""Scheduled work: reminders, digests, deadlines and report expiry, run by one periodic
tick. Features register their tasks with `@periodic("name")`; each task takes the tick's
time and returns how many things it did. A task must be safe to run twice for the same
time (it announces through `notify` with a dedupe key, or checks what is already done),
because a tick may run again after a crash or in a second process."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

Task = Callable[[datetime], int]
TASKS: dict[str, Task] = {}


def periodic(name: str) -> Callable[[Task], Task]:
    """Register a task of the tick under `name` (one task per name)."""

    def register(task: Task) -> Task:
        TASKS[name] = task
        return task

    return register


def run_tasks(now: datetime) -> dict[str, int]:
    """Run every registered task once, in the order they were registered."""
    return {name: task(now) for name, task in list(TASKS.items())}
