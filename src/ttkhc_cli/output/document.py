"""The báo cáo as the office sends it: a Word document laid out as Nghị định 30/2020/NĐ-CP,
Phụ lục I prescribes for an administrative text, drafted from the report's figures.

A4 portrait, Times New Roman 14 pt (13 pt for the number line, 12 and 11 pt for "Nơi nhận"),
the decree's margins (top and bottom 20 mm, left 30 mm, right 15 mm), the page number centred
at the top from page 2. The head: the issuing unit at top left with the number line under it,
the national motto at top right with the place and date; "BÁO CÁO" and its abstract; the body
in four parts (results per indicator, the dossiers received and resolved, shortcomings and
their causes, the next period's tasks); "Nơi nhận" and "TM. ỦY BAN NHÂN DÂN / CHỦ TỊCH" with
room to sign. Biểu 06 follows as an appendix in a landscape section. Every sentence is plain
text in Word: the office finishes the draft, numbers and signs it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ttkhc_cli.domain import labels, units
from ttkhc_cli.domain.periods import Period
from ttkhc_cli.kpi.report_data import FORM06_COLUMNS, ReportData
from ttkhc_cli.kpi.results import FAIL, NO_DATA, PASS
from ttkhc_cli.output.files import atomic_output

FONT = "Times New Roman"
MOTTO = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc")
ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


def write(data: ReportData, path: str | Path, inputs: Sequence[str | Path] = (), day: dt.date | None = None) -> None:
    """Write the document through ``atomic_output``: whole, or not at all."""
    from docx import Document

    doc = Document()
    _styles(doc)
    _page(doc.sections[0], landscape=False)
    _head(doc, data, day or dt.date.today())
    _body(doc, data)
    _close(doc, data)
    _appendix(doc, data)
    with atomic_output(path, inputs) as tmp:
        doc.save(str(tmp))


# ------------------------------------------------------------------ layout

def _styles(doc: Any) -> None:
    from docx.oxml.ns import qn
    from docx.shared import Pt

    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(14)
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)  # Vietnamese letters in the same face
    fmt = normal.paragraph_format
    fmt.space_before, fmt.space_after, fmt.line_spacing = Pt(0), Pt(6), 1.1


def _page(section: Any, landscape: bool) -> None:
    """A4, the decree's margins (turned with the page for a landscape appendix), the page number
    at the top centre, not on the first page of the document."""
    from docx.enum.section import WD_ORIENT
    from docx.shared import Mm

    long, short = Mm(297), Mm(210)
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (long, short) if landscape else (short, long)
    if landscape:
        section.top_margin, section.bottom_margin = Mm(30), Mm(15)
        section.left_margin, section.right_margin = Mm(20), Mm(20)
    else:
        section.top_margin, section.bottom_margin = Mm(20), Mm(20)
        section.left_margin, section.right_margin = Mm(30), Mm(15)
    section.header_distance = Mm(10)
    section.different_first_page_header_footer = not landscape
    header = section.header
    header.is_linked_to_previous = False
    par = header.paragraphs[0]
    par.alignment = 1  # centred
    _page_field(par)


def _page_field(par: Any) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    def element(tag: str, text: str | None = None, **attrs: str) -> Any:
        el = OxmlElement(tag)
        for name, value in attrs.items():
            el.set(qn(name), value)
        el.text = text
        return el

    run = par.add_run()
    run.font.size = Pt(13)
    # A PAGE field: Word and LibreOffice put the page's number in place of the "2" shown until then.
    run._r.append(element("w:fldChar", **{"w:fldCharType": "begin"}))
    run._r.append(element("w:instrText", "PAGE", **{"xml:space": "preserve"}))
    run._r.append(element("w:fldChar", **{"w:fldCharType": "separate"}))
    run._r.append(element("w:t", "2"))
    run._r.append(element("w:fldChar", **{"w:fldCharType": "end"}))


def _para(doc_or_cell: Any, text: str = "", size: float | None = None, bold: bool = False, italic: bool = False,
          align: int | None = None, indent: bool = False, after: float | None = None, underline: bool = False) -> Any:
    from docx.shared import Cm, Pt

    par = doc_or_cell.add_paragraph()
    if text:
        run = par.add_run(xml_text(text))
        run.bold, run.italic, run.underline = bold, italic, underline
        if size is not None:
            run.font.size = Pt(size)
    if align is not None:
        par.alignment = align
    if indent:
        par.paragraph_format.first_line_indent = Cm(1)
        par.alignment = 3  # justified
    if after is not None:
        par.paragraph_format.space_after = Pt(after)
    return par


_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def xml_text(text: str) -> str:
    """Text a Word document can carry: the control characters XML forbids (a log's cell may hold
    an escape sequence) are left out."""
    return _NOT_XML.sub("", text)


def _widths(table: Any, widths: Sequence[Any]) -> None:
    """Fixed column widths (Word and LibreOffice read the grid; each cell says its width too)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    table.autofit = False
    props = table._tbl.tblPr
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    props.append(layout)
    grid = table._tbl.tblGrid
    for col, w in zip(grid.findall(qn("w:gridCol")), widths):
        col.set(qn("w:w"), str(int(w.twips if hasattr(w, "twips") else w / 635)))
    for row in table.rows:
        for cell, w in zip(row.cells, widths):
            cell.width = w


def _no_borders(table: Any) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    props = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:val"), "nil")
        borders.append(el)
    props.append(borders)


def _cell_text(cell: Any, text: str, size: float, bold: bool = False, italic: bool = False, align: int = 1,
               underline: bool = False) -> Any:
    from docx.shared import Pt

    par = cell.paragraphs[0] if not cell.paragraphs[0].text else cell.add_paragraph()
    run = par.add_run(xml_text(text))
    run.bold, run.italic, run.underline = bold, italic, underline
    run.font.size = Pt(size)
    par.alignment = align
    par.paragraph_format.space_after = Pt(0)
    return par


# ------------------------------------------------------------------ the head

def issuer_line(unit: str) -> str:
    """The issuing unit as the decree's head writes it: "ỦY BAN NHÂN DÂN XÃ ĐẮK TÔ RE"."""
    name = unit.strip()
    folded = units.fold(name)
    if folded.startswith("ubnd "):
        name = "Ủy ban nhân dân " + name[5:].strip()
    return name.upper()


def date_line(place: str | None, day: dt.date) -> str:
    """"Đắk Tô Re, ngày 05 tháng 4 năm 2024": a day below 10 and the months 1 and 2 with a zero."""
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    return f"{place or '……'}, ngày {day.day:02d} tháng {month} năm {day.year}"


def abstract(period: Period) -> str:
    return ("Kết quả thực hiện công tác cải cách thủ tục hành chính, kiểm soát thủ tục hành chính "
            + period_words(period))


def period_words(period: Period) -> str:
    """The period as a title says it: "quý I năm 2024", "tháng 3 năm 2024", "6 tháng đầu năm 2024"."""
    label = period.label
    start, end = period.start, period.end
    if "-Q" in label:
        return f"quý {ROMAN[int(label[-1])]} năm {label[:4]}"
    if "-H" in label:
        return f"6 tháng {'đầu' if label.endswith('1') else 'cuối'} năm {label[:4]}"
    if len(label) == 7 and label[4] == "-":
        return f"tháng {int(label[5:])} năm {label[:4]}"
    if len(label) == 4 and label.isdigit():
        return f"năm {label}"
    return f"từ ngày {start:%d/%m/%Y} đến ngày {end:%d/%m/%Y}"


def _head(doc: Any, data: ReportData, day: dt.date) -> None:
    from docx.shared import Mm

    table = doc.add_table(rows=1, cols=2)
    _no_borders(table)
    _widths(table, [Mm(65), Mm(100)])
    left, right = table.rows[0].cells
    # Nghị định 30/2020: a People's Committee names no governing body above it in the head (the
    # district goes to "Nơi nhận"); Biểu 06, a statistics form, keeps it.
    # "ỦY BAN NHÂN DÂN" on a line, the unit's own name under it: never broken inside the name
    issuer = issuer_line(data.unit)
    _cell_text(left, issuer.replace("ỦY BAN NHÂN DÂN ", "ỦY BAN NHÂN DÂN\n", 1), 12, bold=True)
    _cell_text(left, "———", 13, align=1)
    _cell_text(left, "Số:        /BC-UBND", 13)
    _cell_text(right, MOTTO[0], 12, bold=True)
    _cell_text(right, MOTTO[1], 13, bold=True)
    _cell_text(right, "———————————", 13)
    _cell_text(right, date_line(data.place, day), 14, italic=True)
    _para(doc, after=6)
    _para(doc, "BÁO CÁO", 14, bold=True, align=1, after=0)
    _para(doc, abstract(data.period), 14, bold=True, align=1, after=0)
    _para(doc, "—————", 14, align=1, after=12)
    if data.warning:  # the sample plan's figures for a log that names no unit: never to be sent
        from docx.shared import RGBColor

        par = _para(doc, data.warning, 13, bold=True, align=1, after=12)
        par.runs[0].font.color.rgb = RGBColor(0xC0, 0x00, 0x00)


# ------------------------------------------------------------------ the body

def _figure(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}".replace(".", ",") + "%"


def _body(doc: Any, data: ReportData) -> None:
    inds = data.result.indicators
    period = period_words(data.period)
    source = data.plan_reference or data.plan_title
    _para(doc, f"Thực hiện {source}, {data.unit} báo cáo kết quả thực hiện {period} như sau:", indent=True)

    _para(doc, "I. KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU", bold=True, after=6)
    counted = [i for i in inds if i.status in (PASS, FAIL)]
    met = [i for i in counted if i.status == PASS]
    missing = [i for i in inds if i.status == NO_DATA]
    said = f"Trong kỳ, {len(met)}/{len(counted)} chỉ tiêu có số liệu đạt chỉ tiêu giao"
    said += f"; {len(missing)} chỉ tiêu chưa có số liệu" if missing else ""
    _para(doc, said + " (chi tiết tại bảng dưới đây).", indent=True)
    _indicator_table(doc, data)
    for i in inds:
        if i.status != FAIL:
            continue
        gap = f"; {i.gap.text}" if i.gap else ""
        _para(doc, f"- Chỉ tiêu {i.id} ({i.name.rstrip('.')}): đạt {_figure(i.value)} "
                   f"({labels.ratio(i.numerator, i.denominator)}), chưa đạt chỉ tiêu giao "
                   f"{labels.target(i.target)}{gap}.", indent=True)

    _para(doc, "II. TÌNH HÌNH TIẾP NHẬN, GIẢI QUYẾT HỒ SƠ THỦ TỤC HÀNH CHÍNH", bold=True, after=6)
    for line in form06_sentences(data):
        _para(doc, line, indent=True)

    _para(doc, "III. TỒN TẠI, HẠN CHẾ VÀ NGUYÊN NHÂN", bold=True, after=6)
    for line in shortcomings(data):
        _para(doc, line, indent=True)

    _para(doc, "IV. NHIỆM VỤ TRỌNG TÂM KỲ TỚI", bold=True, after=6)
    for line in next_tasks(data):
        _para(doc, line, indent=True)
    _para(doc, f"Trên đây là báo cáo kết quả thực hiện công tác cải cách thủ tục hành chính, kiểm soát thủ tục "
               f"hành chính {period} của {data.unit}./.", indent=True, after=12)


def _indicator_table(doc: Any, data: ReportData) -> None:
    from docx.shared import Mm

    rows = list(data.result.indicators)
    table = doc.add_table(rows=1 + len(rows), cols=5)
    table.style = "Table Grid"
    widths = [Mm(12), Mm(83), Mm(24), Mm(22), Mm(24)]
    for c, head in enumerate(["Mã", "Chỉ tiêu", "Chỉ tiêu giao", "Kết quả", "Đánh giá"]):
        _cell_text(table.rows[0].cells[c], head, 12, bold=True)
    for r, i in enumerate(rows, start=1):
        cells = table.rows[r].cells
        values = [i.id, i.short, labels.target(i.target), _figure(i.value), labels.STATUS[i.status].capitalize()]
        for c, v in enumerate(values):
            _cell_text(cells[c], v, 12, align=0 if c == 1 else 1)
    _widths(table, widths)
    _para(doc, after=0)


def form06_sentences(data: ReportData) -> list[str]:
    """Biểu 06's totals in words."""
    t = data.form06[-1]  # Biểu 06's total row
    received, online, direct, carried = t[2], t[3], t[4], t[5]
    resolved, early, on_time, late = t[6], t[7], t[8], t[9]
    pending, in_time, overdue = t[10], t[11], t[12]
    c = labels.count
    out = [f"Tổng số hồ sơ tiếp nhận, giải quyết trong kỳ: {c(received)} hồ sơ (tiếp nhận trực tuyến {c(online)}, "
           f"trực tiếp và qua dịch vụ bưu chính {c(direct)}, từ kỳ trước chuyển sang {c(carried)})."]
    rate = f"; tỷ lệ giải quyết trước hạn, đúng hạn {_figure(round((early + on_time) * 100 / resolved, 2))}" \
        if resolved else ""
    out.append(f"Số hồ sơ đã giải quyết: {c(resolved)} hồ sơ (trước hạn {c(early)}, đúng hạn {c(on_time)}, quá hạn "
               f"{c(late)}){rate}.")
    out.append(f"Số hồ sơ đang giải quyết: {c(pending)} hồ sơ (trong hạn {c(in_time)}, quá hạn {c(overdue)}).")
    if data.form06_note:
        out.append(data.form06_note[:1].upper() + data.form06_note[1:] + ".")
    out.append("Chi tiết theo từng lĩnh vực tại Biểu số 06/VPCP/KSTT kèm theo.")
    return out


def shortcomings(data: ReportData) -> list[str]:
    """What the figures say went short: the indicators not met, the late dossiers and their
    reasons, the data problems; the causes the log records."""
    out = []
    failing = [i for i in data.result.indicators if i.status == FAIL]
    if failing:
        out.append("- Còn " + str(len(failing)) + " chỉ tiêu chưa đạt: "
                   + "; ".join(f"{i.id} {i.short} ({_figure(i.value)}, chỉ tiêu giao {labels.target(i.target)})"
                               for i in failing) + ".")
    late = data.late
    if len(late):
        out.append(f"- Có {labels.count(len(late))} hồ sơ giải quyết quá hạn hoặc đang quá hạn tại ngày "
                   f"{data.as_of:%d/%m/%Y}.")
        if "Lý do quá hạn" in late:
            given = late["Lý do quá hạn"].astype(object)  # a categorical under older pandas
            reasons = given.where(given.notna(), "không ghi lý do").value_counts()
            out.append("- Nguyên nhân quá hạn theo sổ theo dõi: " + "; ".join(
                f"{str(reason).rstrip('.').lower()} ({labels.count(int(n))} hồ sơ)" for reason, n in reasons.items())
                + ".")
        if "Phiếu xin lỗi" in late:
            # only those the log says have none: a log without the column says nothing either way
            without = int((late["Phiếu xin lỗi"].astype(object) == "Chưa").sum())
            if without:
                out.append(f"- {labels.count(without)} hồ sơ quá hạn chưa có phiếu xin lỗi người dân.")
    errors = sum(1 for f in data.findings if f.severity == "error")
    if errors:
        out.append(f"- Sổ theo dõi hồ sơ còn {labels.count(errors)} lỗi dữ liệu cần rà soát, chỉnh sửa trên hệ thống.")
    missing = [i for i in data.result.indicators if i.status == NO_DATA]
    if missing:
        out.append("- Chưa có số liệu để đánh giá: " + "; ".join(f"{i.id} {i.short}" for i in missing) + ".")
    if not out:
        out.append("- Các chỉ tiêu có số liệu đều đạt; không có hồ sơ quá hạn trong kỳ.")
    return out


def next_tasks(data: ReportData) -> list[str]:
    """What the next period must do: close each gap, keep the pace to year end, the Appendix II
    tasks falling due and the next report."""
    out = []
    by_id = {p.id: p for p in data.projection or []}
    for i in data.result.indicators:
        if i.status == FAIL and i.gap:
            pace = by_id.get(i.id)
            more = ""
            if pace is not None and pace.needed is not None and pace.reachable:
                more = f"; để đạt cả năm, từ nay cần khoảng {pace.needed:.1f}".replace(".", ",") + "%"
            elif pace is not None and not pace.reachable:
                more = "; chỉ tiêu không còn đạt được cả năm, cần báo cáo rõ nguyên nhân"
            out.append(f"- Chỉ tiêu {i.id} {i.short}: {i.gap.text}{more}.")
    if len(data.late):
        out.append("- Đôn đốc giải quyết dứt điểm các hồ sơ đang quá hạn; thực hiện xin lỗi người dân đối với hồ sơ "
                   "giải quyết quá hạn theo quy định.")
    if data.tasks is not None:
        known = data.tasks.tracked
        due = [r for r in data.tasks.tasks
               if r.standing in ("due_soon", "upcoming") or (known and r.standing == "overdue")]
        for r in due[:6]:
            out.append(f"- Nhiệm vụ Phụ lục II số {r.id}: {r.content.rstrip('.')}; {r.text}.")
        past = [r.id for r in data.tasks.tasks if r.standing == "overdue"]
        if past and not known:  # no status file: whether they are done is the office's to say
            out.append(f"- Rà soát, cập nhật kết quả thực hiện các nhiệm vụ Phụ lục II đã đến hạn "
                       f"(số {', '.join(past)}).")
        from ttkhc_cli.kpi.tasks import next_duties

        duties = next_duties(data.tasks)
        if duties:
            out.append(f"- {duties[0].text[:1].upper()}{duties[0].text[1:]}.")
    if not out:
        out.append("- Duy trì kết quả các chỉ tiêu đã đạt.")
    return out


# ------------------------------------------------------------------ the close and the appendix

def recipients(data: ReportData) -> list[str]:
    return recipient_lines(data.recipients, data.superior)


_ARCHIVE = re.compile(r"^lưu\s*:", re.I)  # "Lưu: VT, VP-TK" (not "Lưu Văn Nam", a person)


def recipient_lines(given: list[str] | None, above: str | None) -> list[str]:
    """"Nơi nhận": the plan's list, else the body above the unit and its office, and the file
    ("Lưu: VT." unless the plan says where it is kept). Each line as the decree writes it,
    whatever dash or stop the plan typed: "- …;", the last "- Lưu: ….". """
    named = [n.strip().lstrip("-–—•+* ").rstrip(" ;,.").strip() for n in given or []]
    named = [n for n in named if n]
    if not named:
        named = [f"{above} (b/c)"] if above else ["Cơ quan cấp trên (b/c)"]
        named.append("Chủ tịch, các Phó Chủ tịch UBND")
    kept = [n for n in named if _ARCHIVE.match(n)] or ["Lưu: VT"]
    lines = [n for n in named if n not in kept] + kept
    return [f"- {n};" for n in lines[:-1]] + [f"- {lines[-1]}."]


def _close(doc: Any, data: ReportData) -> None:
    from docx.shared import Mm

    table = doc.add_table(rows=1, cols=2)
    _no_borders(table)
    _widths(table, [Mm(80), Mm(85)])
    left, right = table.rows[0].cells
    _cell_text(left, "Nơi nhận:", 12, bold=True, italic=True, align=0)
    for line in recipients(data):
        _cell_text(left, line, 11, align=0)
    _cell_text(right, "TM. ỦY BAN NHÂN DÂN", 14, bold=True)
    _cell_text(right, "CHỦ TỊCH", 14, bold=True)
    for _ in range(4):
        _cell_text(right, "", 14)
    _cell_text(right, "……………………………", 14, bold=True)


def _appendix(doc: Any, data: ReportData) -> None:
    """Biểu 06 in a landscape section of its own."""
    from docx.enum.section import WD_SECTION
    from docx.shared import Mm

    section = doc.add_section(WD_SECTION.NEW_PAGE)
    _page(section, landscape=True)
    _para(doc, "Biểu số 06/VPCP/KSTT", 12, bold=True, align=2, after=0)
    _para(doc, f"TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH TẠI {data.unit.upper()}", 13, bold=True, align=1,
          after=0)
    p = data.period
    _para(doc, f"Kỳ báo cáo: {period_words(p)} (từ ngày {p.start:%d/%m/%Y} đến ngày {p.end:%d/%m/%Y})", 13,
          italic=True, align=1, after=0)
    _para(doc, f"(Kèm theo Báo cáo số      /BC-UBND của {data.unit})", 12, italic=True, align=1, after=0)
    _para(doc, "Đơn vị tính: số hồ sơ TTHC", 11, italic=True, align=2, after=2)
    rows = data.form06
    table = doc.add_table(rows=3 + len(rows), cols=13)
    table.style = "Table Grid"
    head = table.rows[0].cells
    top = [(0, 0, "STT"), (1, 1, "Lĩnh vực, công việc giải quyết theo cấp"), (2, 5, "Số hồ sơ nhận giải quyết"),
           (6, 9, "Số hồ sơ đã giải quyết"), (10, 12, "Số hồ sơ đang giải quyết")]
    for first, last, text in top:
        cell = head[first].merge(head[last]) if last > first else head[first]
        _cell_text(cell, text, 10, bold=True)
    second = table.rows[1].cells
    for c, text in enumerate(FORM06_COLUMNS):
        if c >= 2:
            _cell_text(second[c], text, 10, bold=True)
    for c in (0, 1):  # STT and the sector span the two header rows
        merged = table.rows[0].cells[c].merge(table.rows[1].cells[c])
        for extra in merged.paragraphs[1:]:
            if not extra.text:
                extra._element.getparent().remove(extra._element)
    numbers = table.rows[2].cells
    for c in range(13):
        _cell_text(numbers[c], f"({c + 1})", 10, italic=True)
    for r, row in enumerate(rows, start=3):
        total = row[1] == "Tổng cộng"
        for c, v in enumerate(row):
            text = "" if v is None else (labels.count(v) if isinstance(v, int) else str(v))
            _cell_text(table.rows[r].cells[c], text, 10, bold=total, align=0 if c == 1 else 1)
    _widths(table, [Mm(12), Mm(64)] + [Mm(16.5)] * 11)
