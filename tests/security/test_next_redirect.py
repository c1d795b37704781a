"""Where the log-in form and the language switch send the browser next (issue 13, defect
26): a CR/LF in `next` answered 500; a backslash or a tab turns "/" into "//" in browsers,
an open redirect. Any of these sends the browser home instead."""

from __future__ import annotations

from urllib.parse import quote

import pytest

from tests.support import PASSWORD

HOSTILE = [
    "/\r\nSet-Cookie: x=1",
    "/\rx",
    "/\nx",
    "/\\evil.example",
    "/\t/evil.example",
    "/\\/evil.example",
    "\\\\evil.example",
    "/\x00x",
    " //evil.example",
    "//evil.example",
    "https://evil.example/",
    "/x\u2028y",
    "javascript:alert(1)",
    "/" + "a" * 2500,
]


@pytest.mark.parametrize("target", HOSTILE, ids=range(len(HOSTILE)))
def test_log_in_with_a_hostile_next_goes_home(client, world, target):
    response = client.post(
        f"/login?next={quote(target, safe='')}",
        data={"email": world.people.shopper.email, "password": PASSWORD},
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


@pytest.mark.parametrize("target", HOSTILE[:8], ids=range(8))
def test_language_switch_with_a_hostile_next_goes_home(client, session, target):
    response = client.post("/language/vi", data={"next": target})
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_ordinary_next_is_followed(client, world):
    response = client.post(
        "/login?next=" + quote("/visits/3?tab=photos#p2", safe=""),
        data={"email": world.people.shopper.email, "password": PASSWORD},
    )
    assert response.headers["Location"] == "/visits/3?tab=photos#p2"
