"""The quarterly workbook, read back with openpyxl: sheets, figures, Biểu 06, formats, late list, safety."""

from __future__ import annotations

import shutil
import subprocess

import openpyxl
import pytest
from caselog import done, write
from conftest import ROOT
from dumps import computed

from ttkhc_cli import api
from ttkhc_cli.output import workbook as excel

SAMPLE = ROOT / "sample_data" / "so-theo-doi-ho-so-2024.xlsx"
INPUTS = ROOT / "sample_data" / "so-lieu-nhap-2024.yaml"


@pytest.fixture(scope="module")
def sample_report(tmp_path_factory):
    from typer.testing import CliRunner

    from ttkhc_cli.cli.commands import app

    out = tmp_path_factory.mktemp("r") / "bao-cao-2024-Q1.xlsx"
    result = CliRunner().invoke(
        app, ["report", str(SAMPLE), "--period", "2024-Q1", "--inputs", str(INPUTS), "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    return out, openpyxl.load_workbook(out)


def _table(ws, header_first: str) -> tuple[int, list[str]]:
    for row in ws.iter_rows():
        if row[0].value == header_first:
            return row[0].row, [c.value for c in row]
    raise AssertionError(f"no table starting with {header_first!r} in {ws.title}")


def test_sheets(sample_report):
    _, wb = sample_report
    assert wb.sheetnames == [
        "Tổng hợp",
        "Biểu 06",
        "Theo bộ phận",
        "Xu hướng",
        "Hồ sơ quá hạn",
        "Chất lượng dữ liệu",
        "Ghi chú",
    ]


def test_summary_figures_equal_compute_json(sample_report):
    _, wb = sample_report
    expected = computed(api.Request((SAMPLE,), period="2024-Q1", inputs_file=INPUTS))
    ws = wb["Tổng hợp"]
    head, headers = _table(ws, "Mã")
    col = {h: i for i, h in enumerate(headers)}
    assert [h for h in headers if h and h.startswith("Tháng")] == ["Tháng 2024-01", "Tháng 2024-02", "Tháng 2024-03"]
    rows = list(ws.iter_rows(min_row=head + 1, max_row=head + len(expected["indicators"]), values_only=True))
    for row, ind in zip(rows, expected["indicators"]):
        assert row[col["Mã"]] == ind["id"]
        value = row[col["Cả kỳ"]]
        assert (value is None and ind["value"] is None) or abs(value * 100 - ind["value"]) < 1e-9
        assert (row[col["Tử số"]], row[col["Mẫu số"]]) == (ind["numerator"], ind["denominator"])
        assert row[col["Đánh giá"]] == {"pass": "ĐẠT", "fail": "KHÔNG ĐẠT", "no_data": "CHƯA CÓ DỮ LIỆU"}[ind["status"]]
    assert ws.cell(head + 1, col["Cả kỳ"] + 1).number_format == "0.00%"
    assert ws.freeze_panes == f"A{head + 1}"
    assert ws.auto_filter.ref is not None
    assert ws.conditional_formatting
    assert ws._charts


def test_monthly_columns_equal_compute_per_month(sample_report):
    _, wb = sample_report
    ws = wb["Tổng hợp"]
    head, headers = _table(ws, "Mã")
    feb = computed(api.Request((SAMPLE,), period="2024-02", inputs_file=INPUTS))
    i = headers.index("Tháng 2024-02")
    for r, ind in enumerate(feb["indicators"], start=head + 1):
        if ind["source"] == "manual":
            continue
        v = ws.cell(r, i + 1).value
        assert (v is None and ind["value"] is None) or abs(v * 100 - ind["value"]) < 1e-9, ind["id"]


def test_form06_identities_and_total(sample_report):
    _, wb = sample_report
    ws = wb["Biểu 06"]
    head, _ = _table(ws, "(1)")
    rows = [r for r in ws.iter_rows(min_row=head + 1, values_only=True) if r[1]]
    rows = rows[: next(i for i, r in enumerate(rows) if r[1] == "Tổng cộng") + 1]
    assert rows[-1][1] == "Tổng cộng"
    for r in rows:
        c = r  # c[2] is column (3)
        assert c[2] == c[3] + c[4] + c[5]
        assert c[6] == c[7] + c[8] + c[9]
        assert c[10] == c[11] + c[12]
        assert c[2] == c[6] + c[10]
    for j in range(2, 13):
        assert rows[-1][j] == sum(r[j] for r in rows[:-1])
    assert any(
        (r[0] or "") == "Kỳ báo cáo: 2024-Q1 (Từ ngày 01/01/2024 đến ngày 31/03/2024)"
        for r in ws.iter_rows(max_row=5, values_only=True)
    )


def test_form06_on_a_hand_made_log(tmp_path):
    rows = [
        {
            "received_at": "20/12/2023",
            "due_at": "28/12/2023",
            "status": "Đang xử lý",
            "field": "Hộ tịch",
        },  # carried, overdue
        done("20/12/2023", "22/12/2023", due="28/12/2023"),  # resolved before the period: not in it
        done("15/12/2023", "05/01/2024", due="28/12/2023"),  # carried, resolved late in the period
        done("02/01/2024", "03/01/2024", due="05/01/2024", channel="Trực tuyến"),  # early, online
        done("02/01/2024", "05/01/2024", due="05/01/2024"),  # on time
        {"received_at": "25/03/2024", "due_at": "10/04/2024", "status": "Đang xử lý"},  # pending in time
        {"received_at": "26/03/2024", "status": "Đang xử lý"},  # no due date: left out with a note
    ]
    data = api.build_report(api.Request((write(tmp_path / "a.csv", rows),), period="2024-Q1"))
    total = data.form06[-1]
    assert total == ["", "Tổng cộng", 5, 1, 2, 2, 3, 1, 1, 1, 2, 1, 1]
    assert data.form06_note == "1 hồ sơ không đánh giá được tiến độ (thiếu ngày hẹn trả, hoặc đã có kết quả mà không ghi ngày) không đưa vào biểu"


def test_late_list_against_a_hand_made_log(tmp_path):
    rows = [
        {
            "case_id": "A1",
            "received_at": "02/01/2024",
            "due_at": "05/01/2024",
            "completed_at": "10/01/2024",
            "status": "Đã trả kết quả",
            "department": "Tư pháp",
        },  # late by 3 working days (8, 9, 10 Jan)
        {
            "case_id": "A2",
            "received_at": "02/01/2024",
            "due_at": "05/01/2024",
            "completed_at": "04/01/2024",
            "status": "Đã trả kết quả",
        },  # early: not listed
        {
            "case_id": "A3",
            "received_at": "20/03/2024",
            "due_at": "27/03/2024",
            "status": "Đang xử lý",
        },  # overdue at 31/03 (Sun): 28, 29
        {"case_id": "A4", "received_at": "25/03/2024", "due_at": "05/04/2024", "status": "Đang xử lý"},  # in time
        {
            "case_id": "A5",
            "received_at": "02/12/2023",
            "due_at": "05/12/2023",
            "completed_at": "08/12/2023",
            "status": "Đã trả kết quả",
        },  # late, but before the period
    ]
    log = write(tmp_path / "a.csv", rows)
    out = tmp_path / "r.xlsx"
    excel.write(api.build_report(api.Request((log,), period="2024-Q1")), out)
    ws = openpyxl.load_workbook(out)["Hồ sơ quá hạn"]
    head, headers = _table(ws, "Mã hồ sơ")
    listed = [r for r in ws.iter_rows(min_row=head + 1, values_only=True) if r[0]]
    got = [(r[0], r[headers.index("Số ngày làm việc quá hạn")], r[headers.index("Tình trạng")]) for r in listed]
    assert got == [("A1", 3, "Đã giải quyết quá hạn"), ("A3", 2, "Đang giải quyết, quá hạn")]
    assert ws.cell(head + 1, headers.index("Ngày hẹn trả") + 1).number_format == "dd/mm/yyyy"


def test_formula_injection_is_written_as_text(tmp_path):
    rows = [
        done(
            "02/01/2024",
            "03/01/2024",
            due="02/01/2024",
            procedure_name='=HYPERLINK("http://x","bấm")',
            department="+SUM(A1:A2)",
        ),
        done("02/01/2024", "09/01/2024", due="03/01/2024", procedure_name="@cmd", department="-1+2"),
    ]
    out = tmp_path / "r.xlsx"
    excel.write(api.build_report(api.Request((write(tmp_path / "a.csv", rows),), period="2024-Q1")), out)
    wb = openpyxl.load_workbook(out)
    texts = []
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if isinstance(c.value, str) and c.value[:1] in "=+-@":
                    assert c.data_type == "s", (ws.title, c.coordinate, c.value)
                    texts.append(c.value)
    assert '=HYPERLINK("http://x","bấm")' in texts and "+SUM(A1:A2)" in texts


def test_refuses_to_overwrite_an_input_and_leaves_no_partial_file(tmp_path, invoke, monkeypatch):
    log = write(tmp_path / "a.csv", [done("02/01/2024", "03/01/2024")])
    before = log.read_bytes()
    result = invoke("report", log, "-o", log.with_suffix(".xlsx"))
    assert result.exit_code == 0
    bad = tmp_path / "a.xlsx"
    result = invoke("report", bad, "-o", bad)
    assert result.exit_code == 2
    assert log.read_bytes() == before

    def boom(book, data, progress=None):
        raise RuntimeError("đĩa đầy")

    monkeypatch.setattr(excel, "_late", boom)
    out = tmp_path / "new.xlsx"
    result = invoke("report", log, "-o", out)
    assert result.exit_code == 3
    assert not out.exists()
    assert [p.name for p in tmp_path.iterdir() if p.suffix == ".xlsx" and p.name.startswith(".")] == []


def test_notes_sheet_lists_inputs_with_sha256(sample_report):
    _, wb = sample_report
    ws = wb["Ghi chú"]
    values = [v for row in ws.iter_rows(values_only=True) for v in row if v]
    import hashlib

    assert hashlib.sha256(SAMPLE.read_bytes()).hexdigest() in values
    assert "fee > 0" in values  # how I.1 is counted
    assert any(isinstance(v, str) and v.startswith("Lập bằng ttkhc") for v in values)


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_libreoffice_opens_the_workbook(sample_report, tmp_path):
    path, _ = sample_report
    run = subprocess.run(
        ["soffice", "--headless", "--convert-to", "csv", "--outdir", str(tmp_path), str(path)],
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert run.returncode == 0, run.stderr
    text = (tmp_path / path.with_suffix(".csv").name).read_text(encoding="utf-8", errors="replace")
    assert "UBND" in text
