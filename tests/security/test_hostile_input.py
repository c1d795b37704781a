"""Hostile text and files: SQL, script and template payloads, bidirectional and zero-width
characters and very long strings in every kind of user text end up as inert, escaped text
in the pages and literal text in the PDFs; filters given the same payloads answer without
a 5xx and leave the database as it was; uploads that are not photos are refused with a
clear 4xx and store nothing.
"""

from __future__ import annotations

import io
import struct
import zlib

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markupsafe import escape
from PIL import Image
from sqlalchemy import func, select, update

from audit.extensions import db
from audit.models.actions import CorrectiveAction
from audit.models.campaigns import Campaign
from audit.models.checklists import Question
from audit.models.disputes import Dispute
from audit.models.orgs import Branch
from audit.models.targets import Target
from audit.models.visits import Photo, Visit
from audit.reports import pdf
from audit.storage import storage_for
from tests.reports.conftest import pdf_text
from tests.security.conftest import jpeg, log_in

SQL, SCRIPT = "'; DROP TABLE visits;--", "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
TEMPLATE, EVALUATED = "tpl{{7*7}}end", "tpl49end"
HOSTILE = f"{SQL} {SCRIPT} {IMG} {TEMPLATE} \u202edetceles\u200b"
DANGEROUS = (SCRIPT, "<img src=x")  # must never reach a page unescaped


def mark(tag: str) -> str:
    """The hostile text, tagged with the field it was put in."""
    return f"{tag}[{HOSTILE}]"


def _one(statement):
    return db.session.scalars(statement).one()


def _plant(client, world) -> dict[str, str]:
    """Put the hostile text in every kind of user text of the published visit's world: by
    the forms where a person types it, directly where the form is long-winded."""
    ids = world.ids
    log_in(client, world.users["manager"])
    branch = db.session.get(Branch, ids.branch)
    response = client.post(f"/branches/{ids.branch}", data={
        "code": branch.code, "name": mark("BRANCH"), "region": branch.region_id,
        "franchisee": branch.franchisee_id, "address": mark("ADDRESS"),
        "timezone": "Asia/Ho_Chi_Minh", "active": "y"})
    assert response.status_code == 302, response.status_code
    log_in(client, world.users["owner"])
    response = client.post(f"/actions/{ids.action}/comments", data={"text": mark("ACTNOTE")})
    assert response.status_code == 302, response.status_code
    response = client.post(f"/portal/visits/{ids.visit}/disputes",
                           data={"code": "P2.1", "comment": mark("DISPUTE")})
    assert response.status_code == 302, response.status_code
    visit = db.session.get(Visit, ids.visit)
    visit.narrative = mark("NARRATIVE")
    visit.reviewer_comment = mark("REVIEWER")
    visit.facts = {**visit.facts, "staff_description": mark("STAFF")}
    visit.branch.brand.capture_staff_names = True  # else staff details are shown nowhere
    answer = next(a for a in visit.answers if a.question.code == "P3.1")
    answer.comment = mark("ANSWER")
    question = answer.question
    # Published versions refuse ORM changes; the text arrives as if it had been typed in
    # the editor before publishing.
    db.session.execute(update(Question).where(Question.id == question.id).values(
        text={"en": mark("QUESTION"), "vi": mark("QUESTION")}))
    db.session.get(Photo, ids.photo).caption = mark("CAPTION")
    campaign = db.session.get(Campaign, ids.campaign)
    campaign.name = {"en": mark("CAMPAIGN"), "vi": mark("CAMPAIGN")}
    action = db.session.get(CorrectiveAction, ids.action)
    action.title = mark("ACTTITLE")
    db.session.get(Target, ids.target).label = mark("TARGET")
    db.session.commit()
    dispute = _one(select(Dispute).where(Dispute.comment == mark("DISPUTE")))
    return {"question_version": str(question.version_id), "dispute": str(dispute.id),
            "answer_code": question.code}


def _pages(ids, planted) -> dict[str, list[tuple[str, tuple[str, ...]]]]:
    """Per role: the pages to read and the tags each must show (escaped)."""
    v = ids.visit
    return {
        "manager": [
            (f"/review/{v}", ("BRANCH", "STAFF", "QUESTION", "CAPTION", "CAMPAIGN")),
            (f"/branches?brand={ids.brand}", ("BRANCH", "ADDRESS")),
            (f"/branches/{ids.branch}", ("BRANCH", "ADDRESS")),
            (f"/campaigns?brand={ids.brand}", ("CAMPAIGN",)),
            (f"/campaigns/{ids.campaign}", ("BRANCH", "CAMPAIGN")),
            (f"/disputes/{planted['dispute']}", ("BRANCH", "DISPUTE", "CAMPAIGN")),
            (f"/actions/{ids.action}", ("BRANCH", "ACTNOTE", "ANSWER", "QUESTION", "CAPTION",
                                        "CAMPAIGN", "ACTTITLE")),
            ("/actions", ("BRANCH", "ACTTITLE")),
            ("/targets", ("CAMPAIGN", "TARGET")),
            (f"/checklists/versions/{planted['question_version']}", ("QUESTION",)),
            (f"/comparison?campaign={ids.campaign}", ("BRANCH", "QUESTION", "CAMPAIGN",
                                                       "TARGET")),
            ("/", ("BRANCH", "CAMPAIGN")),
        ],
        "owner": [
            (f"/portal/visits/{v}", ("BRANCH", "REVIEWER", "STAFF", "ANSWER", "QUESTION",
                                     "CAPTION", "CAMPAIGN")),
            (f"/portal?campaign={ids.campaign}", ("BRANCH", "QUESTION", "CAMPAIGN", "TARGET")),
            (f"/portal/branches/{ids.branch}", ("BRANCH", "CAMPAIGN")),
            (f"/actions/{ids.action}", ("BRANCH", "ACTNOTE", "ANSWER", "ACTTITLE")),
        ],
        "shopper": [(f"/visits/{v}", ("BRANCH", "ADDRESS", "STAFF", "QUESTION", "CAPTION")),
                    ("/", ("BRANCH", "ADDRESS"))],
    }


def _visit_count() -> int:
    return db.session.scalar(select(func.count()).select_from(Visit))


def test_hostile_text_is_escaped_in_every_page(app, secure_world, secure_client):
    before = _visit_count()
    planted = _plant(secure_client, secure_world)
    for role, pages in _pages(secure_world.ids, planted).items():
        log_in(secure_client, secure_world.users[role])
        for url, tags in pages:
            response = secure_client.get(url, headers={"Accept-Language": "en"})
            assert response.status_code == 200, (role, url, response.status_code)
            body = response.get_data(as_text=True)
            for fragment in DANGEROUS:
                assert fragment not in body, f"{fragment!r} unescaped in {url} ({role})"
            assert EVALUATED not in body
            for tag in tags:
                assert str(escape(mark(tag))) in body, f"{tag} not shown escaped in {url}"
    # The text is stored as typed (no SQL ran), and every table is still there.
    assert db.session.get(Branch, secure_world.ids.branch).name == mark("BRANCH")
    assert _visit_count() == before


@pytest.mark.parametrize(("kind", "tags"), [
    ("visit", ("NARRATIVE", "REVIEWER", "ANSWER", "QUESTION", "CAPTION", "BRANCH", "CAMPAIGN")),
    ("comparison", ("BRANCH", "CAMPAIGN", "ACTTITLE")),
])
def test_hostile_text_is_literal_in_the_pdfs(app, secure_world, secure_client, monkeypatch,
                                             kind, tags):
    asked: list[str] = []
    original = pdf.LockedFetcher.fetch

    def recording(self, url, headers=None):
        asked.append(url)
        return original(self, url, headers)

    monkeypatch.setattr(pdf.LockedFetcher, "fetch", recording)
    _plant(secure_client, secure_world)
    ids = secure_world.ids
    log_in(secure_client, secure_world.users["manager"])
    url = (f"/reports/visits/{ids.visit}.pdf?lang=en" if kind == "visit"
           else f"/reports/comparison.pdf?campaign={ids.campaign}&lang=en")
    response = secure_client.get(url)
    assert response.status_code == 200
    text = "".join(pdf_text(response.data).split())  # lines wrap anywhere in table cells
    for tag in tags:
        literal = "".join(f"{tag}[{SQL} {SCRIPT} {IMG} {TEMPLATE}".split())
        assert literal in text, f"{tag} missing from the PDF"
    assert EVALUATED not in text
    own = (pdf.STATIC_URL, *(f"{scheme}:" for scheme in pdf.PHOTO_SCHEMES))
    assert not [u for u in asked if not u.startswith(own)], "a URL from user text was fetched"


def test_very_long_text_renders_everywhere(app, secure_world, secure_client):
    ids = secure_world.ids
    long_words = "Nhân viên chào hỏi rất lâu " * 800
    unbroken = "x" * 5000
    visit = db.session.get(Visit, ids.visit)
    visit.narrative = f"{long_words}{unbroken}"
    db.session.get(Branch, ids.branch).name = "B" * 200
    db.session.commit()
    log_in(secure_client, secure_world.users["manager"])
    for url in (f"/review/{ids.visit}", f"/branches?brand={ids.brand}",
                f"/comparison?campaign={ids.campaign}"):
        response = secure_client.get(url)
        assert response.status_code == 200, url
        assert "B" * 200 in response.get_data(as_text=True)
    response = secure_client.get(f"/reports/visits/{ids.visit}.pdf?lang=en")
    assert response.status_code == 200
    assert "x" * 100 in "".join(pdf_text(response.data).split())


FILTERS = {
    "manager": ["/branches?brand={brand}&q={h}&region={h}&franchisee={h}&active={h}&page={h}",
                "/checklists?q={h}&channel={h}&page={h}", "/review?sort={h}",
                "/actions?status={h}&severity={h}&region={h}&branch={h}&overdue={h}&page={h}",
                "/disputes?status={h}&region={h}&page={h}", "/targets?status={h}&scope={h}&"
                "metric={h}&page={h}", "/campaigns/{campaign}?status={h}&region={h}&page={h}",
                "/comparison?campaign={h}&region={h}&franchisee={h}&trend={h}&branch={h}",
                "/reports?page={h}&campaign={h}", "/campaigns?brand={h}",
                "/reports/comparison.pdf?campaign={h}", "/actions/new?visit={h}&question={h}"],
    "owner": ["/portal?campaign={h}", "/portal/branches/{branch}?campaign={h}"],
    "api": ["/api/v1/visits?status={h}&campaign={h}&branch={h}", "/api/v1/comparison?campaign={h}",
            "/api/v1/reports?page={h}", "/api/v1/portal/summary?campaign={h}"],
}


@pytest.mark.parametrize("payload", [SQL, SCRIPT, IMG, TEMPLATE, "\u202e\u200b", "9" * 40,
                                     "x" * 3000])
def test_hostile_filters_answer_without_harm(app, secure_world, secure_client, payload):
    ids = secure_world.ids
    before = _visit_count()
    values = {"h": payload, "brand": ids.brand, "campaign": ids.campaign, "branch": ids.branch}
    for who, urls in FILTERS.items():
        headers = {}
        if who == "api":
            headers["Authorization"] = f"Bearer {secure_world.tokens['manager']}"
        else:
            log_in(secure_client, secure_world.users[who])
        for url in urls:
            response = secure_client.get(url.format(**values), headers=headers)
            # 414: five 3000-character values make an address longer than any server takes
            assert response.status_code in (200, 404, 414, 422), (url, response.status_code)
            body = response.get_data(as_text=True)
            assert SCRIPT not in body and "<img src=x" not in body, url
            assert EVALUATED not in body
    assert _visit_count() == before
    assert db.session.get(Visit, ids.visit) is not None


# Uploads ------------------------------------------------------------------------------------


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return (struct.pack(">I", len(data)) + kind + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))


def png_claiming(width: int, height: int, body: bytes = b"") -> bytes:
    """A PNG header declaring `width` x `height` grey pixels, with `body` as its data."""
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", header)
            + _png_chunk(b"IDAT", zlib.compress(body)) + _png_chunk(b"IEND", b""))


def png_bomb() -> bytes:
    """30 000 x 30 000 pixels (900 MP) of zeros in about 1 MB: the first rows of a bomb."""
    return png_claiming(30_000, 30_000, b"\x00" * 30_001 * 40)


def truncated_jpeg() -> bytes:
    data = jpeg(size=(640, 480))
    return data[: len(data) // 2]


def png_with_html() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (32, 32), (200, 30, 30)).save(out, "PNG")
    return out.getvalue() + b"<html><script>alert(1)</script></html>"


SVG = (b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
       b"<script>alert(1)</script><rect width='10' height='10'/></svg>")
REFUSED_UPLOADS = {  # name: (bytes, the content type claimed, why it is refused)
    "zero bytes": (b"", "image/jpeg", "not_image"),
    "truncated jpeg": (truncated_jpeg(), "image/jpeg", "truncated"),
    "png bomb": (png_bomb(), "image/png", "too_many_pixels"),
    "huge dimensions": (png_claiming(100_000, 100_000), "image/png", "too_many_pixels"),
    "png with html after it": (png_with_html(), "image/png", "trailing_data"),
    "html named jpg": (b"\xff\xd8\xff<html><script>alert(1)</script></html>", "image/jpeg",
                       "not_image"),
    "svg with script": (SVG, "image/svg+xml", "not_image"),
    "text with an image type": (b"just some text, honestly", "image/jpeg", "not_image"),
    "gif": (b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00"
            b"\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;", "image/gif",
            "unsupported_format"),
}


def _stored(app) -> tuple[int, list[str]]:
    keys = sorted(storage_for(app).keys(""))
    return db.session.scalar(select(func.count()).select_from(Photo)), keys


def _upload(client, world, data: bytes, content_type: str):
    return client.post(
        f"/api/v1/visits/{world.ids.editable}/photos",
        data={"file": (io.BytesIO(data), "evidence.jpg", content_type), "caption": "x"},
        headers={"Authorization": f"Bearer {world.tokens['shopper']}", "Accept-Language": "en"})


@pytest.mark.parametrize("name", list(REFUSED_UPLOADS))
def test_upload_that_is_no_photo_is_refused_and_nothing_stored(app, secure_world, secure_client,
                                                               name):
    data, content_type, reason = REFUSED_UPLOADS[name]
    before = _stored(app)
    response = _upload(secure_client, secure_world, data, content_type)
    assert response.status_code == 422, (name, response.status_code)
    assert response.get_json()["details"] == {"file": reason}
    message = response.get_json()["error"]  # a sentence the shopper can read
    assert message.endswith(".") and len(message) > 20
    assert _stored(app) == before
    # The plain form says the same, and stores nothing either.
    log_in(secure_client, secure_world.users["shopper"])
    page = secure_client.post(f"/visits/{secure_world.ids.editable}/photos",
                              data={"file": (io.BytesIO(data), "evidence.jpg", content_type)},
                              follow_redirects=True, headers={"Accept-Language": "en"})
    assert page.status_code == 200
    assert f'<p class="flash flash-error" role="alert">{escape(message)}</p>' in page.get_data(
        as_text=True)
    assert _stored(app) == before


def test_jpeg_with_a_payload_after_it_is_stored_re_encoded(app, secure_world, secure_client):
    """A JPEG/HTML polyglot decodes as a photo; what is stored is a fresh JPEG without it."""
    response = _upload(secure_client, secure_world, jpeg() + b"<script>alert(1)</script>",
                       "text/html")
    assert response.status_code == 201
    photo = db.session.get(Photo, response.get_json()["id"])
    assert photo.content_type == "image/jpeg"
    stored = storage_for(app).get(photo.storage_key)
    assert stored.startswith(b"\xff\xd8") and b"<script>" not in stored


@settings(max_examples=25, derandomize=True, deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(min_size=1, max_size=4096))
def test_random_bytes_are_refused(app, secure_world, secure_client, data):
    before = _stored(app)
    response = _upload(secure_client, secure_world, data, "image/jpeg")
    assert response.status_code == 422
    assert _stored(app) == before


# Numbers no id can be ---------------------------------------------------------------------

BIG = "9223372036854775808"  # one past SQLite's 64 bits; PostgreSQL's ids stop at 2**31 - 1
TOO_LARGE = [  # (who, url, status)
    ("manager", f"/visits/{BIG}", 404), ("manager", "/visits/3000000000", 404),
    ("manager", f"/actions?branch={BIG}&region={BIG}&page={BIG}", 200),
    ("manager", f"/branches?brand={BIG}", 200), ("manager", "/branches?region=3000000000", 200),
    ("manager", f"/campaigns/{{campaign}}?region={BIG}&page={BIG}", 200),
    ("manager", f"/comparison?campaign={BIG}&trend={BIG}", 200),
    ("manager", f"/disputes?region={BIG}&page={BIG}", 200),
    ("manager", f"/reports/comparison.pdf?campaign={BIG}", 404),
    ("owner", f"/portal?campaign={BIG}", 200), ("owner", "/comparison?campaign=%C2%B2", 200),
    ("api", f"/api/v1/visits/{BIG}", 404), ("api", f"/api/v1/visits?branch={BIG}", 422),
    ("api", "/api/v1/visits/2147483648/photos", 404),  # was 405: POST shares the path
    ("api", "/api/v1/visits?campaign=3000000000", 422),
    ("api", f"/api/v1/comparison?campaign={BIG}", 422),
    ("api", f"/api/v1/reports?page={BIG}", 422),
    ("api", f"/api/v1/reports/exports/{BIG}.csv", 404),
]


@pytest.mark.parametrize(("who", "url", "status"), TOO_LARGE)
def test_numbers_too_large_for_an_id_name_nothing(app, secure_world, secure_client, who, url,
                                                  status):
    """A 500 before: the number overflowed SQLite's driver or PostgreSQL's integer."""
    headers = {}
    if who == "api":
        headers["Authorization"] = f"Bearer {secure_world.tokens['manager']}"
    else:
        log_in(secure_client, secure_world.users[who])
    response = secure_client.get(url.format(campaign=secure_world.ids.campaign), headers=headers)
    assert response.status_code == status


@pytest.mark.parametrize(("url", "data"), [
    ("/campaigns/{campaign}/assign", {"visits": BIG, "shopper": "{shopper}"}),
    ("/campaigns/{campaign}/unassign", {"unassign": BIG}),
    ("/checklists/new", {"brand_id": BIG, "code": "x", "title_en": "x", "title_vi": "x"}),
    ("/actions/new", {"branch": BIG, "severity": "minor", "title": "x", "assignee": BIG}),
])
def test_numbers_too_large_in_forms_are_refused(app, secure_world, secure_client, url, data):
    values = {"campaign": secure_world.ids.campaign, "shopper": secure_world.users["shopper"]}
    log_in(secure_client, secure_world.users["admin"])
    response = secure_client.post(url.format(**values),
                                  data={k: v.format(**values) for k, v in data.items()})
    assert 300 <= response.status_code < 500
