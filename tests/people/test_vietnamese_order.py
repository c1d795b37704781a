"""Defect 17: the People list shows names in Vietnamese order ("Dương" before "Đỗ", "Hải"
before "Huế"), across its pages, on SQLite and PostgreSQL alike."""

from __future__ import annotations

import random
import re

from tests.support import login

SURNAMES = ["Đỗ", "Dương", "Huế", "Hải", "Ánh", "Âu", "Zương", "Bùi", "Ưng", "Uông", "Đinh",
            "Lê"]
EN = {"Accept-Language": "en"}


def _names(html: str) -> list[str]:
    return re.findall(r'<th scope="row"><a href="/people/\d+[^"]*">([^<]+)</a></th>', html)


def test_people_pages_list_names_in_vietnamese_order(client, world, make_user):
    names = [f"{surname} {given}" for surname in SURNAMES for given in ("An", "Bình", "Ân",
                                                                         "Đức", "hà")]
    shuffled = names[:]
    random.Random(17).shuffle(shuffled)
    for n, name in enumerate(shuffled):
        make_user("shopper", name=name, email=f"p{n:02d}@order.vn")
    login(client, world.people.admin)
    pages = [client.get("/people", query_string={"q": "@order.vn", "page": page},
                        headers=EN).get_data(as_text=True) for page in (1, 2)]
    assert "People 1–50 of 60" in pages[0] and "People 51–60 of 60" in pages[1]
    shown = _names(pages[0]) + _names(pages[1])
    order = ["Ánh", "Âu", "Bùi", "Dương", "Đinh", "Đỗ", "Hải", "Huế", "Lê", "Uông", "Ưng",
             "Zương"]
    assert [name.split()[0] for name in shown[::5]] == order
    assert shown[:5] == ["Ánh An", "Ánh Ân", "Ánh Bình", "Ánh Đức", "Ánh hà"]
