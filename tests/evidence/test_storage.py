"""The file stores, local disk and S3 (moto's server over HTTP): the same behaviour, the same
key rules, listing by prefix, and one store per app and process."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest

import audit.storage as storage_module
from audit.config import load_config
from audit.storage import build_storage, storage_for
from audit.storage import s3 as s3_module
from audit.storage.local import LocalStorage
from audit.storage.s3 import S3Storage
from tests.conftest import S3_BUCKET, s3_config, s3_store


@pytest.fixture(params=["local", "s3"])
def store(request, tmp_path):
    """An empty store of each kind (a fresh prefix of the test bucket for S3)."""
    if request.param == "local":
        return LocalStorage(tmp_path / "root")
    return s3_store(request.getfixturevalue("s3_client"))


def test_put_get_exists_delete(store):
    store.put("visits/1/a.jpg", b"\xff\xd8 picture")
    assert store.exists("visits/1/a.jpg")
    assert store.get("visits/1/a.jpg") == b"\xff\xd8 picture"
    store.put("visits/1/a.jpg", b"replaced")
    assert store.get("visits/1/a.jpg") == b"replaced"
    store.delete("visits/1/a.jpg")
    assert not store.exists("visits/1/a.jpg")
    store.delete("visits/1/a.jpg")  # deleting twice is harmless
    with pytest.raises(FileNotFoundError):
        store.get("visits/1/a.jpg")


def test_keys_and_files_list_by_prefix(store):
    before = datetime.now(UTC) - timedelta(seconds=2)
    store.put("visits/1/a.jpg", b"a")
    store.put("visits/2/b.jpg", b"bb")
    store.put("reports/1.pdf", b"rrr")
    assert list(store.keys("visits/")) == ["visits/1/a.jpg", "visits/2/b.jpg"]
    assert list(store.keys()) == ["reports/1.pdf", "visits/1/a.jpg", "visits/2/b.jpg"]
    assert list(store.keys("actions/")) == []
    files = {f.key: f for f in store.files()}
    assert {k: f.size for k, f in files.items()} == {
        "reports/1.pdf": 3, "visits/1/a.jpg": 1, "visits/2/b.jpg": 2}
    assert all(before <= f.modified <= datetime.now(UTC) + timedelta(seconds=2)
               for f in files.values())


@pytest.mark.parametrize("key", ["../outside.txt", "visits/../../x", "/etc/passwd", "a//b",
                                 "a\\b", "", "visits/./a", "visits/\x00a", "visits/.."])
def test_invalid_keys_are_refused_by_every_operation(store, key):
    for call in (lambda: store.put(key, b"x"), lambda: store.get(key),
                 lambda: store.exists(key), lambda: store.delete(key)):
        with pytest.raises(ValueError):
            call()
    with pytest.raises(ValueError):
        list(store.keys("../"))
    assert list(store.keys()) == []


def test_local_listing_flags_partial_files(tmp_path):
    store = LocalStorage(tmp_path)
    store.put("visits/1/a.jpg", b"a")
    (tmp_path / "visits" / "1" / "c.jpg.part").write_bytes(b"half")
    assert list(store.keys("visits/")) == ["visits/1/a.jpg"]
    assert [(f.key, f.partial) for f in store.files("visits/")] == [
        ("visits/1/a.jpg", False), ("visits/1/c.jpg.part", True)]


def test_keys_of_a_missing_root_is_empty(tmp_path):
    assert list(LocalStorage(tmp_path / "none").keys()) == []


def test_s3_prefix_keeps_deployments_apart(s3_endpoint, s3_client):
    one = build_storage(s3_config(s3_endpoint, "/deploy-one/"), "")
    two = S3Storage(s3_client, S3_BUCKET, "deploy-two")
    one.put("visits/1/a.jpg", b"one")
    two.put("visits/1/a.jpg", b"two")
    assert (one.get("visits/1/a.jpg"), two.get("visits/1/a.jpg")) == (b"one", b"two")
    assert list(one.keys()) == ["visits/1/a.jpg"]
    names = [o["Key"] for o in one.client.list_objects_v2(
        Bucket=S3_BUCKET, Prefix="deploy-")["Contents"]]
    assert names == ["deploy-one/visits/1/a.jpg", "deploy-two/visits/1/a.jpg"]
    head = one.client.head_object(Bucket=S3_BUCKET, Key="deploy-one/visits/1/a.jpg")
    assert head["ContentType"] == "image/jpeg"
    with pytest.raises(ValueError):
        S3Storage(s3_client, S3_BUCKET, "../other")


def test_one_client_per_app_and_process_made_under_a_lock(s3_endpoint, s3_client, monkeypatch):
    made = []
    real = s3_module.make_client

    def counting(config):
        made.append(threading.get_ident())
        return real(config)

    monkeypatch.setattr(s3_module, "make_client", counting)
    app = SimpleNamespace(extensions={}, config=s3_config(s3_endpoint), instance_path="")
    seen, start = [], threading.Barrier(8)

    def use() -> None:
        start.wait()
        seen.append(storage_for(app))

    threads = [threading.Thread(target=use) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(made) == 1 and len({id(s) for s in seen}) == 1
    assert isinstance(seen[0], S3Storage) and storage_for(app) is seen[0]
    monkeypatch.setattr(storage_module.os, "getpid", lambda: -1)  # as in a forked child
    assert storage_for(app) is not seen[0] and len(made) == 2


def test_local_is_the_default_under_the_instance_folder(tmp_path):
    app = SimpleNamespace(extensions={}, config={}, instance_path=str(tmp_path))
    store = storage_for(app)
    assert isinstance(store, LocalStorage) and store.root == tmp_path / "photos"


@pytest.mark.parametrize(("env", "message"), [
    ({"STORAGE_BACKEND": "s3"}, "S3_BUCKET"),
    ({"STORAGE_BACKEND": "ftp"}, "Unknown STORAGE_BACKEND"),
])
def test_bad_storage_settings_stop_the_app_at_start(monkeypatch, env, message):
    for name in ("STORAGE_BACKEND", "S3_BUCKET"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(RuntimeError, match=message):
        load_config("testing")


def test_s3_settings_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("STORAGE_BACKEND", "S3")
    monkeypatch.setenv("S3_BUCKET", "photos")
    monkeypatch.setenv("S3_ENDPOINT_URL", "http://127.0.0.1:9000")
    monkeypatch.setenv("S3_PREFIX", "prod")
    monkeypatch.setenv("REPORT_KEEP_DAYS", "7")
    config = load_config("testing")
    assert (config.STORAGE_BACKEND, config.S3_BUCKET, config.S3_ENDPOINT_URL,
            config.S3_PREFIX, config.REPORT_KEEP_DAYS) == (
        "s3", "photos", "http://127.0.0.1:9000", "prod", 7)
