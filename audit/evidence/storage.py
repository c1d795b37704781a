"""Where photo files live: a small interface, local disk under the instance folder for now."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Protocol


class Storage(Protocol):
    """What the photo pipeline needs from a store of files."""

    def put(self, key: str, data: bytes) -> None: ...
    def get(self, key: str) -> bytes: ...
    def delete(self, key: str) -> None: ...
    def exists(self, key: str) -> bool: ...
    def keys(self, prefix: str = "") -> Iterator[str]: ...


class LocalStorage:
    """Files under a root folder; keys are relative paths made by the application."""

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)

    def _path(self, key: str) -> Path:
        path = (self.root / key).resolve()
        if self.root.resolve() not in path.parents:
            raise ValueError(f"storage key escapes the root: {key!r}")
        return path

    def put(self, key: str, data: bytes) -> None:
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(path.suffix + ".part")
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
        root = self.root.resolve()
        if not root.exists():
            return
        for path in sorted(root.rglob("*")):
            if path.is_file() and not path.name.endswith(".part"):
                key = path.relative_to(root).as_posix()
                if key.startswith(prefix):
                    yield key


def storage_for(app) -> Storage:  # noqa: ANN001 - a Flask app
    """The configured photo store (PHOTO_ROOT, default `<instance>/photos`)."""
    root = app.config.get("PHOTO_ROOT") or Path(app.instance_path) / "photos"
    return LocalStorage(root)
