"""Officers' worklists as files: one CSV (an officer column), a workbook with a sheet per officer,
a folder with a CSV per officer and their chat messages, or the messages as text."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from ttkhc_cli.domain.folding import fold
from ttkhc_cli.kpi.worklist import KIND_WORDS, OfficerList, Worklist
from ttkhc_cli.output.files import atomic_output, write_atomic
from ttkhc_cli.output.formats import to_csv as csv_text

HEADER = ["Cán bộ", "Bộ phận", "Việc", "Mã hồ sơ", "Thủ tục", "Ngày tiếp nhận", "Ngày hẹn trả", "Chỉ tiêu",
          "Cần có", "Tệp", "Trang tính", "Dòng"]


def _rows(o: OfficerList) -> list[list[object]]:
    return [[o.officer, o.department, KIND_WORDS[it.kind], it.id, it.procedure,
             f"{it.received_at:%d/%m/%Y %H:%M}" if it.received_at else None,
             f"{it.due_at:%d/%m/%Y %H:%M}" if it.due_at else None, it.indicator, it.lacks, it.file, it.sheet, it.row]
            for it in o.items]


def to_csv(result: Worklist) -> str:
    return csv_text(HEADER, [r for o in result.officers for r in _rows(o)])


def to_text(result: Worklist) -> str:
    """The chat messages, one paragraph per officer."""
    head = f"Việc cần làm tính đến ngày {result.as_of:%d/%m/%Y}" + (f" · {result.unit}" if result.unit else "")
    return "\n\n".join([head, *(o.message for o in result.officers), *result.notes]) + "\n"


def _slug(name: str) -> str:
    return re.sub(r"[^0-9a-z]+", "-", fold(name)).strip("-") or "khong-ghi-can-bo"


def write_folder(result: Worklist, folder: Path, inputs: Sequence[str | Path] = ()) -> int:
    """A CSV per officer and the messages (tin-nhan.txt) in ``folder``; how many files."""
    folder.mkdir(parents=True, exist_ok=True)
    names: set[str] = set()
    for o in result.officers:
        slug = _slug(o.officer)
        while slug in names:
            slug += "-2"
        names.add(slug)
        write_atomic(folder / f"{slug}.csv", "\ufeff" + csv_text(HEADER, _rows(o)), inputs)
    write_atomic(folder / "tin-nhan.txt", to_text(result), inputs)
    return len(result.officers) + 1


def write_workbook(result: Worklist, path: Path, inputs: Sequence[str | Path] = ()) -> None:
    """A sheet per officer (Excel's 31-character names, unique), then a sheet of the messages."""
    import xlsxwriter

    with atomic_output(path, inputs) as tmp:
        wb = xlsxwriter.Workbook(str(tmp), {"strings_to_formulas": False, "strings_to_urls": False})
        head = wb.add_format({"bold": True, "text_wrap": True, "border": 1, "bg_color": "#E7EEF7"})
        cell = wb.add_format({"text_wrap": True, "valign": "top", "border": 1})
        said = wb.add_format({"text_wrap": True, "italic": True, "valign": "top"})
        plain = wb.add_format({"text_wrap": True, "valign": "top"})
        used: set[str] = set()
        for o in result.officers:
            name = re.sub(r"[\[\]:*?/\\]", " ", o.officer)[:28].strip() or "Cán bộ"
            base, n = name, 2
            while name.lower() in used:
                name, n = f"{base[:26]} {n}", n + 1
            used.add(name.lower())
            ws = wb.add_worksheet(name)
            ws.set_row(0, 15 * max(2, len(o.message) // 150 + 1))
            ws.merge_range(0, 0, 0, len(HEADER) - 1, o.message, said)
            for c, h in enumerate(HEADER):
                ws.write(2, c, h, head)
            for r, values in enumerate(_rows(o), start=3):
                for c, v in enumerate(values):
                    ws.write(r, c, v, cell)
            for c, width in enumerate([18, 16, 18, 24, 30, 14, 14, 20, 24, 16, 12, 6]):
                ws.set_column(c, c, width)
            ws.freeze_panes(3, 0)
        ws = wb.add_worksheet("Tin nhắn")
        ws.set_column(0, 0, 120)
        for r, text in enumerate(to_text(result).split("\n\n")):
            ws.write(r, 0, text.strip(), plain)
        wb.close()
