"""One published visit read by each role through every channel (the role's visit page, the
API, the visit PDF) shows the same answers, scores and facts: they all read the visit read
model. An owner finds the shopper in none of them; staff details follow the brand."""

from __future__ import annotations

import html
import re
from collections import Counter

import pytest

from tests.privacy.conftest import COMMENT, STAFF_TEXT
from tests.reports.conftest import pdf_text
from tests.support import login
from tests.visits.conftest import EDIT_REASON, NARRATIVE, NOTES

EN = {"Accept-Language": "en"}
PAGE = {
    "manager": "/review/{id}",
    "admin": "/review/{id}",
    "owner": "/portal/visits/{id}",
    "shopper": "/visits/{id}",
}
POINTS = re.compile(r"(\d+\.\d\d) (?:/|of) (\d+(?:\.\d+)?)")


def text_of(page: str) -> str:
    """The words of a page as a person reads them (tags, scripts and spacing dropped)."""
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", body)).split())


def channels(client, token_for, user, visit) -> tuple[str, dict, str | None]:
    """(page text, API JSON, PDF text or None where the role gets no PDF)."""
    login(client, user)
    page = client.get(PAGE[user_key(user)].format(id=visit.id), headers=EN)
    assert page.status_code == 200
    api = client.get(f"/api/v1/visits/{visit.id}", headers=token_for(user))
    assert api.status_code == 200
    pdf = client.get(f"/reports/visits/{visit.id}.pdf?lang=en")
    text = " ".join(pdf_text(pdf.data).split()) if pdf.status_code == 200 else None
    return text_of(page.get_data(as_text=True)), api.get_json(), text


def user_key(user) -> str:
    return {"quality_manager": "manager", "franchise_owner": "owner"}.get(user.role, user.role)


@pytest.mark.parametrize("who", ["manager", "admin", "owner", "shopper"])
@pytest.mark.parametrize("capture", [True, False])
def test_page_api_and_pdf_agree(client, token_for, world, seen_visit, who, capture):
    visit = seen_visit(capture)
    user = getattr(world.people, who)
    page, api, pdf = channels(client, token_for, user, visit)
    readable = [page] + ([pdf] if pdf is not None else [])
    assert (pdf is None) is (who == "shopper")  # a shopper's report is their visit page

    # Scores: the overall and, beside the shopper's form, every dimension.
    overall = f"{api['score']:.1f}"
    assert all(overall in text for text in readable)
    dimensions = [f"{v:.1f}" for v in api["scores"]["dimensions"].values() if v is not None]
    for text in readable if who != "shopper" else []:
        assert all(d in text for d in dimensions)

    # Answers: the same points per question, the same codes, the shopper's comments.
    scored = Counter(
        f"{float(q['earned']):.2f}/{q['possible']:g}"
        for q in api["scores"]["questions"]
        if q["status"] == "scored"
    )
    for text in readable:
        assert Counter(f"{e}/{p}" for e, p in POINTS.findall(text)) == scored
        assert all(a["question"] in text for a in api["answers"])
        assert COMMENT in text or who == "shopper"  # the form has no comment field
        assert EDIT_REASON in text  # the reviewer's reason under the answer
    assert all(a["comment"] == COMMENT for a in api["answers"] if a["question"] in ("P1.1", "P2.1"))

    # Facts: the branch, the day; beside the shopper's form (which shows the reviewer's notes
    # only on a visit returned to fix) the notes and the shopper's account.
    assert api["branch"]["name"] == visit.branch.name and api["visited_at"].startswith("2026-01-05")
    for text in readable:
        assert visit.branch.name in text
        assert who == "shopper" or all(t in text for t in ("Jan 5, 2026", NOTES, NARRATIVE))
    assert api["narrative"] == NARRATIVE and api["reviewer_comment"] == NOTES

    # Who: the shopper for managers and admins in every channel, for an owner in none.
    name, email = world.people.shopper.name, world.people.shopper.email
    shown = [name in text for text in readable] + [api.get("shopper", {}).get("name") == name]
    assert set(shown) == ({True} if who in ("manager", "admin") else {False}) or (who == "shopper")
    if who == "owner":
        everything = " ".join([*readable, str(api)])
        assert name not in everything and email not in everything
        assert world.people.manager.name not in everything  # "the quality team"

    # Staff: recorded and shown where the brand records them, nowhere else.
    for text in [*readable, str(api)]:
        assert (STAFF_TEXT in text) is capture
