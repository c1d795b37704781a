"""The visit PDF: figures from the stored scores, the visit facts and the reviewer's
reasons, both languages, escaped user text, the photos, and who may download it."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from audit.models.reports import Report
from audit.review import operations as review
from audit.visits import operations
from tests.reports.conftest import fill, pdf_text
from tests.support import login


def download(client, visit, lang="en"):
    return client.get(f"/reports/visits/{visit.id}.pdf?lang={lang}")


def test_manager_gets_every_figure_in_english(file_store, client, world, published, session):
    login(client, world.people.manager)
    response = download(client, published)
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="visit-{published.id}-en.pdf"')
    text = pdf_text(response.data)
    assert "Visit report" in text and published.branch.name in text
    assert f"{published.score_overall:.1f}" in text
    assert f"{published.servqual_index:.1f}" in text
    for key in ("tangibles", "empathy"):
        value = published.scores["dimensions"][key]
        assert (f"{value:.1f}" if value is not None else "—") in text
    assert "0.00 / 1" in text  # the failed P2.4, re-addable by hand
    assert "Nguyễn Bí Mật" in text  # managers see the shopper
    assert "Nhân viên thân thiện; cần cải thiện thời gian chờ." in text
    assert "Quầy <b>trưng bày</b>" in text  # the caption, as text
    pages = len(PdfReader(io.BytesIO(response.data)).pages)
    assert 2 <= pages <= 6
    assert f"Page 1 of {pages}" in text
    assert any(p.images for p in PdfReader(io.BytesIO(response.data)).pages)  # the photo
    photo = published.photos[0]
    report = session.scalars(select(Report).order_by(Report.id.desc())).first()
    assert file_store.get(report.storage_key) == response.data  # kept in the library
    assert set(file_store.keys()) == {photo.storage_key, photo.thumb_key, report.storage_key}


def test_user_text_is_printed_never_fetched(client, world, published, monkeypatch):
    from audit.reports import pdf

    asked: list[str] = []
    original = pdf.LockedFetcher.fetch

    def recording(self, url, headers=None):
        asked.append(url)
        return original(self, url, headers)

    monkeypatch.setattr(pdf.LockedFetcher, "fetch", recording)
    login(client, world.people.manager)
    text = pdf_text(download(client, published).data)
    flat = " ".join(text.split())
    assert "<img src=\"http://127.0.0.1:9/leak.png\"> Chào anh, Đồng cảm" in flat
    assert not [u for u in asked if "127.0.0.1" in u]
    photo = published.photos[0]
    assert f"photo:{photo.id}" in asked  # the full photo, not the thumbnail


def test_vietnamese_report(client, world, published):
    login(client, world.people.manager)
    response = download(client, published, "vi")
    assert response.headers["Content-Disposition"].endswith('-vi.pdf"')
    text = pdf_text(response.data)
    assert "Báo cáo lượt đánh giá" in text and "Visit report" not in text
    assert "Trang 1 /" in text


def test_owner_sees_no_shopper(client, world, published):
    login(client, world.people.owner)
    response = download(client, published)
    assert response.status_code == 200
    text = pdf_text(response.data)
    assert "Nguyễn Bí Mật" not in text and "Shopper" not in text
    assert f"{published.score_overall:.1f}" in text


@pytest.mark.parametrize(("who", "status"), [
    ("admin", 200), ("manager", 200), ("owner", 200), ("other_owner", 404),
    ("other_manager", 404), ("shopper", 403), ("other_shopper", 403)])
def test_who_may_download(client, world, published, who, status):
    login(client, getattr(world.people, who))
    assert download(client, published).status_code == status


def test_owner_never_gets_an_unpublished_visit(client, world, make_visit):
    visit = make_visit(branch=world.a.branches[0], status="submitted")
    login(client, world.people.owner)
    assert download(client, visit).status_code == 404


def test_anonymous_is_sent_to_log_in(client, published):
    assert download(client, published).status_code in (302, 401)


# Defect 16: the visit facts and the reviewer's reasons ----------------------------------

STAFF_TEXT = "Chị Lan, áo xanh, quầy số 2"


@pytest.fixture
def with_facts(world, make_visit, session):
    """A published in-person visit at the owner's branch with every fact recorded (while
    the brand recorded staff names) and a phone visit with its number and time."""
    world.a.brand.capture_staff_names = True
    in_person = make_visit(branch=world.a.branches[0])
    fill(in_person, world.people.shopper)
    operations.save_answers(in_person, [], world.people.shopper, facts={
        "visited_on": "2026-03-05", "time_in": "09:30", "time_out": "09:55",
        "staff_description": STAFF_TEXT})
    phone = make_visit(branch=world.a.branches[0],
                       campaign=world.campaign(world.a, "phone-call-audit"))
    fill(phone, world.people.shopper)
    operations.save_answers(phone, [{"question": "CB2", "value": True}], world.people.shopper,
                            facts={
        "number_called": "028 3822 1234", "called_on": "2026-03-06",
        "called_at": "14:05"})
    for visit in (in_person, phone):
        operations.submit(visit, world.people.shopper)
        review.approve(visit, world.people.manager, visit.revision)
    session.commit()
    return in_person, phone


def clock(hour: int, minute: int, lang: str = "en") -> tuple[str, ...]:
    """A time of day as the pages may print it: as typed, or in the language's short
    format ("9:30 AM")."""
    from datetime import time

    from babel.dates import format_time

    return (f"{hour:02d}:{minute:02d}",
            " ".join(format_time(time(hour, minute), "short", locale=lang).split()))


def flat_text(client, visit, lang="en") -> str:
    response = download(client, visit, lang)
    assert response.status_code == 200
    return " ".join(pdf_text(response.data).split())


@pytest.mark.parametrize("who", ["manager", "owner"])
def test_the_visit_facts_section(client, world, with_facts, who):
    """Defect 16: the PDF had no visit facts (number called, times, staff)."""
    in_person, phone = with_facts
    login(client, getattr(world.people, who))
    text = flat_text(client, in_person)
    facts = text.split("Visit facts")[1].split("Scores")[0]
    for label, values in (("Date of the visit", ("Mar 5, 2026",)), ("Time in", clock(9, 30)),
                          ("Time out", clock(9, 55)), ("Staff who served you", (STAFF_TEXT,))):
        assert any(f"{label} {value}" in facts for value in values), label
    assert ("Shopper Nguyễn Bí Mật" in facts) is (who == "manager")
    text = flat_text(client, phone)
    facts = text.split("Visit facts")[1].split("Scores")[0]
    for label, values in (("Number called", ("028 3822 1234",)),
                          ("Date of the call", ("Mar 6, 2026",)),
                          ("Time of the call", clock(14, 5))):
        assert any(f"{label} {value}" in facts for value in values), label
    assert "Date of the visit" not in facts  # the call's date says it, once
    vi = flat_text(client, phone, "vi")
    assert "Thông tin lượt khảo sát" in vi
    assert "Số điện thoại đã gọi 028 3822 1234" in vi
    assert any(f"Giờ gọi {value}" in vi for value in clock(14, 5, "vi"))
    if who == "owner":
        assert "Nguyễn Bí Mật" not in text and "Nguyễn Bí Mật" not in vi


@pytest.mark.parametrize("who", ["manager", "owner"])
def test_staff_facts_follow_the_brands_setting(client, world, with_facts, session, who):
    in_person, _phone = with_facts
    world.a.brand.capture_staff_names = False
    session.commit()
    login(client, getattr(world.people, who))
    text = flat_text(client, in_person)
    assert STAFF_TEXT not in text and "Staff who served you" not in text
    assert any(f"Time in {value}" in text for value in clock(9, 30))


@pytest.fixture
def edited(world, make_visit, session):
    """A visit whose P2.1 the reviewer changed with a reason before publishing it."""
    visit = make_visit(branch=world.a.branches[0])
    fill(visit, world.people.shopper)
    operations.submit(visit, world.people.shopper)
    review.edit_answer(visit, "P2.1", "no", False, "Ảnh cho thấy không ai ở cửa",
                       world.people.manager, visit.revision)
    review.approve(visit, world.people.manager, visit.revision)
    session.commit()
    return visit


def _row(text: str, code: str) -> str:
    """The question's row in the answers (its code is also in the critical-fail line)."""
    return text.split(f"{code} ")[-1][:400]


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_the_edit_reason_is_beside_the_changed_answer(client, world, edited, lang):
    """Defect 16: the reason a reviewer gave for an edit was shown nowhere on the visit."""
    manager = world.people.manager
    login(client, manager)
    row = _row(flat_text(client, edited, lang), "P2.1")
    assert "Ảnh cho thấy không ai ở cửa" in row
    assert (f"Changed by {manager.name} on" if lang == "en" else f"{manager.name} đổi ngày") in row
    client.post("/logout")
    login(client, world.people.owner)  # owners read "the quality team", as on the portal
    text = flat_text(client, edited, lang)
    row = _row(text, "P2.1")
    assert "Ảnh cho thấy không ai ở cửa" in row
    assert ("Changed by the quality team on" if lang == "en"
            else "Bộ phận chất lượng đổi ngày") in row
    assert manager.name not in text
