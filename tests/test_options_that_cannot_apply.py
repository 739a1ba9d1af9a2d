"""Options that cannot apply are said, never dropped silently (#28, class 16): --columns entries
that match no header or give one header to two fields, --sheet names that differ only in how
they are written, a log found only on a hidden sheet."""

from __future__ import annotations

import unicodedata

import openpyxl
import pytest
import synthetic as S

N = 30


@pytest.fixture(scope="module")
def log():
    return S.case_log(N, 2024, seed=12)


def workbook(path, sheets):
    """sheets: (name, frame or None, hidden)."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, frame, hidden in sheets:
        ws = wb.create_sheet(name)
        if frame is None:
            ws.append(["Báo cáo tháng", "(trang bìa)"])
        else:
            ws.append(list(frame.columns))
            for row in frame.itertuples(index=False):
                ws.append(list(row))
        if hidden:
            ws.sheet_state = "hidden"
    wb.save(path)
    return path


def columns_file(tmp_path, body):
    path = tmp_path / "cot.yaml"
    path.write_text("columns:\n" + body, encoding="utf-8")
    return path


@pytest.mark.parametrize("header", ["Ngày nhận HS", "Ngay tiep nhan ho so cu", "Received date"])
def test_a_columns_entry_matching_no_header_is_said(log, tmp_path, invoke, header):
    path = tmp_path / "so.csv"
    log.to_csv(path, index=False, encoding="utf-8-sig")
    cols = columns_file(tmp_path, f'  received_at: "{header}"\n')
    res = invoke("validate", path, "--columns", cols, "-f", "json", "-q")
    import json

    said = [f for f in json.loads(res.stdout)["findings"] if f["code"] == "column-map-unused"]
    assert [f["message"] for f in said] == [
        f"--columns: received_at: «{header}» không có trong tiêu đề của tệp; Ngày tiếp nhận được nhận như không có "
        "mục này (xem tiêu đề bằng --show-mapping)"]
    assert said[0]["severity"] == "warning"


def test_a_columns_entry_that_applies_is_not_said(log, tmp_path, invoke):
    path = tmp_path / "so.csv"
    log.rename(columns={"Ngày tiếp nhận": "Ngày nhận HS"}).to_csv(path, index=False, encoding="utf-8-sig")
    cols = columns_file(tmp_path, '  received_at: "Ngày nhận HS"\n')
    import json

    res = invoke("validate", path, "--columns", cols, "-f", "json", "-q")
    assert not [f for f in json.loads(res.stdout)["findings"] if f["code"] == "column-map-unused"]


def test_a_columns_entry_for_the_case_log_is_not_said_of_the_other_sheets(log, tmp_path, invoke):
    """A map written for the case sheet's department was said unused twice more, once for the
    feedback sheet and once for the documents sheet, which have no such column."""
    import json

    path = workbook(tmp_path / "so.xlsx", [
        ("Hồ sơ", log.rename(columns={"Bộ phận xử lý": "Phòng ban xử lý"}), False),
        ("PAKN", S.feedback_log(8, 2024), False), ("Văn bản", S.documents_log(20, 2024), False)])
    cols = columns_file(tmp_path, '  department: "Phòng ban xử lý"\n')
    res = invoke("validate", path, "--columns", cols, "-f", "json", "-q")
    assert not [f for f in json.loads(res.stdout)["findings"] if f["code"] == "column-map-unused"]
    cols = columns_file(tmp_path, '  department: "Phòng ban"\n')
    res = invoke("validate", path, "--columns", cols, "-f", "json", "-q")
    assert len([f for f in json.loads(res.stdout)["findings"] if f["code"] == "column-map-unused"]) == 1


@pytest.mark.parametrize(("first", "second"), [("Ngày tiếp nhận", "Ngày tiếp nhận"), ("Ngày tiếp nhận", "NGAY TIEP NHAN"),
                                               ("Ngày tiếp nhận", " ngày  tiếp nhận ")])
def test_one_header_given_to_two_fields_is_refused_at_its_line(log, tmp_path, invoke, first, second):
    cols = columns_file(tmp_path, f'  received_at: "{first}"\n  submitted_at: ["Khác", "{second}"]\n')
    path = tmp_path / "so.csv"
    log.to_csv(path, index=False, encoding="utf-8-sig")
    res = invoke("validate", path, "--columns", cols)
    assert res.exit_code == 2
    assert res.stderr.strip() == (f"Lỗi: {cols}:3: columns → submitted_at: tiêu đề «{second}» đã gán cho received_at "
                                  f"(«{first}»); một cột chỉ là một trường: bỏ một trong hai")


def test_an_empty_columns_entry_is_refused(tmp_path, invoke, log):
    cols = columns_file(tmp_path, "  received_at:\n")
    path = tmp_path / "so.csv"
    log.to_csv(path, index=False, encoding="utf-8-sig")
    res = invoke("validate", path, "--columns", cols)
    assert res.exit_code == 2 and res.stderr.startswith(f"Lỗi: {cols}:2: columns → received_at: cần tiêu đề cột")


SHEET = "Sổ hồ sơ"


@pytest.mark.parametrize("asked", [unicodedata.normalize("NFD", SHEET), SHEET + " ", " sổ HỒ SƠ", SHEET.upper()])
def test_a_sheet_name_written_another_way_is_found(log, tmp_path, invoke, asked):
    path = workbook(tmp_path / "so.xlsx", [("Bìa", None, False), (SHEET, log, False)])
    res = invoke("validate", path, "--sheet", asked, "-f", "json", "-q")
    assert res.exit_code in (0, 1), res.stderr
    import json

    assert json.loads(res.stdout)["rows"]["read"] == N


def test_two_sheets_that_look_alike_are_refused_naming_both(log, tmp_path, invoke):
    nfd = unicodedata.normalize("NFD", SHEET)
    path = workbook(tmp_path / "so.xlsx", [(SHEET, log, False), (nfd, log, False)])
    res = invoke("validate", path, "--sheet", SHEET.upper())
    assert res.exit_code == 2
    line = res.stderr.strip()
    assert "có 2 trang tính trông giống" in line and "cách gõ dấu" in line and "\n" not in line


def test_an_unknown_sheet_lists_the_names_as_written(log, tmp_path, invoke):
    path = workbook(tmp_path / "so.xlsx", [("Bìa ", None, False), (SHEET, log, False)])
    res = invoke("validate", path, "--sheet", "Khác")
    assert res.exit_code == 2
    assert res.stderr.strip() == f"Lỗi: {path}: không có trang tính «Khác»; các trang tính: «Bìa », «{SHEET}»"


@pytest.mark.parametrize("cover", [True, False])
def test_a_log_only_on_a_hidden_sheet_says_to_use_sheet(log, tmp_path, invoke, cover):
    sheets = ([("Bìa", None, False)] if cover else [("Trống", None, False)]) + [(SHEET, log, True)]
    path = workbook(tmp_path / "so.xlsx", sheets)
    res = invoke("validate", path)
    assert res.exit_code == 2
    assert res.stderr.strip() == (f"Lỗi: {path}: sổ theo dõi hồ sơ chỉ có ở trang tính ẩn «{SHEET}»; đọc trang tính đó "
                                  f"bằng --sheet \"{SHEET}\" (hoặc bỏ ẩn nó trong Excel)")
    res = invoke("validate", path, "--sheet", SHEET, "-q")
    assert res.exit_code in (0, 1)
