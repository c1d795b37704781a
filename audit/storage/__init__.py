"""Where photo, evidence and report files live: a small interface (`base.py`) with two back
ends, local disk under the instance folder (`local.py`, the default) and object storage
through the S3 API (`s3.py`), chosen by STORAGE_BACKEND. The store is made once per app and
process and shared by its threads."""

from __future__ import annotations

import os
import threading
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from audit.storage.base import Storage
from audit.storage.local import LocalStorage

BACKENDS = ("local", "s3")


def build_storage(config: Mapping[str, Any], instance_path: str | Path) -> Storage:
    """The store the configuration names (STORAGE_BACKEND: `local` or `s3`)."""
    backend = config.get("STORAGE_BACKEND") or "local"
    if backend == "s3":
        from audit.storage.s3 import S3Storage, make_client

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
