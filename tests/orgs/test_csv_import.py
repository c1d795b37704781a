"""The pure CSV reader: every error with its row and column, nothing usable when any fails."""

from __future__ import annotations

from audit.orgs import csv_import
from audit.orgs.csv_import import RowError, parse

HEADER = "code,name,region,franchisee,address,latitude,longitude,timezone,active\n"


def test_good_file_with_bom_and_defaults():
    data = ("\ufeff" + HEADER + "HN01,Hoàn Kiếm,Hà Nội,,12 Tràng Tiền,21.02,105.85,,\n"
            "HN02,Ba Đình,Hà Nội,Minh Phát,,,,Asia/Bangkok,no\n").encode()
    parsed = parse(data)
    assert parsed.errors == []
    assert parsed.rows[0] == {
        "code": "HN01", "name": "Hoàn Kiếm", "region": "Hà Nội", "franchisee": None,
        "address": "12 Tràng Tiền", "latitude": 21.02, "longitude": 105.85,
        "timezone": "Asia/Ho_Chi_Minh", "active": True, "row": 2}
    assert parsed.rows[1]["franchisee"] == "Minh Phát"
    assert parsed.rows[1]["active"] is False
    assert parsed.rows[1]["latitude"] is None


def test_excel_semicolons_and_decimal_commas():
    data = b"code;name;region;latitude;longitude\nHN01;A;R;21,5;105,25\n"
    parsed = parse(data)
    assert parsed.errors == []
    assert (parsed.rows[0]["latitude"], parsed.rows[0]["longitude"]) == (21.5, 105.25)


def test_every_row_error_is_reported_and_no_row_is_kept():
    data = (HEADER
            + "HN01,A,R,,,91,0,,\n"
            + ",B,,,,abc,0,Mars/Base,maybe\n"
            + "hn01,C,R,,,,,,\n").encode()
    parsed = parse(data)
    assert parsed.rows == []
    assert parsed.errors == [
        RowError(2, "latitude", "out_of_range", {"value": "91", "low": -90, "high": 90}),
        RowError(3, "code", "required"),
        RowError(3, "region", "required"),
        RowError(3, "active", "not_a_boolean", {"value": "maybe"}),
        RowError(3, "timezone", "unknown_timezone", {"value": "Mars/Base"}),
        RowError(3, "latitude", "not_a_number", {"value": "abc"}),
        RowError(4, "code", "duplicate_code", {"value": "hn01", "first": 2}),
    ]


def test_wrong_header():
    parsed = parse(b"kode,name,city\nX,Y,Z\n")
    assert parsed.errors == [
        RowError(1, "code", "missing_column"),
        RowError(1, "region", "missing_column"),
        RowError(1, "kode", "unknown_column", {"expected": ", ".join(csv_import.COLUMNS)}),
        RowError(1, "city", "unknown_column", {"expected": ", ".join(csv_import.COLUMNS)}),
    ]


def test_empty_files():
    assert parse(b"").errors == [RowError(0, None, "empty")]
    assert parse(b"\xef\xbb\xbf  \n").errors == [RowError(0, None, "empty")]
    assert parse(HEADER.encode() + b"\n,,,\n").errors == [RowError(0, None, "no_rows")]


def test_too_large_and_not_utf8():
    assert parse(b"x" * (csv_import.MAX_BYTES + 1)).errors[0].code == "too_large"
    assert parse("code,name,region\nA,Hà,R\n".encode("cp1258")).errors == [
        RowError(0, None, "not_utf8")]


def test_too_many_rows_and_extra_cells():
    many = HEADER + "".join(f"C{i},N,R\n" for i in range(csv_import.MAX_ROWS + 1))
    assert parse(many.encode()).errors == [RowError(0, None, "too_many_rows",
                                                    {"max": csv_import.MAX_ROWS})]
    parsed = parse(b"code,name,region\nA,B,C,D\n")
    assert parsed.errors == [RowError(2, None, "extra_cells", {"count": 4, "expected": 3})]


def test_template_parses_cleanly():
    parsed = parse(csv_import.template_csv().encode())
    assert parsed.errors == [] and [r["code"] for r in parsed.rows] == ["HN01", "HCM07"]
