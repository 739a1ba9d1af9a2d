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
    assert result.exit_code == 1, result.output  # as compute: the sample fails some indicators on purpose
    return out, openpyxl.load_workbook(out)


def _table(ws, header_first: str) -> tuple[int, list[str]]:
    for row in ws.iter_rows():
        if row[0].value == header_first:
            return row[0].row, [c.value for c in row]
    raise AssertionError(f"no table starting with {header_first!r} in {ws.title}")


def test_sheets(sample_report):
    path, wb = sample_report
    assert wb.sheetnames == [  # the sheets to send, then how they were counted
        "Tổng hợp",
        "Biểu 06",
        "Theo bộ phận",
        "Xu hướng",
        "Chỉ số 766",
        "Ghi chú",
    ]  # the sample's logs have no finding: no data-quality sheet, a line in the notes instead
    notes = [str(c.value) for row in wb["Ghi chú"].iter_rows() for c in row if c.value]
    assert "• Chất lượng dữ liệu: không có lỗi hay cảnh báo nào." in notes
    # the office's own lists (officers' names, dossiers to act on) are a second file, never sent
    worklist = openpyxl.load_workbook(path.with_name(path.stem + "-viec-can-lam.xlsx"))
    assert worklist.sheetnames == ["Việc cần làm", "Việc của cán bộ", "Nhiệm vụ Phụ lục II", "Hồ sơ quá hạn"]


def test_summary_figures_equal_compute_json(sample_report):
    _, wb = sample_report
    expected = computed(api.Request((SAMPLE,), period="2024-Q1", inputs_file=INPUTS))
    ws = wb["Tổng hợp"]
    head, headers = _table(ws, "Mã")
    col = {h: i for i, h in enumerate(headers)}
    assert headers[:8] == ["Mã", "Chỉ tiêu", "Chỉ tiêu giao", "Kết quả", "Tử số", "Mẫu số", "Đánh giá", "Ghi chú"]
    rows = list(ws.iter_rows(min_row=head + 1, max_row=head + len(expected["indicators"]), values_only=True))
    for row, ind in zip(rows, expected["indicators"]):
        assert row[col["Mã"]] == ind["id"]
        value = row[col["Kết quả"]]
        assert (value is None and ind["value"] is None) or abs(value * 100 - ind["value"]) < 1e-9
        assert (row[col["Tử số"]], row[col["Mẫu số"]]) == (ind["numerator"], ind["denominator"])
        assert row[col["Đánh giá"]] == {"pass": "ĐẠT", "fail": "KHÔNG ĐẠT", "no_data": "CHƯA CÓ DỮ LIỆU",
                                        "not_applicable": "KHÔNG ÁP DỤNG"}[ind["status"]]
    assert ws.cell(head + 1, col["Kết quả"] + 1).number_format == "0.00%"
    failing = next(r for r, ind in enumerate(expected["indicators"], start=head + 1) if ind["status"] == "fail")
    assert ws.cell(failing, col["Đánh giá"] + 1).fill.fgColor.rgb.endswith("FFC7CE")  # red: not met
    texts = [v for row in ws.iter_rows(values_only=True) for v in row if isinstance(v, str)]
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in texts and "TM. ỦY BAN NHÂN DÂN" in texts and "CHỦ TỊCH" in texts
    assert "NGƯỜI LẬP BIỂU" not in texts  # the report's signer, not the statistics form's
    assert "Kỳ báo cáo: Quý I năm 2024 (từ ngày 01/01/2024 đến ngày 31/03/2024)" in "\n".join(texts)
    # printed as a document: A4 landscape, no grid, page numbers, full size
    assert ws.page_setup.paperSize == 9 and ws.page_setup.orientation == "landscape"
    assert not ws.print_options.gridLines
    assert "Trang &P/&N" in ws.oddFooter.center.text


def test_monthly_columns_equal_compute_per_month(sample_report):
    _, wb = sample_report
    ws = wb["Xu hướng"]
    head, headers = _table(ws, "Mã")
    assert [h for h in headers if h and h.startswith("Th.")] == ["Th. 01/2024", "Th. 02/2024", "Th. 03/2024"]
    feb = computed(api.Request((SAMPLE,), period="2024-02", inputs_file=INPUTS))
    i = headers.index("Th. 02/2024")
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
    texts = [v for row in ws.iter_rows(max_row=head, values_only=True) for v in row if isinstance(v, str)]
    assert "Kỳ báo cáo: Quý I năm 2024 (từ ngày 01/01/2024 đến ngày 31/03/2024)" in texts
    assert {"Biểu số 06/VPCP/KSTT", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
            "Số hồ sơ nhận giải quyết", "Số hồ sơ đã giải quyết", "Số hồ sơ đang giải quyết"} <= set(texts)
    after = [v for row in ws.iter_rows(min_row=head, values_only=True) for v in row if isinstance(v, str)]
    assert "NGƯỜI LẬP BIỂU" in after and "THỦ TRƯỞNG ĐƠN VỊ" in after


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
    excel.write(api.build_report(api.Request((log,), period="2024-Q1")), out, worklist=tmp_path / "viec.xlsx")
    ws = openpyxl.load_workbook(tmp_path / "viec.xlsx")["Hồ sơ quá hạn"]
    head, headers = _table(ws, "Mã hồ sơ")
    listed = [r for r in ws.iter_rows(min_row=head + 1, values_only=True) if r[0]]
    got = [(r[0], r[headers.index("Số ngày làm việc quá hạn")], r[headers.index("Tình trạng")]) for r in listed]
    assert got == [("A1", 3, "Đã giải quyết quá hạn"), ("A3", 2, "Đang giải quyết, quá hạn")]
    assert ws.cell(head + 1, headers.index("Ngày hẹn trả") + 1).number_format == "dd/mm/yyyy"


def test_days_late_are_counted_on_the_plans_calendar(tmp_path):
    """The late list counts working days on the calendar the appointments use: a weekday the plan
    names as a working day is one day, not two; a day off the plan adds is skipped."""
    from ttkhc_cli.kpi import plan as plan_file

    text = plan_file.bundled_path().read_text(encoding="utf-8")
    text = text.replace("  extra_holidays: []", "  extra_holidays: [2024-01-16]")
    text = text.replace("  working_days: []", "  working_days: [2024-01-10]")
    plan = tmp_path / "plan.yaml"
    plan.write_text(text, encoding="utf-8")
    rows = [
        # due Mon 08/01, result Fri 12/01: Tue to Fri, 4 (Wed 10/01 was a working day already)
        {"case_id": "L1", "received_at": "02/01/2024", "due_at": "08/01/2024", "completed_at": "12/01/2024",
         "status": "Đã trả kết quả"},
        # due Mon 15/01, result Wed 17/01: the day off 16/01 is skipped, 1
        {"case_id": "L2", "received_at": "09/01/2024", "due_at": "15/01/2024", "completed_at": "17/01/2024",
         "status": "Đã trả kết quả"},
        # due Fri 29/03, open at the period's end (Sun 31/03): no working day between, still 1
        {"case_id": "L3", "received_at": "25/03/2024", "due_at": "29/03/2024", "status": "Đang xử lý"},
        # no appointment, late by the log's own word: no count of days to give (not 1)
        {"case_id": "L4", "received_at": "05/02/2024", "completed_at": "20/02/2024", "status": "Đã trả kết quả",
         "timing_reported": "Quá hạn"},
    ]
    data = api.build_report(api.Request((write(tmp_path / "a.csv", rows),), targets_file=plan, period="2024-Q1"))
    late = data.late.set_index("Mã hồ sơ")["Số ngày làm việc quá hạn"]
    assert late.drop("L4").to_dict() == {"L1": 4, "L2": 1, "L3": 1}
    assert late.isna()["L4"]


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
    excel.write(api.build_report(api.Request((write(tmp_path / "a.csv", rows),), period="2024-Q1")), out,
                worklist=tmp_path / "viec.xlsx")
    texts = []
    for ws in openpyxl.load_workbook(out).worksheets + openpyxl.load_workbook(tmp_path / "viec.xlsx").worksheets:
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

    assert any(hashlib.sha256(SAMPLE.read_bytes()).hexdigest() in v for v in values if isinstance(v, str))
    how = next(v for v in values if isinstance(v, str) and v.startswith("Mẫu số: hồ sơ có phí"))
    # I.1 in words only: the rule's code form is the JSON's (targets show --format json), not the paper's.
    assert "Tử số: trong đó đã thanh toán trực tuyến" in how and "«" not in how and "fee" not in how
    assert any(isinstance(v, str) and v.startswith("Lập bằng ttkhc") for v in values)


@pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("pdftotext") is None,
                    reason="LibreOffice and poppler are not installed (Debian: apt-get install libreoffice-calc "
                    "poppler-utils)")
def test_the_report_prints_as_a_document(sample_report, tmp_path):
    """Converted to PDF by LibreOffice: A4 landscape pages, every sheet, page numbers, the motto
    and the signature block on Biểu 06, nothing cut; page 1 of each sheet rendered to PNG for a
    person to look at (the folder is printed)."""
    path, wb = sample_report
    run = subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(path)],
                         capture_output=True, text=True, timeout=240)
    assert run.returncode == 0, run.stderr
    pdf = tmp_path / path.with_suffix(".pdf").name
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    pages = int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))
    assert "841.89 x 595.3" in info  # A4 landscape
    texts = []
    for n in range(1, pages + 1):
        texts.append(subprocess.run(["pdftotext", "-layout", "-f", str(n), "-l", str(n), str(pdf), "-"],
                                    capture_output=True, text=True, check=True).stdout)
    assert all(f"Trang {n}/{pages}" in t for n, t in enumerate(texts, start=1))
    firsts = {}
    for name in wb.sheetnames:  # each sheet's first page, known by its page header
        title = {"Việc cần làm": "Việc cần làm", "Việc của cán bộ": "Việc của cán bộ",
                 "Nhiệm vụ Phụ lục II": "Nhiệm vụ Phụ lục II", "Tổng hợp": "Báo cáo kết quả", "Biểu 06": "Biểu số 06/VPCP/KSTT",
                 "Theo bộ phận": "Kết quả theo bộ phận", "Xu hướng": "Xu hướng theo tháng",
                 "Chỉ số 766": "Chỉ số phục vụ (QĐ 766)",
                 "Hồ sơ quá hạn": "Hồ sơ quá hạn", "Chất lượng dữ liệu": "Chất lượng dữ liệu",
                 "Ghi chú": "Ghi chú: cách tính"}[name]
        firsts[name] = next(n for n, t in enumerate(texts, start=1) if title in t.splitlines()[0])
    form = " ".join(t for t in texts if "Biểu số 06/VPCP/KSTT" in t.splitlines()[0])
    for words in ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "NGƯỜI LẬP BIỂU",
                  "THỦ TRƯỞNG ĐƠN VỊ", "Số hồ sơ nhận giải quyết", "Tổng cộng"):
        assert words in form
    everything = "\n".join(texts)
    for ind in computed(api.Request((SAMPLE,), period="2024-Q1", inputs_file=INPUTS))["indicators"]:
        assert ind["name"][:30] in " ".join(everything.split()), ind["id"]  # names printed whole, not cut
    if shutil.which("pdftoppm"):
        out = ROOT / "build" / "report-pages"
        out.mkdir(parents=True, exist_ok=True)
        for name, n in firsts.items():
            subprocess.run(["pdftoppm", "-r", "70", "-png", "-singlefile", "-f", str(n), "-l", str(n), str(pdf),
                            str(out / name.replace(" ", "-"))], check=True)
        print(f"\nTrang đầu của mỗi sheet: {out}")


def test_the_printed_late_list_is_capped(tmp_path, invoke):
    """120 dossiers resolved late: the sheet holds them all, the printed area the first 100, and
    the sheet says where the rest are."""
    from openpyxl import load_workbook

    lines = ["Mã hồ sơ,Ngày tiếp nhận,Ngày hẹn trả,Ngày có kết quả,Trạng thái"]
    lines += [f"L{k:03d},04/03/2024,08/03/2024,12/03/2024,Đã trả kết quả" for k in range(120)]
    log = tmp_path / "muon.csv"
    log.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "bc.xlsx"
    res = invoke("report", log, "--period", "2024-03", "-o", out)
    assert res.exit_code in (0, 1), res.output
    ws = load_workbook(tmp_path / "bc-viec-can-lam.xlsx")["Hồ sơ quá hạn"]
    ids = [r[0] for r in ws.iter_rows(values_only=True) if isinstance(r[0], str) and r[0].startswith("L")]
    assert len(ids) == 120
    texts = [str(r[0]) for r in ws.iter_rows(max_row=4, values_only=True) if r[0]]
    assert any(t.startswith("Bản in có 100 hồ sơ đầu; 20 hồ sơ khác") for t in texts)
    head = next(r for r in range(1, 10) if ws.cell(r, 1).value == "Mã hồ sơ")
    assert ws.print_area == f"'Hồ sơ quá hạn'!$A$1:$K${head + 100}"


def test_the_worklists_go_to_a_second_file(invoke, tmp_path):
    """The report to send holds no officer's name: the office's lists are written beside it
    (``--worklist`` names the file, ``none`` writes none; a Word report writes one when asked)."""
    out = tmp_path / "bc.xlsx"
    res = invoke("report", SAMPLE, "--period", "2024-Q1", "-o", out, "-q")
    assert res.exit_code == 1
    lines = res.stderr.splitlines()
    assert lines[1] == f"Đã ghi {tmp_path / 'bc-viec-can-lam.xlsx'}: việc nội bộ của đơn vị, không gửi kèm báo cáo."
    officers = {str(c) for row in openpyxl.load_workbook(tmp_path / "bc-viec-can-lam.xlsx")["Hồ sơ quá hạn"]
                .iter_rows(values_only=True) for c in row[3:4] if c}
    sent = {str(c.value) for ws in openpyxl.load_workbook(out).worksheets for row in ws.iter_rows() for c in row}
    assert officers - {"Cán bộ xử lý"} and not (officers - {"Cán bộ xử lý"}) & sent
    named = tmp_path / "noi-bo" / "viec.xlsx"
    assert invoke("report", SAMPLE, "--period", "2024-Q1", "-o", tmp_path / "b2.xlsx", "--worklist", named,
                  "-q").exit_code == 1
    assert named.exists() and not (tmp_path / "b2-viec-can-lam.xlsx").exists()
    assert invoke("report", SAMPLE, "--period", "2024-Q1", "-o", tmp_path / "b3.xlsx", "--worklist", "none",
                  "-q").exit_code == 1
    assert sorted(p.name for p in tmp_path.glob("b3*")) == ["b3.xlsx"]
    assert invoke("report", SAMPLE, "--period", "2024-Q1", "-o", tmp_path / "b4.docx", "--worklist",
                  tmp_path / "b4.xlsx", "-q").exit_code == 1
    assert (tmp_path / "b4.xlsx").exists()


@pytest.mark.parametrize("given,message", [
    ("viec.csv", "--worklist viec.csv: tệp việc nội bộ phải có đuôi .xlsx"),
    ("bc.xlsx", "--worklist bc.xlsx: phải khác tệp báo cáo"),
    ("sub/../bc.xlsx", "--worklist sub/../bc.xlsx: phải khác tệp báo cáo"),  # the same file spelt otherwise
    ("linked/bc.xlsx", "--worklist linked/bc.xlsx: phải khác tệp báo cáo"),  # through a linked folder
])
def test_a_worklist_that_cannot_be_is_refused(invoke, tmp_path, monkeypatch, given, message):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "sub").mkdir()
    (tmp_path / "linked").symlink_to(tmp_path)
    res = invoke("report", SAMPLE, "--period", "2024-Q1", "-o", "bc.xlsx", "--worklist", given)
    assert res.exit_code == 2 and res.stderr.strip() == f"Lỗi: {message}"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["linked", "sub"]


def test_a_worklist_never_replaces_an_input(invoke, tmp_path):
    log = tmp_path / "so.xlsx"
    log.write_bytes(SAMPLE.read_bytes())
    res = invoke("report", log, "--period", "2024-Q1", "-o", tmp_path / "bc.xlsx", "--worklist", log)
    assert res.exit_code == 2
    assert res.stderr.strip() == f"Lỗi: {log}: là tệp đầu vào ({log}); không ghi đè, chọn tên tệp khác cho --worklist"
    assert log.read_bytes() == SAMPLE.read_bytes() and not (tmp_path / "bc.xlsx").exists()


def test_a_log_without_departments_or_apologies_says_so(tmp_path, invoke):
    """No department column: the sheet says it cannot split, rather than a header over nothing;
    no apology column: the báo cáo claims no dossier lacks an apology letter."""
    from docx import Document

    lines = ["Mã hồ sơ,Ngày tiếp nhận,Ngày hẹn trả,Ngày có kết quả,Trạng thái"]
    lines += [f"L{k:03d},04/03/2024,08/03/2024,12/03/2024,Đã trả kết quả" for k in range(5)]
    log = tmp_path / "so.csv"
    log.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert invoke("report", log, "--period", "2024-03", "-o", tmp_path / "bc.xlsx", "-q").exit_code in (0, 1)
    sheet = [c for row in openpyxl.load_workbook(tmp_path / "bc.xlsx")["Theo bộ phận"].iter_rows(values_only=True)
             for c in row if c]
    assert "Sổ không ghi bộ phận xử lý: không chia được kết quả theo bộ phận." in sheet and "Bộ phận" not in sheet
    assert invoke("report", log, "--period", "2024-03", "-o", tmp_path / "bc.docx", "-q").exit_code in (0, 1)
    text = " ".join(p.text for p in Document(str(tmp_path / "bc.docx")).paragraphs)
    assert "Có 5 hồ sơ giải quyết quá hạn" in text and "phiếu xin lỗi" not in text


def test_a_failing_figure_typed_in_is_no_dossier_to_act_on(tmp_path):
    """In the sample's third quarter III.1 (a figure typed in, ``source: manual``) fails: the
    worklist asks only a case count for dossiers to complete, and the report is written."""
    data = api.build_report(api.Request((SAMPLE,), period="2024-Q3", inputs_file=INPUTS))
    manual = next(i for i in data.result.indicators if i.id == "III.1")
    assert manual.status == "fail"
    assert data.worklist is not None
    assert "III.1" not in {item.indicator.id for item in data.actions if item.dossiers}


def test_the_quality_sheet_names_each_finding_in_words(tmp_path):
    """The sheet sent with the report showed "missing-column", a code for scripts, where the
    officer reads what kind of problem it is."""
    import synthetic as S
    from typer.testing import CliRunner

    from ttkhc_cli.cli.commands import app
    from ttkhc_cli.ingest.catalogue import CATALOGUE

    log = tmp_path / "so.csv"
    S.case_log(60, 2024, seed=3).drop(columns=["Số hóa hồ sơ"]).to_csv(log, index=False, encoding="utf-8")
    out = tmp_path / "bc.xlsx"
    res = CliRunner().invoke(app, ["report", str(log), "--period", "2024-Q1", "-o", str(out)])
    assert res.exit_code in (0, 1), res.output
    ws = openpyxl.load_workbook(out)["Chất lượng dữ liệu"]
    row, headers = _table(ws, "Mức")
    assert headers[:3] == ["Mức", "Loại", "Trang tính"]
    kinds = [r[1] for r in ws.iter_rows(min_row=row + 1, values_only=True) if r[0] in ("Lỗi", "Cảnh báo")]
    assert "Thiếu cột" in kinds and not set(kinds) & set(CATALOGUE)


def test_the_trend_charts_leave_out_an_entered_figure_and_keep_to_the_page(tmp_path):
    """A figure entered for the quarter (III.1) had a chart with no point."""
    import re
    import zipfile

    from typer.testing import CliRunner

    from ttkhc_cli.cli.commands import app

    inputs = tmp_path / "so-lieu-nhap.yaml"
    inputs.write_text("III.1:\n  - {period: 2024-Q1, numerator: 2, denominator: 4}\n", encoding="utf-8")
    out = tmp_path / "bc.xlsx"
    res = CliRunner().invoke(app, ["report", str(SAMPLE), "--period", "2024-Q1", "--inputs", str(inputs),
                                   "-o", str(out)])
    assert res.exit_code == 1, res.output
    with zipfile.ZipFile(out) as z:
        titles = [" ".join(re.findall(r"<a:t>([^<]*)</a:t>", z.read(n).decode()))
                  for n in sorted(z.namelist()) if n.startswith("xl/charts/chart")]
    assert titles and not any(t.startswith("III.1") for t in titles)
    assert len(titles) == 4  # I.1, I.3, III.2, V.1: every failing indicator counted month by month
