"""Where photo, evidence and report files live: a small interface with two back ends, local
disk under the instance folder (the default) and object storage through the S3 API
(`audit/evidence/s3.py`), chosen by STORAGE_BACKEND. The store is made once per app and
process and shared by its threads."""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

PARTIAL_SUFFIX = ".part"  # a local file still being written (or left by a killed writer)
BACKENDS = ("local", "s3")


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


class LocalStorage:
    """Files under a root folder; keys are relative paths made by the application."""

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)

    def _path(self, key: str) -> Path:
        check_key(key)
        path = (self.root / key).resolve()
        if self.root.resolve() not in path.parents:
            raise ValueError(f"storage key escapes the root: {key!r}")
        return path

    def put(self, key: str, data: bytes) -> None:
        """Write beside the target and rename, so a reader never sees half a file."""
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(path.suffix + PARTIAL_SUFFIX)
        tmp.write_bytes(data)
        tmp.replace(path)

    def get(self, key: str) -> bytes:
        return self._path(key).read_bytes()

    def delete(self, key: str) -> None:
        self._path(key).unlink(missing_ok=True)

    def exists(self, key: str) -> bool:
        return self._path(key).exists()

    def keys(self, prefix: str = "") -> Iterator[str]:
        """Stored keys starting with `prefix`, sorted; half-written `.part` files are skipped."""
        return (f.key for f in self.files(prefix) if not f.partial)

    def files(self, prefix: str = "") -> Iterator[StoredFile]:
        """Every file starting with `prefix`, sorted, half-written ones flagged `partial` (a
        writer killed mid-write leaves one; the orphan cleanup removes it after the grace)."""
        check_prefix(prefix)
        root = self.root.resolve()
        if not root.exists():
            return
        for path in sorted(root.rglob("*")):
            key = path.relative_to(root).as_posix()
            if key.startswith(prefix) and path.is_file():
                stat = path.stat()
                yield StoredFile(key, stat.st_size,
                                 datetime.fromtimestamp(stat.st_mtime, UTC),
                                 key.endswith(PARTIAL_SUFFIX))


def build_storage(config: Mapping[str, Any], instance_path: str | Path) -> Storage:
    """The store the configuration names (STORAGE_BACKEND: `local` or `s3`)."""
    backend = config.get("STORAGE_BACKEND") or "local"
    if backend == "s3":
        from audit.evidence.s3 import S3Storage, make_client

        return S3Storage(make_client(config), config["S3_BUCKET"], config.get("S3_PREFIX") or "")
    if backend != "local":
        raise RuntimeError(f"Unknown STORAGE_BACKEND {backend!r}; use one of {BACKENDS}")
    return LocalStorage(config.get("PHOTO_ROOT") or Path(instance_path) / "photos")


class _Holder:
    """One store per app and process: boto3 clients are thread-safe once made, but making
    them is not, and a forked child (gunicorn, RQ) must not share its parent's sockets."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.store: Storage | None = None
        self.pid = 0


_holders_lock = threading.Lock()
EXTENSION = "audit.storage"


def _holder(app) -> _Holder:  # noqa: ANN001 - a Flask app
    holder = app.extensions.get(EXTENSION)
    if holder is None:
        with _holders_lock:
            holder = app.extensions.setdefault(EXTENSION, _Holder())
    return holder


def storage_for(app) -> Storage:  # noqa: ANN001 - a Flask app
    """The configured store, made on first use in this process."""
    holder = _holder(app)
    store, pid = holder.store, os.getpid()
    if store is not None and holder.pid == pid:
        return store
    with holder.lock:
        if holder.store is None or holder.pid != pid:
            holder.store = build_storage(app.config, app.instance_path)
            holder.pid = pid
        return holder.store


def use_storage(app, store: Storage | None) -> Storage | None:  # noqa: ANN001 - a Flask app
    """Put a given store in place of the configured one (tests, tools); returns the one it
    replaced, and None puts the configured one back on next use."""
    holder = _holder(app)
    with holder.lock:
        previous, holder.store, holder.pid = holder.store, store, os.getpid()
    return previous


def discard(storage: Storage, *keys: str | None) -> None:
    """Best-effort delete after a failure: the failure's own error must stand, and a file
    left behind is an orphan that `flask storage cleanup` removes."""
    for key in keys:
        if key:
            with contextlib.suppress(Exception):
                storage.delete(key)
