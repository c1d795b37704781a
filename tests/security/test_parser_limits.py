"""Parser bombs (issue 13, defect 22): JSON or YAML nested 100 000 levels deep, integers
of thousands of digits and non-finite numbers answer like any malformed body (400 or 422
in the API's error format, the import page with its message), never 500, before and after
authentication."""

from __future__ import annotations

import io
import json

import pytest

from audit import safejson
from tests.support import PASSWORD, login

DEEP = 100_000
DEEP_ARRAY = "[" * DEEP + "]" * DEEP
DEEP_OBJECT = '{"a":' * DEEP + "1" + "}" * DEEP
LONG_INT = "9" * 5000
EN = {"Accept-Language": "en"}


def bodies(inner: str) -> list[str]:
    """Hostile documents: the bomb alone and the bomb inside an ordinary body."""
    return [
        DEEP_ARRAY,
        DEEP_OBJECT,
        inner.replace("@", DEEP_ARRAY),
        inner.replace("@", LONG_INT),
        inner.replace("@", "NaN"),
        inner.replace("@", "Infinity"),
        inner.replace("@", "1e999"),
    ]


def assert_malformed(response) -> None:
    assert response.status_code in (400, 422), (response.status_code, response.data[:200])
    body = response.get_json()
    assert set(body) <= {"error", "details"} and body["error"]


TOKEN_BODIES = bodies('{"email": @, "password": "x"}')
ANSWER_BODIES = bodies('{"answers": [{"question": "P1.1", "value": @}]}')


@pytest.mark.parametrize("body", TOKEN_BODIES, ids=range(len(TOKEN_BODIES)))
def test_token_request_before_authentication(client, session, body):
    response = client.post(
        "/api/v1/auth/token", data=body, content_type="application/json", headers=EN
    )
    assert_malformed(response)


@pytest.mark.parametrize("body", ANSWER_BODIES, ids=range(len(ANSWER_BODIES)))
def test_answer_save_with_a_token(client, world, make_visit, token_for, body):
    visit = make_visit()
    response = client.put(
        f"/api/v1/visits/{visit.id}/answers",
        data=body,
        content_type="application/json",
        headers={**token_for(world.people.shopper), **EN},
    )
    assert_malformed(response)


def test_answer_save_from_the_page_with_its_cookie(app, client, world, make_visit):
    """The visit page's autosave calls the same API with the session cookie."""
    visit = make_visit()
    login(client, world.people.shopper)
    for body in (DEEP_ARRAY, ANSWER_BODIES[3]):
        response = client.put(
            f"/api/v1/visits/{visit.id}/answers",
            data=body,
            content_type="application/json",
            headers=EN,
        )
        assert_malformed(response)


def test_ordinary_bodies_still_parse(client, world):
    ok = client.post(
        "/api/v1/auth/token", json={"email": world.people.shopper.email, "password": PASSWORD}
    )
    assert ok.status_code == 201
    nested = {"a": [[[[{"b": [1, 2.5, -3, 10**18]}]]]]}
    assert safejson.loads(json.dumps(nested)) == nested


YAML_DEEP = "[" * DEEP + "]" * DEEP
YAML_BLOCK_DEEP = "".join(f"{' ' * i}a:\n" for i in range(300)) + " " * 300 + "b: 1\n"
IMPORTS = [
    ("deep.json", DEEP_ARRAY, "nested more than"),
    ("deep-object.json", '{"a":' * 50_000 + "1" + "}" * 50_000, "nested more than"),
    ("long.json", '{"code": "x", "version": ' + LONG_INT + "}", "more than"),
    ("nan.json", '{"code": "x", "points": NaN}', "not a number"),
    ("deep.yaml", YAML_DEEP, "nested more than"),
    ("deep-block.yaml", YAML_BLOCK_DEEP, "nested more than"),
    ("long.yaml", "code: x\nversion: " + LONG_INT + "\n", "more than"),
]


@pytest.mark.parametrize(("name", "text", "says"), IMPORTS, ids=[i[0] for i in IMPORTS])
def test_checklist_import_page(client, world, name, text, says):
    login(client, world.people.manager)
    response = client.post(
        "/checklists/import",
        headers=EN,
        data={"brand": world.a.brand.id, "file": (io.BytesIO(text.encode()), name)},
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "The file was not imported; nothing was changed." in page
    assert says in page


def test_depth_ignores_brackets_inside_strings():
    assert safejson.depth('{"a": "[[[[{{{{", "b": [[1], {"c": "]]]"}]}') == 3
    assert safejson.depth('["\\"[[[[", []]') == 2
    assert safejson.loads('{"text": "' + "[" * 1000 + '"}') == {"text": "[" * 1000}


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("[" * 65 + "]" * 65, "too_deep"),
        ("1" * 31, "number_too_long"),
        ("-" + "1" * 31, "number_too_long"),
        ("0." + "1" * 70, "number_too_long"),
        ("NaN", "not_a_number"),
        ("-Infinity", "not_a_number"),
        ("1e400", "not_a_number"),
    ],
)
def test_refusals_are_json_decode_errors_with_a_reason(text, reason):
    with pytest.raises(json.JSONDecodeError) as refused:
        safejson.loads(text)
    assert refused.value.reason == reason
    assert safejson.loads("[" * 64 + "]" * 64) is not None
    assert safejson.loads("1" * 30) == int("1" * 30)


def test_json_body_over_the_json_limit_is_413_before_authentication(client, session):
    """Photos come as multipart forms (25 MB); a JSON body is capped at 1 MB, so a
    stranger cannot make the token endpoint parse 25 MB of brackets."""
    body = "[" + "[]," * 400_000 + "[]]"
    response = client.post("/api/v1/auth/token", data=body, content_type="application/json",
                           headers=EN)
    assert response.status_code == 413
    assert response.get_json() == {"error": "The upload is too large."}


def test_depth_check_stays_cheap_on_its_worst_inputs():
    import time

    for text in ("[" + "[]," * 330_000 + "[]]", json.dumps("x" * 1_000_000),
                 json.dumps('\\"' * 300_000), "[" * 64 + "1," * 400_000 + "1" + "]" * 64):
        started = time.perf_counter()
        safejson.depth(text)
        assert time.perf_counter() - started < 1.0
