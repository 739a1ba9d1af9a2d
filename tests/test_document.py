"""The báo cáo as a Word document (report -o ….docx), laid out as Nghị định 30/2020/NĐ-CP:
read back with python-docx, and printed to PDF by LibreOffice where it is installed."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import ROOT

from ttkhc_cli.domain.periods import parse_period
from ttkhc_cli.output import document

SAMPLE = ROOT / "sample_data" / "so-theo-doi-ho-so-2024.xlsx"
INPUTS = ROOT / "sample_data" / "so-lieu-nhap-2024.yaml"
ABSTRACT = ("Kết quả thực hiện công tác cải cách thủ tục hành chính, kiểm soát thủ tục hành chính quý I năm 2024")
WRITER = Path("/usr/lib/libreoffice/program/libswlo.so")


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    from typer.testing import CliRunner

    from ttkhc_cli.cli.commands import app

    out = tmp_path_factory.mktemp("doc") / "bao-cao-2024-Q1.docx"
    res = CliRunner().invoke(app, ["report", str(SAMPLE), "--period", "2024-Q1", "--inputs", str(INPUTS),
                                   "--date", "05/04/2024", "-o", str(out)])
    assert res.exit_code in (0, 1), res.output
    return out


def _texts(doc) -> list[str]:
    out = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            for cell in row.cells:
                out += [p.text for p in cell.paragraphs]
    return out


def test_the_document_has_the_decrees_parts(made):
    from docx import Document

    doc = Document(str(made))
    texts = _texts(doc)
    for part in ("ỦY BAN NHÂN DÂN\nXÃ ĐẮK TÔ RE", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
                 "Số:        /BC-UBND", "Đắk Tô Re, ngày 05 tháng 4 năm 2024", "BÁO CÁO", ABSTRACT, "Nơi nhận:",
                 "- Lưu: VT.", "TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "I. KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU",
                 "II. TÌNH HÌNH TIẾP NHẬN, GIẢI QUYẾT HỒ SƠ THỦ TỤC HÀNH CHÍNH", "III. TỒN TẠI, HẠN CHẾ VÀ NGUYÊN NHÂN",
                 "IV. NHIỆM VỤ TRỌNG TÂM KỲ TỚI", "Biểu số 06/VPCP/KSTT"):
        assert part in texts, part
    body = " ".join(texts)
    # Biểu 06's totals in words (346 received after the three dossiers never received are left out)
    assert ("Tổng số hồ sơ tiếp nhận, giải quyết trong kỳ: 346 hồ sơ (tiếp nhận trực tuyến 196, trực tiếp và qua "
            "dịch vụ bưu chính 150, từ kỳ trước chuyển sang 0).") in body
    assert "Số hồ sơ đã giải quyết: 333 hồ sơ (trước hạn 85, đúng hạn 243, quá hạn 5)" in body
    assert "- Chỉ tiêu I.1 Thanh toán trực tuyến: cần thêm 15 hồ sơ đã thanh toán trực tuyến để đạt 45%" in body
    assert "Nguyên nhân quá hạn theo sổ theo dõi: hồ sơ phức tạp (3 hồ sơ)" in body


def test_the_page_is_the_decrees(made):
    from docx import Document

    doc = Document(str(made))
    first, appendix = doc.sections
    def mm(x):
        return round(x.mm)

    assert (mm(first.page_width), mm(first.page_height)) == (210, 297)
    assert (mm(first.left_margin), mm(first.right_margin), mm(first.top_margin)) == (30, 15, 20)
    assert first.different_first_page_header_footer  # no number on page 1
    assert "PAGE" in first.header._element.xml
    assert mm(appendix.page_width) == 297  # Biểu 06 in landscape
    assert doc.styles["Normal"].font.name == "Times New Roman"
    assert doc.styles["Normal"].font.size.pt == 14


@pytest.mark.parametrize("label,words", [
    ("2024-Q1", "quý I năm 2024"), ("2024-Q4", "quý IV năm 2024"), ("2024-H2", "6 tháng cuối năm 2024"),
    ("2024-03", "tháng 3 năm 2024"), ("2024", "năm 2024"),
])
def test_the_period_in_the_abstract(label, words):
    assert document.period_words(parse_period(label)) == words


@pytest.mark.parametrize("day,line", [
    (dt.date(2024, 4, 5), "Đắk Rơ Va, ngày 05 tháng 4 năm 2024"),
    (dt.date(2024, 1, 15), "Đắk Rơ Va, ngày 15 tháng 01 năm 2024"),   # months 1 and 2 with a zero
    (dt.date(2024, 12, 31), "Đắk Rơ Va, ngày 31 tháng 12 năm 2024"),
])
def test_the_date_line(day, line):
    assert document.date_line("Đắk Rơ Va", day) == line


def test_the_issuer_is_written_in_full():
    assert document.issuer_line("UBND xã Đắk Rơ Va") == "ỦY BAN NHÂN DÂN XÃ ĐẮK RƠ VA"
    assert document.issuer_line("Ủy ban nhân dân huyện Kon Rẫy") == "ỦY BAN NHÂN DÂN HUYỆN KON RẪY"


def test_the_recipients_come_from_the_plan(tmp_path, invoke):
    from docx import Document

    plan = tmp_path / "ke-hoach.yaml"
    text = (ROOT / "targets" / "dak-to-re-2024.yaml").read_text(encoding="utf-8")
    plan.write_text(text.replace("  feedback_deadline_days: 15\n", "  feedback_deadline_days: 15\n  recipients: "
                                 "[UBND huyện Kon Rẫy (b/c), Văn phòng HĐND và UBND huyện, Đảng ủy xã]\n"),
                    encoding="utf-8")
    out = tmp_path / "bc.docx"
    res = invoke("report", SAMPLE, "--period", "2024-Q1", "--targets", plan, "-o", out)
    assert res.exit_code in (0, 1), res.output
    texts = _texts(Document(str(out)))
    i = texts.index("Nơi nhận:")
    assert texts[i + 1:i + 5] == ["- UBND huyện Kon Rẫy (b/c);", "- Văn phòng HĐND và UBND huyện;", "- Đảng ủy xã;",
                                  "- Lưu: VT."]


@pytest.mark.parametrize(("given", "lines"), [
    (["Lưu: VT, VP-TK."], ["- Lưu: VT, VP-TK."]),
    (["UBND huyện (b/c)", "- Đảng ủy xã;", "Lưu: VT, VP."], ["- UBND huyện (b/c);", "- Đảng ủy xã;", "- Lưu: VT, VP."]),
    (["Lưu: VT", "UBND huyện (b/c)."], ["- UBND huyện (b/c);", "- Lưu: VT."]),
    (["UBND huyện (b/c)", "  "], ["- UBND huyện (b/c);", "- Lưu: VT."]),
    (["— UBND huyện (b/c)", "+ Ông Lưu Văn Nam"], ["- UBND huyện (b/c);", "- Ông Lưu Văn Nam;", "- Lưu: VT."]),
    (None, ["- UBND huyện Kon Rẫy (b/c);", "- Chủ tịch, các Phó Chủ tịch UBND;", "- Lưu: VT."]),
])
def test_the_recipients_are_written_as_the_decree_writes_them(given, lines):
    """A plan's own "Lưu: …" line came out as "- Lưu: VT, VP-TK.;" followed by a second "- Lưu: VT."."""
    assert document.recipient_lines(given, "UBND huyện Kon Rẫy") == lines


@pytest.mark.parametrize(("number", "date", "said"), [
    (None, None, "Kế hoạch cải cách thủ tục hành chính, kiểm soát thủ tục hành chính trọng tâm năm 2024"),
    ("12/KH-UBND", "2024-02-05", "Kế hoạch số 12/KH-UBND ngày 05/02/2024 của Ủy ban nhân dân xã Đắk Tô Re về cải cách "
                                 "thủ tục hành chính, kiểm soát thủ tục hành chính trọng tâm năm 2024"),
    ("12/KH-UBND", None, "Kế hoạch số 12/KH-UBND của Ủy ban nhân dân xã Đắk Tô Re về cải cách thủ tục hành chính, "
                         "kiểm soát thủ tục hành chính trọng tâm năm 2024"),
    ("Số 12/KH-UBND", None, "Kế hoạch số 12/KH-UBND của Ủy ban nhân dân xã Đắk Tô Re về cải cách thủ tục hành "
                            "chính, kiểm soát thủ tục hành chính trọng tâm năm 2024"),
])
def test_the_report_cites_the_plan_by_its_number_and_date(tmp_path, invoke, number, date, said):
    from docx import Document

    plan = tmp_path / "ke-hoach.yaml"
    text = (ROOT / "targets" / "dak-to-re-2024.yaml").read_text(encoding="utf-8")
    extra = (f"  number: {number}\n" if number else "") + (f"  date: {date}\n" if date else "")
    plan.write_text(text.replace("  feedback_deadline_days: 15\n", "  feedback_deadline_days: 15\n" + extra),
                    encoding="utf-8")
    out = tmp_path / "bc.docx"
    res = invoke("report", SAMPLE, "--period", "2024-Q1", "--targets", plan, "-o", out)
    assert res.exit_code in (0, 1), res.output
    opening = next(t for t in _texts(Document(str(out))) if t.startswith("Thực hiện "))
    assert opening.startswith(f"Thực hiện {said}, ")


def test_a_report_of_another_suffix_is_refused(invoke, tmp_path):
    res = invoke("report", SAMPLE, "--period", "2024-Q1", "-o", tmp_path / "bc.pdf")
    assert res.exit_code == 2
    assert res.stderr.strip() == (f"Lỗi: {tmp_path / 'bc.pdf'}: báo cáo phải có đuôi .xlsx (bảng tính) hoặc .docx "
                                  "(văn bản báo cáo)")


@pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("pdftotext") is None or not WRITER.exists(),
                    reason="LibreOffice Writer and poppler are not installed (Debian: apt-get install "
                           "libreoffice-writer-nogui poppler-utils)")
def test_the_document_prints_in_two_to_five_pages(made, tmp_path):
    run = subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(made)],
                         capture_output=True, text=True, timeout=180)
    pdf = tmp_path / (made.stem + ".pdf")
    assert pdf.exists(), run.stderr
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    pages = int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))
    assert 2 <= pages <= 5
    texts = [subprocess.run(["pdftotext", "-layout", "-f", str(n), "-l", str(n), str(pdf), "-"], capture_output=True,
                            text=True, check=True).stdout for n in range(1, pages + 1)]
    first = " ".join(texts[0].split())
    for part in ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Số: /BC-UBND", "BÁO CÁO", "quý I năm 2024"):
        assert part in first, part
    assert texts[1].strip().splitlines()[0].strip() == "2"  # numbered from page 2, at the top
    whole = " ".join(" ".join(texts).split())
    assert "Nơi nhận:" in whole and "TM. ỦY BAN NHÂN DÂN" in whole and "CHỦ TỊCH" in whole
    assert "Biểu số 06/VPCP/KSTT" in " ".join(texts[-1].split())  # the appendix, on its own page


def test_the_sample_plans_figures_say_so_in_the_document(tmp_path, invoke):
    from docx import Document

    log = tmp_path / "so.csv"
    log.write_text("Mã hồ sơ,Ngày tiếp nhận,Ngày hẹn trả,Trạng thái\nX1,04/03/2024,08/03/2024,Đang xử lý\n",
                   encoding="utf-8")
    out = tmp_path / "bc.docx"
    res = invoke("report", log, "--period", "2024-03", "-o", out)
    assert res.exit_code in (0, 1), res.output
    texts = _texts(Document(str(out)))
    assert any("KẾ HOẠCH MẪU" in t for t in texts)


@pytest.mark.parametrize("tracked", [False, True])
def test_a_task_past_its_deadline_is_said_overdue_only_when_the_office_says_it_is_not_done(tmp_path, invoke, tracked):
    """Without the office's status file the báo cáo said "Nhiệm vụ Phụ lục II số 1 … quá hạn 41
    ngày" of a task the plan itself records as done: whether it is done is the office's to say."""
    from docx import Document

    out = tmp_path / "bc.docx"
    args = ["report", SAMPLE, "--period", "2024-Q1", "--date", "05/04/2024", "-o", out]
    if tracked:
        status = tmp_path / "nhiem-vu.yaml"
        status.write_text('"1": {status: đang làm}\n"2": {status: xong, done: 2024-02-28}\n', encoding="utf-8")
        args += ["--tasks", status]
    res = invoke(*args)
    assert res.exit_code in (0, 1), res.output
    texts = _texts(Document(str(out)))
    said = [t for t in texts if t.startswith("- Nhiệm vụ Phụ lục II số 1:")]
    review = [t for t in texts if t.startswith("- Rà soát, cập nhật kết quả thực hiện các nhiệm vụ Phụ lục II")]
    if tracked:
        assert len(said) == 1 and "quá hạn" in said[0] and "(đang làm)" in said[0] and not review
    else:
        assert not said and not any("quá hạn" in t and "Phụ lục II" in t for t in texts)
        assert review == ["- Rà soát, cập nhật kết quả thực hiện các nhiệm vụ Phụ lục II đã đến hạn (số 1, 2)."]
