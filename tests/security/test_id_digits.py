"""Ids in addresses are ASCII digits only (attacker pass after issue 13's defects 21-27):
Python's `\\d` also matches Arabic-Indic and other Unicode digits, so /photos/١ served photo
1 under a second address, past any proxy or cache rule written for /photos/1."""

from __future__ import annotations

import pytest

from audit.ids import MAX_ID, digits_up_to
from tests.evidence.test_photo_api import upload
from tests.support import encode, picture

OTHER_DIGITS = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")  # Arabic-Indic
FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


@pytest.mark.parametrize("table", [OTHER_DIGITS, FULL_WIDTH], ids=["arabic", "full-width"])
def test_unicode_digits_name_no_record(client, world, make_visit, token_for, file_store, table):
    visit = make_visit()
    headers = token_for(world.people.shopper)
    photo = upload(client, visit, headers, encode(picture())).get_json()
    for path in (
        f"/api/v1/visits/{visit.id}",
        f"/photos/{photo['id']}",
        f"/photos/{photo['id']}/thumbnail",
    ):
        assert client.get(path, headers=headers).status_code == 200, path
        other = path.translate(table)
        assert client.get(other, headers=headers).status_code == 404, other


def test_the_id_pattern_is_ascii():
    assert "\\d" not in digits_up_to(MAX_ID)
