"""The backup archive: a tar (gzip when the name ends in .tar.gz or .tgz) holding the
database dump, every stored file under `files/`, and `manifest.json` last with each
member's size and SHA-256.

No Flask here. The writer works on a `.part` file renamed only when complete, so an
interrupted backup never looks finished; the reader hashes every member against the
manifest before a restore writes anything.
"""

from __future__ import annotations

import hashlib
import json
import os
import tarfile
import time
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from io import BytesIO
from pathlib import Path
from typing import IO, Any

FORMAT = 1
MANIFEST = "manifest.json"
FILES = "files/"
CHUNK = 1 << 20


class ArchiveError(Exception):
    """The archive is unreadable, incomplete, or does not match its manifest."""


def is_gzip_name(path: Path) -> bool:
    return path.name.endswith((".tar.gz", ".tgz"))


def safe_key(key: Any) -> bool:
    """A storage key that cannot name anything outside the store."""
    if not isinstance(key, str) or "\\" in key or "\x00" in key:
        return False
    return all(part not in ("", ".", "..") for part in key.split("/"))


class ArchiveWriter:
    """Add members one by one, then `finish` with the manifest (or `abort`)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.part = path.with_name(path.name + ".part")
        # Photos are JPEG already; a middle gzip level keeps the database small without
        # spending seconds squeezing pictures. Closed by finish() or abort().
        options = {"compresslevel": 6} if is_gzip_name(path) else {}
        mode = "w:gz" if is_gzip_name(path) else "w"
        self._tar = tarfile.open(self.part, mode, **options)  # noqa: SIM115
        self._names: set[str] = set()

    def _info(self, name: str, size: int) -> tarfile.TarInfo:
        if name in self._names or name == MANIFEST:
            raise ValueError(f"member written twice: {name}")
        self._names.add(name)
        info = tarfile.TarInfo(name)
        info.size, info.mtime, info.mode = size, int(time.time()), 0o644
        return info

    def add_path(self, name: str, source: Path) -> dict[str, Any]:
        """Add a file from disk (the database dump); its size and SHA-256."""
        with source.open("rb") as stream:
            size, digest = _hash_stream(stream)
        with source.open("rb") as stream:
            self._tar.addfile(self._info(name, size), stream)
        return {"size": size, "sha256": digest}

    def add_bytes(self, name: str, data: bytes) -> dict[str, Any]:
        """Add one stored file; its size and SHA-256."""
        self._tar.addfile(self._info(name, len(data)), BytesIO(data))
        return {"size": len(data), "sha256": hashlib.sha256(data).hexdigest()}

    def finish(self, manifest: dict[str, Any]) -> None:
        """Write the manifest last and make the archive appear under its name."""
        data = json.dumps(manifest, ensure_ascii=False, indent=1).encode()
        info = tarfile.TarInfo(MANIFEST)
        info.size, info.mtime, info.mode = len(data), int(time.time()), 0o644
        self._tar.addfile(info, BytesIO(data))
        self._tar.close()
        os.replace(self.part, self.path)

    def abort(self) -> None:
        self._tar.close()
        self.part.unlink(missing_ok=True)


def _hash_stream(stream: IO[bytes], copy_to: Path | None = None) -> tuple[int, str]:
    digest, size = hashlib.sha256(), 0
    out = copy_to.open("wb") if copy_to else None
    try:
        while chunk := stream.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
            if out:
                out.write(chunk)
    finally:
        if out:
            out.close()
    return size, digest.hexdigest()


def _parse_manifest(data: bytes) -> dict[str, Any]:
    try:
        manifest = json.loads(data)
    except ValueError as exc:
        raise ArchiveError(f"the manifest is not valid JSON ({exc})") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise ArchiveError(f"unknown manifest format (this version reads format {FORMAT})")
    database, files = manifest.get("database"), manifest.get("files")
    if not isinstance(database, dict) or not isinstance(files, list) or \
            not isinstance(manifest.get("tables"), dict):
        raise ArchiveError("the manifest lacks its database, tables or files")
    for entry in files:
        if not isinstance(entry, dict) or not safe_key(entry.get("key")):
            raise ArchiveError(f"the manifest names an unsafe file key: {entry!r}")
    return manifest


def expected_members(manifest: dict[str, Any]) -> dict[str, tuple[int, str]]:
    """Every member the manifest promises, with its size and SHA-256."""
    database = manifest["database"]
    members = {database["member"]: (database["size"], database["sha256"])}
    for entry in manifest["files"]:
        members[FILES + entry["key"]] = (entry["size"], entry["sha256"])
    return members


class StorageWriteError(Exception):
    """The file store refused a file during a restore (not the archive's fault)."""


@contextmanager
def _reading(path: Path) -> Iterator[Iterator[tuple[tarfile.TarInfo, IO[bytes]]]]:
    """Members in order, read as a stream (no seeking); read errors become ArchiveError."""
    if not path.is_file():
        raise ArchiveError(f"{path}: no such archive")
    try:
        with tarfile.open(path, "r|*") as tar:
            yield ((member, _file(tar, member)) for member in tar)
    except (tarfile.TarError, EOFError, zlib.error, OSError) as exc:
        raise ArchiveError(f"{path} is damaged or incomplete ({exc})") from exc


def _file(tar: tarfile.TarFile, member: tarfile.TarInfo) -> IO[bytes]:
    stream = tar.extractfile(member) if member.isfile() else None
    if stream is None:
        raise ArchiveError(f"unexpected member {member.name!r} (not a file)")
    return stream


def verify(path: Path, extract: dict[str, Path] | None = None) -> dict[str, Any]:
    """Hash every member and compare with the manifest; return the manifest.

    Members named in `extract` are copied to the given paths while they are read (the
    database dump, so a restore reads a large archive once before writing anything).
    """
    seen: dict[str, tuple[int, str]] = {}
    manifest: dict[str, Any] | None = None
    with _reading(path) as members:
        for member, stream in members:
            if member.name in seen or (member.name == MANIFEST and manifest is not None):
                raise ArchiveError(f"member {member.name!r} appears twice")
            if member.name == MANIFEST:
                manifest = _parse_manifest(stream.read())
            else:
                seen[member.name] = _hash_stream(stream, (extract or {}).get(member.name))
    if manifest is None:
        raise ArchiveError(f"{path} has no manifest: the archive is incomplete")
    expected = expected_members(manifest)
    missing = sorted(set(expected) - set(seen))
    if missing:
        raise ArchiveError(f"{len(missing)} member(s) missing from the archive, e.g. "
                           f"{missing[0]!r}")
    unexpected = sorted(set(seen) - set(expected))
    if unexpected:
        raise ArchiveError(f"member {unexpected[0]!r} is not in the manifest")
    for name, (size, digest) in expected.items():
        if seen[name] != (size, digest):
            raise ArchiveError(f"{name!r} does not match the manifest (size or SHA-256): "
                               "the archive is corrupted")
    return manifest


def copy_files(path: Path, manifest: dict[str, Any],
               put: Callable[[str, bytes], None]) -> tuple[int, int]:
    """Hand every stored file to `put`, checking its SHA-256 again; (files, bytes)."""
    wanted = {FILES + e["key"]: e for e in manifest["files"]}
    count = total = 0
    with _reading(path) as members:
        for member, stream in members:
            entry = wanted.get(member.name)
            if entry is None:
                continue
            data = stream.read()
            if hashlib.sha256(data).hexdigest() != entry["sha256"]:
                raise ArchiveError(f"{member.name!r} changed since it was verified")
            try:
                put(entry["key"], data)
            except Exception as exc:  # noqa: BLE001 - any store; say it was the store
                raise StorageWriteError(f"storing {entry['key']!r} failed: {exc}") from exc
            count, total = count + 1, total + len(data)
    if count != len(wanted):
        raise ArchiveError(f"only {count} of {len(wanted)} files could be read again")
    return count, total
