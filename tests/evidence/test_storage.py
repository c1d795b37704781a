"""The local file store: keys stay inside the root and listing skips half-written files."""

import pytest

from audit.evidence.storage import LocalStorage


def test_keys_lists_by_prefix_and_skips_partial_files(tmp_path):
    store = LocalStorage(tmp_path)
    store.put("photos/1/a.jpg", b"a")
    store.put("photos/2/b.jpg", b"b")
    store.put("reports/1.pdf", b"r")
    (tmp_path / "photos" / "1" / "c.jpg.part").write_bytes(b"half")
    assert list(store.keys("photos/")) == ["photos/1/a.jpg", "photos/2/b.jpg"]
    assert list(store.keys()) == ["photos/1/a.jpg", "photos/2/b.jpg", "reports/1.pdf"]


def test_keys_of_a_missing_root_is_empty(tmp_path):
    assert list(LocalStorage(tmp_path / "none").keys()) == []


def test_a_key_cannot_escape_the_root(tmp_path):
    with pytest.raises(ValueError):
        LocalStorage(tmp_path / "root").put("../outside.txt", b"x")
