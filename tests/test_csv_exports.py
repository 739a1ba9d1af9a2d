"""CSV exports as Vietnamese offices save them: the separator found by the table, --delimiter,
and numbers written with thousands dots and a decimal comma."""

from __future__ import annotations

import json

import pytest
from dumps import computed, dumped_report

from ttkhc_cli import api
from ttkhc_cli.ingest.numbers import decimal_mark, parse_money

HEADER = ["Mã hồ sơ", "Tên thủ tục", "Người nộp", "Ngày tiếp nhận", "Ngày hẹn trả", "Ngày có kết quả", "Kênh nộp",
          "Phí, lệ phí", "Thanh toán trực tuyến"]
ROWS = [
    ["HS-1", "Chứng thực bản sao", "Nguyễn Văn A, thôn 1", "02/01/2024", "05/01/2024", "04/01/2024", "Trực tuyến",
     "15.000", "Có"],
    ["HS-2", "Đăng ký khai sinh", "Trần Thị B, thôn 2", "03/01/2024", "08/01/2024", "09/01/2024", "Trực tiếp",
     "0", ""],
    ["HS-3", "Chứng thực chữ ký", "Lê Văn C; Lê Thị D", "04/01/2024", "09/01/2024", "05/01/2024", "Trực tuyến",
     "15.000,50", "Không"],
]
TITLE = (
    "Danh sách hồ sơ, từ ngày 01/01/2024 đến ngày 31/03/2024, đơn vị: UBND xã Đắk Tô Re, huyện Kon Rẫy, tỉnh Kon Tum"
)


def _cell(value: str, sep: str) -> str:
    return f'"{value}"' if sep in value or '"' in value else value


def write(path, sep: str, title: bool = True, rows=ROWS, header=HEADER, encoding="utf-8-sig"):
    lines = [TITLE, "Người lập: Văn phòng - Thống kê, ngày 02/04/2024"] if title else []
    lines.append(sep.join(header))
    lines += [sep.join(_cell(v, sep) for v in row) for row in rows]
    path.write_text("\r\n".join(lines) + "\r\n", encoding=encoding)
    return path


def _figures(path, **kw):
    result = computed(api.Request((path,), period="2024-Q1", **kw))
    return {i["id"]: (i["numerator"], i["denominator"]) for i in result["indicators"]}


@pytest.mark.parametrize("sep,name", [(";", "semicolon"), ("\t", "tab"), ("|", "pipe"), (",", "comma")])
def test_the_separator_is_found_by_the_table_not_by_the_title(tmp_path, sep, name):
    path = write(tmp_path / f"{name}.csv", sep)
    log, report = dumped_report(api.validate_files(api.Request((path,))))
    assert log.used == 3
    assert log.frame["applicant"].tolist() == ["Nguyễn Văn A, thôn 1", "Trần Thị B, thôn 2", "Lê Văn C; Lê Thị D"]
    assert _figures(path)["I.2"] == (2, 3)
    assert _figures(path)["IV.1"] == (2, 3)


def test_the_separator_is_told_with_the_reading_notes(tmp_path, invoke):
    path = write(tmp_path / "a.csv", ";")
    result = invoke("validate", path, "--no-show-mapping")
    assert (
        f"{path}: tiêu đề ở dòng 3; bảng mã utf-8-sig, dấu phân cách dấu chấm phẩy; bỏ qua 2 dòng phía trên "
        "tiêu đề; mẫu xuất chung" in result.stderr
    )


def test_delimiter_option_names_the_separator(tmp_path, invoke):
    path = write(tmp_path / "a.csv", ";")
    for command in (["compute", "--format", "json"], ["validate", "--format", "json"]):
        result = invoke(*command[:1], path, "--delimiter", ";", *command[1:])
        assert result.exit_code in (0, 1), result.stderr
    wrong = invoke("compute", path, "--delimiter", "tab")
    assert wrong.exit_code == 2
    assert "không tìm thấy dòng tiêu đề của sổ theo dõi hồ sơ" in wrong.stderr
    assert "đã tách cột bằng tab" in wrong.stderr
    report = invoke("report", path, "--delimiter", ";", "-o", tmp_path / "bc.xlsx")
    assert report.exit_code == 1 and (tmp_path / "bc.xlsx").exists(), report.stderr  # written; some indicator fails


def test_the_header_row_advice_never_succeeds_with_the_header_in_one_column(tmp_path, invoke):
    """Following "dùng --header-row" with a separator that splits nothing: an error naming it."""
    path = write(tmp_path / "a.csv", ";")
    result = invoke("compute", path, "--header-row", "3", "--delimiter", ",")
    assert result.exit_code == 2
    assert result.stderr.startswith(
        f"Lỗi: {path}: dòng 3 không phải dòng tiêu đề của sổ theo dõi hồ sơ (đã tách cột bằng dấu phẩy)"
    )
    ok = invoke("compute", path, "--header-row", "3", "--format", "json")
    assert ok.exit_code in (0, 1) and json.loads(ok.stdout)["rows"]["used"] == 3


def test_quoted_separators_and_quotes_inside_cells(tmp_path):
    rows = [list(r) for r in ROWS]
    rows[0][1] = 'Chứng thực "bản sao"; bản chính'
    path = write(tmp_path / "a.csv", ";", rows=[[v.replace('"', '""') if '"' in v else v for v in r] for r in rows])
    log, _ = dumped_report(api.validate_files(api.Request((path,))))
    assert log.frame["procedure_name"].iloc[0] == 'Chứng thực "bản sao"; bản chính'


@pytest.mark.parametrize(
    "text,decimal,value",
    [
        ("15.000", None, 15000.0),
        ("15.000,50", None, 15000.5),
        ("15000", None, 15000.0),
        ("15,000.50", None, 15000.5),
        ("1.250.000 đ", None, 1250000.0),
        ("15,5", None, 15.5),
        ("15.000", ".", 15.0),
        ("15,000", ",", 15.0),
        ("15.000", ",", 15000.0),
    ],
)
def test_money_as_offices_write_it(text, decimal, value):
    assert parse_money(text, decimal) == value


def test_the_decimal_mark_is_decided_per_column_and_mixing_is_reported(tmp_path):
    assert decimal_mark(["15.000", "12,5", "1.250.000"]) == (",", False)
    assert decimal_mark(["15,000.50", "2.25"]) == (".", False)
    assert decimal_mark(["15.000,50", "15,000.50"])[1] is True
    path = write(tmp_path / "a.csv", ";")
    _, report = dumped_report(api.validate_files(api.Request((path,))))
    assert not [f for f in report["findings"] if f["code"] == "mixed-number-format"]
    rows = [list(r) for r in ROWS]
    rows[1][7] = "15,000.50"
    mixed = write(tmp_path / "b.csv", ";", rows=rows)
    log, report = dumped_report(api.validate_files(api.Request((mixed,))))
    found = [f for f in report["findings"] if f["code"] == "mixed-number-format"]
    assert len(found) == 1 and found[0]["column"] == "H" and found[0]["header"] == "Phí, lệ phí"
    assert log.frame["fee"].tolist() == [15000.0, 15000.5, 15000.5]
