"""The file store's contract: what a store does, the keys it accepts, and what it lists.
The back ends (`local.py`, `s3.py`) implement it; `audit.storage` picks one per app."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

PARTIAL_SUFFIX = ".part"  # a local file still being written (or left by a killed writer)


@dataclass(frozen=True)
class StoredFile:
    """One stored file as listed: its key, size and last change (for the orphan grace)."""

    key: str
    size: int
    modified: datetime
    partial: bool = False


class Storage(Protocol):
    """What photos, action evidence and reports need from a store of files."""

    def put(self, key: str, data: bytes) -> None: ...
    def get(self, key: str) -> bytes: ...
    def delete(self, key: str) -> None: ...
    def exists(self, key: str) -> bool: ...
    def keys(self, prefix: str = "") -> Iterator[str]: ...
    def files(self, prefix: str = "") -> Iterator[StoredFile]: ...


def check_key(key: str) -> str:
    """Refuse keys that could leave the store's root or prefix, whatever the back end: empty,
    absolute, `.`/`..` or empty segments, backslashes, control characters."""
    if (not key or key.startswith("/") or "\\" in key or any(ord(c) < 32 for c in key)
            or any(part in ("", ".", "..") for part in key.split("/"))):
        raise ValueError(f"invalid storage key: {key!r}")
    return key


def check_prefix(prefix: str) -> str:
    """A listing prefix: empty, or a key's beginning under the same rules."""
    if prefix:
        check_key(prefix.rstrip("/") or "/")
    return prefix



def discard(storage: Storage, *keys: str | None) -> None:
    """Best-effort delete after a failure: the failure's own error must stand, and a file
    left behind is an orphan that `flask storage cleanup` removes."""
    for key in keys:
        if key:
            with contextlib.suppress(Exception):
                storage.delete(key)
