"""The report on paper, checked from the PDF LibreOffice prints (tests/support/printcheck.py):
the pages of the sheets to send, tables across the printable width, no header row or single row
left alone on a page, every cell's words printed, and the báo cáo's parts. Run on the sample's
quarter, on one month, on a 200,000-row log (the late list capped) and on a province's workbook
from a converted dataset; and the check itself fails on pages made to fail it.

LibreOffice is needed (CI installs it); without it the tests skip and say so.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
import synthetic as S
from printcheck import _first_in_body as first_in_body
from printcheck import _last_in_body as last_in_body
from printcheck import cut_text, problems, read, soffice, to_pdf
from typer.testing import CliRunner

from ttkhc_cli.cli.commands import app

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "sample_data" / "so-theo-doi-ho-so-2024.xlsx"
INPUTS = ROOT / "sample_data" / "so-lieu-nhap-2024.yaml"
WRITER = Path("/usr/lib/libreoffice/program/libswlo.so")

pytestmark = pytest.mark.skipif(
    soffice() is None or shutil.which("pdfinfo") is None,
    reason="LibreOffice is not installed (Debian: apt-get install libreoffice-calc libreoffice-writer poppler-utils)")

SEND = ("Báo cáo kết quả thực hiện chỉ tiêu", "Biểu số 06/VPCP/KSTT")  # the page headers of the sheets to send


def _report(folder: Path, *args: str | Path, name: str = "bc") -> tuple[Path, Path]:
    out = folder / f"{name}.xlsx"
    res = CliRunner().invoke(app, ["report", *map(str, args), "-o", str(out), "-q"], catch_exceptions=False)
    assert res.exit_code in (0, 1), res.output
    return out, folder / f"{name}-viec-can-lam.xlsx"


def _checked(book: Path, folder: Path) -> list:
    """The book's printed pages, after asserting each prints whole."""
    pages = read(to_pdf(book, folder))
    assert problems(pages) == []
    assert cut_text(book, pages) == {}
    assert all(p.width > p.height and round(p.width) == 842 for p in pages)  # A4 landscape
    return pages


@pytest.fixture(scope="module")
def quarter(tmp_path_factory):
    folder = tmp_path_factory.mktemp("quarter")
    report, worklist = _report(folder, SAMPLE, "--period", "2024-Q1", "--inputs", INPUTS)
    return _checked(report, folder), _checked(worklist, folder)


def test_the_quarters_parts_to_send_print_first_in_at_most_five_pages(quarter):
    pages, _ = quarter
    send = [p for p in pages if p.title in SEND]
    assert 1 <= len(send) <= 5
    assert [p.number for p in send] == list(range(1, len(send) + 1))  # first, numbered from 1


def test_the_quarters_workbook_prints_in_at_most_twelve_pages(quarter):
    pages, worklist = quarter
    assert len(pages) <= 12
    assert not {p.title.split(" — ")[0] for p in pages} & {"Việc cần làm", "Việc của cán bộ", "Hồ sơ quá hạn"}
    assert {p.title.split(" — ")[0] for p in worklist} >= {"Việc cần làm", "Việc của cán bộ", "Hồ sơ quá hạn"}


def test_a_months_report_prints_whole(tmp_path):
    report, worklist = _report(tmp_path, SAMPLE, "--period", "2024-02")
    assert len(_checked(report, tmp_path)) <= 12
    _checked(worklist, tmp_path)


def test_a_worklist_whose_tables_run_over_pages_prints_their_headers(tmp_path):
    """The third quarter's blocks run over pages: each continued table has its header again
    (a sheet repeats one header only), and no block leaves a page mostly empty."""
    _, worklist = _report(tmp_path, SAMPLE, "--period", "2024-Q3", "--inputs", INPUTS)
    pages = [p for p in _checked(worklist, tmp_path) if p.title.startswith("Việc cần làm")]
    assert len(pages) >= 3
    continued = [p for before, p in zip(pages, pages[1:]) if p.tables and before.tables
                 and p.tables[0].rows[0].header and first_in_body(p, p.tables[0])
                 and last_in_body(before, before.tables[-1])]
    assert continued


def test_a_200000_row_log_prints_whole_with_the_late_list_capped(tmp_path):
    log = tmp_path / "tinh.csv"
    S.case_log(200_000, 2024, seed=7).to_csv(log, index=False)
    report, worklist = _report(tmp_path, log, "--period", "2024-Q1")
    _checked(report, tmp_path)
    pages = _checked(worklist, tmp_path)
    late = [p for p in pages if p.title.startswith("Hồ sơ quá hạn")]
    rows = sum(len([r for r in t.rows if not r.header]) for p in late for t in p.tables)
    assert rows == 100  # the printed area; the sheet holds them all
    assert "Bản in có 100 hồ sơ đầu" in " ".join(w["text"] for w in late[0].words)


def test_a_provinces_workbook_prints_whole(tmp_path):
    runner = CliRunner()
    ds = tmp_path / "tinh"
    for k, name in enumerate(["ĐẮK RƠ VA", "NGỌK TEM", "ĐẮK PNE"], start=1):
        log = tmp_path / f"xa-{k}.xlsx"
        S.write_xlsx(S.case_log(80, 2025, seed=k), log, [f"UBND XÃ {name}"])
        assert runner.invoke(app, ["convert", str(log), "-o", str(ds), "-q"]).exit_code == 0
    plan = tmp_path / "ke-hoach-2025.yaml"
    res = runner.invoke(app, ["init", "--unit", "UBND tỉnh Kon Tum", "--level", "tỉnh", "--year", "2025", "-o",
                              str(plan)])
    assert res.exit_code == 0, res.output
    report, worklist = _report(tmp_path, ds, "--targets", plan, "--period", "2025-Q1")
    pages = _checked(report, tmp_path)
    assert any(p.title.startswith("Xếp hạng đơn vị") for p in pages)
    _checked(worklist, tmp_path)


@pytest.mark.skipif(not WRITER.exists(), reason="LibreOffice Writer is not installed")
@pytest.mark.parametrize("period,abstract", [("2024-Q1", "quý I năm 2024"), ("2024-02", "tháng 2 năm 2024")])
def test_the_document_has_its_parts_on_two_to_five_pages(tmp_path, period, abstract):
    out = tmp_path / "bc.docx"
    res = CliRunner().invoke(app, ["report", str(SAMPLE), "--period", period, "-o", str(out), "-q"])
    assert res.exit_code in (0, 1), res.output
    assert not (tmp_path / "bc-viec-can-lam.xlsx").exists()  # a Word report writes no worklist unless asked
    pages = read(to_pdf(out, tmp_path))
    assert 2 <= len(pages) <= 5
    text = [" ".join(w["text"] for w in p.words) for p in pages]
    for part in ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "Số: /BC-UBND", "BÁO CÁO",
                 "Kết quả thực hiện công tác cải cách thủ tục hành chính", abstract):
        assert part in text[0], part
    whole = " ".join(text)
    assert "Nơi nhận:" in whole and "TM. ỦY BAN NHÂN DÂN" in whole and "CHỦ TỊCH" in whole
    assert pages[0].height > pages[0].width  # A4 portrait, Biểu 06 in landscape after it
    assert pages[-1].width > pages[-1].height and "Biểu số 06/VPCP/KSTT" in text[-1]


# ------------------------------------------------------------------ the check can fail

def _book(path: Path, rows: list[tuple[float | None, list[str]]], widths: list[float], heads: tuple[int, ...] = (),
          repeat: bool = False) -> Path:
    """A one-sheet workbook laid out like the report's: rows of given heights, ``heads`` filled as
    header rows (the first repeated on every page with ``repeat``)."""
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("Thử")
    ws.set_paper(9)
    ws.set_landscape()
    ws.set_margins(left=0.5, right=0.5, top=0.75, bottom=0.6)
    ws.set_header("&RBảng thử")
    ws.fit_to_pages(1, 0)
    cell = wb.add_format({"border": 1, "text_wrap": True, "valign": "top"})
    head = wb.add_format({"border": 1, "bold": True, "bg_color": "#E7EEF7"})
    for c, w in enumerate(widths):
        ws.set_column(c, c, w)
    for r, (height, values) in enumerate(rows):
        ws.set_row(r, height)
        for c, v in enumerate(values):
            ws.write_string(r, c, v, head if r in heads else cell)
    if repeat:
        ws.repeat_rows(heads[0])
    wb.close()
    return path


HEAD = (None, ["Mã", "Nội dung"])
FILLER = [(30.0, [str(k), "dòng đệm"]) for k in range(18)]


def test_the_check_finds_a_narrow_table_and_cut_text(tmp_path):
    book = _book(tmp_path / "hep.xlsx", [HEAD, (15, ["1", "một câu dài không vừa một dòng của ô hẹp này nên bị cắt mất"])],
                 [6, 20], heads=(0,))
    pages = read(to_pdf(book, tmp_path))
    found = problems(pages)
    assert len(found) == 1 and found[0].startswith("trang 1 (Bảng thử): bảng rộng "), found
    assert set(cut_text(book, pages)["Thử"]) & {"cắt", "mất"}


def test_the_check_finds_a_header_alone_at_the_foot_of_a_page(tmp_path):
    book = _book(tmp_path / "tieu-de.xlsx", [*FILLER[:14], HEAD, (200.0, ["y", "dữ liệu ở trang sau"])], [20, 100],
                 heads=(14,))
    found = problems(read(to_pdf(book, tmp_path)))
    assert found == ["trang 1 (Bảng thử): dòng tiêu đề cuối trang, không có dữ liệu dưới"], found


def test_the_check_finds_a_single_row_on_a_page_of_its_own(tmp_path):
    book = _book(tmp_path / "le.xlsx", [HEAD, *FILLER, (40.0, ["z", "dòng lẻ"])], [20, 100], heads=(0,),
                 repeat=True)
    found = problems(read(to_pdf(book, tmp_path)))
    assert found == ["trang 2 (Bảng thử): một dòng lẻ của bảng sang trang (z dòng lẻ)"], found


def test_the_check_finds_a_table_continued_without_its_header(tmp_path):
    book = _book(tmp_path / "tiep.xlsx", [HEAD, *FILLER, *FILLER], [20, 100], heads=(0,))
    found = problems(read(to_pdf(book, tmp_path)))
    assert found == ["trang 2 (Bảng thử): bảng sang trang không có dòng tiêu đề (0 dòng đệm)"], found


def test_pdfinfo_agrees_on_the_page_count(quarter, tmp_path):
    """The reader's page count is the PDF's (pdfinfo), so a page is never skipped unseen."""
    report, _ = _report(tmp_path, SAMPLE, "--period", "2024-Q1", "--inputs", INPUTS)
    pdf = to_pdf(report, tmp_path)
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:"))) == len(read(pdf))
