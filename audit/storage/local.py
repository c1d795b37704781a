"""Files on local disk under a root folder (the default back end: the instance folder)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

from audit.storage.base import PARTIAL_SUFFIX, StoredFile, check_key, check_prefix


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
