"""The visit PDF: figures from the stored scores, both languages, escaped user text, the
photos, and who may download it."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from audit.reports.models import Report
from tests.reports.conftest import pdf_text
from tests.web.test_pages import login


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
