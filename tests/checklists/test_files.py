"""Reading checklist files: formats, encodings, sizes, syntax, duplicates, aliases."""

from __future__ import annotations

import json

import pytest
import yaml

from audit.checklists import files


def problem(data: bytes, name: str = "c.yaml"):
    with pytest.raises(files.DocumentFileError) as caught:
        files.parse(data, name)
    return caught.value.problem.key, caught.value.problem.params


def test_reads_json_and_yaml_with_a_bom():
    assert files.parse(b'{"code": "x"}', "a.json") == {"code": "x"}
    assert files.parse("\ufeffcode: ý\n".encode(), "a.yml") == {"code": "ý"}


@pytest.mark.parametrize("data, name, key", [
    (b"code: x", "c.txt", "file_type"),
    (b"   \n", "c.yaml", "file_empty"),
    ("code: ý".encode("utf-16"), "c.yaml", "file_encoding"),
    (b"\xff\xfe\xfa", "c.json", "file_encoding"),
    (b"- a\n- b\n", "c.yaml", "not_mapping"),
    (b"code: [unclosed\n", "c.yaml", "yaml_syntax"),
    (b'{"code": "x",}', "c.json", "json_syntax"),
    (b'{"code": "x", "code": "y"}', "c.json", "duplicate_key"),
    (b"code: x\ncode: y\n", "c.yaml", "duplicate_key"),
    (b"a: &x [1, 2]\nb: *x\n", "c.yaml", "yaml_alias"),
    (b"a: !!python/object/apply:os.system ['true']\n", "c.yaml", "yaml_syntax"),
])
def test_refusals(data, name, key):
    assert problem(data, name)[0] == key


def test_syntax_errors_give_the_line():
    key, params = problem(b"code: x\ntitle: {en: 'a'\nchannel: phone\n")
    assert key == "yaml_syntax" and params["line"] >= 2
    key, params = problem(b'{\n  "code": x\n}', "c.json")
    assert (key, params["line"]) == ("json_syntax", 2)


def test_too_large():
    data = b"code: x\n" + b"#" * files.MAX_FILE_BYTES
    assert problem(data) == ("file_too_large", {"limit": 512})


def test_dump_is_readable_back_in_both_formats():
    doc = {"code": "x", "title": {"vi": "Tiếng Việt", "en": "English"}, "n": 1.5}
    assert files.parse(files.dump(doc, "yaml"), "x.yaml") == doc
    assert files.parse(files.dump(doc, "json"), "x.json") == doc
    assert "Tiếng Việt" in files.dump(doc, "yaml").decode()
    assert json.loads(files.dump(doc, "json")) == yaml.safe_load(files.dump(doc, "yaml"))
