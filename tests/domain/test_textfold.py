"""Search text folding (audit.textfold): exact values for Vietnamese and English."""

from __future__ import annotations

import pytest

from audit.textfold import fold


@pytest.mark.parametrize(("parts", "folded"), [
    (("Nguyễn Văn An",), "nguyen van an"),
    (("ĐỖ THỊ BÍCH",), "do thi bich"),
    (("Đỗ Thị Bích", "shopper2@SaoMai.demo"), "do thi bich shopper2@saomai.demo"),
    (("  Phạm   Bình\tAn ",), "pham binh an"),
    (("HN03", "Sao Mai Cầu Giấy", "168 Xuân Thủy, Cầu Giấy, Hà Nội"),
     "hn03 sao mai cau giay 168 xuan thuy, cau giay, ha noi"),
    (("Straße",), "strasse"),
    (("Ngô", None, ""), "ngo"),
    ((), ""),
])
def test_fold(parts, folded):
    assert fold(*parts) == folded


def test_folded_text_is_kept_on_insert_and_update(session, make_user, world):
    person = make_user("shopper", name="Lê Thị Hồng", email="hong@Example.vn")
    assert person.search_text == "le thi hong hong@example.vn"
    person.name = "Lê Thị Hồng Nhung"
    session.flush()
    assert person.search_text == "le thi hong nhung hong@example.vn"
    branch = world.a.branches[0]
    assert branch.search_text == "a00 a branch 0 0 street"
    branch.name = "Sao Mai Đà Nẵng"
    session.flush()
    assert branch.search_text == "a00 sao mai da nang 0 street"
