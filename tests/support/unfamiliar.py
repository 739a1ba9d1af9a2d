"""The thirty dossiers of ``exports`` in layouts no reference lists, built from words and roles.

A layout is a list of columns, each a header (a label, or a (group, label) pair for a two-row
header) and the kind of cell it holds; ``write`` puts it in an .xlsx or .csv with an optional
banner above and footer rows below (signature blocks, totals, notes), as offices' files have.
The answers are those of ``exports``: IV.1 is 22/26 wherever the outcome can be read, I.2 is
15/30 where the channel can (D26, refused, is in every population here: no layout says "never
received").
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Callable, Sequence
from pathlib import Path

from exports import DOSSIERS, Dossier

Header = str | tuple[str, str]
Column = tuple[Header, str]


def _dmy(d: dt.datetime | None, fmt: str = "%d/%m/%Y %H:%M") -> str:
    return "" if d is None else d.strftime(fmt)


def _us(d: dt.datetime | None) -> str:
    """Excel under US regional settings: month first, no leading zeros, 24-hour time."""
    return "" if d is None else f"{d.month}/{d.day}/{d.year} {d.hour}:{d.minute:02d}"


def _us12(d: dt.datetime | None) -> str:
    """The same with a 12-hour clock and seconds: "01/13/2024 05:00:00 PM"."""
    return "" if d is None else d.strftime("%m/%d/%Y %I:%M:%S %p")


def _status(d: Dossier) -> str:
    if d.outcome in ("early", "on_time", "late"):
        return "Đã trả kết quả" if d.returned else "Đã giải quyết xong"
    return {"withdrawn": "Đã rút hồ sơ", "rejected": "Từ chối giải quyết",
            "supplement": "Chờ bổ sung hồ sơ"}.get(d.outcome, "Đang giải quyết")


def _late_days(d: Dossier) -> int | str:
    if d.ended is None:
        return ""
    return 2 if d.outcome == "late" else 0


def _signed_days(d: Dossier) -> int | str:
    if d.ended is None:
        return ""
    return {"late": 2, "on_time": 0}.get(d.outcome, -2)


def _only(outcome: str | tuple[str, ...], when: Callable[[Dossier], dt.datetime | None]) -> Callable[[Dossier], str]:
    wanted = (outcome,) if isinstance(outcome, str) else outcome
    return lambda d: _dmy(when(d)) if d.outcome in wanted else ""


DONE = ("early", "on_time", "late")
CELLS: dict[str, Callable[[Dossier], object]] = {
    "n": lambda d: d.n,
    "code": lambda d: d.code,
    "procedure": lambda d: d.procedure,
    "applicant": lambda d: d.applicant,
    "received": lambda d: _dmy(d.received),
    "received_day": lambda d: _dmy(d.received, "%d/%m/%Y"),
    "received_hour": lambda d: _dmy(d.received, "%H:%M"),
    "due": lambda d: _dmy(d.due),
    "due_day": lambda d: _dmy(d.due, "%d/%m/%Y"),
    "due_hour": lambda d: _dmy(d.due, "%H:%M"),
    "ended": lambda d: _dmy(d.ended),
    "ended_day": lambda d: _dmy(d.ended, "%d/%m/%Y"),
    "ended_hour": lambda d: _dmy(d.ended, "%H:%M"),
    # D16 and D17 finish at 17:30 on the due day: late against a 17:00 appointment.
    "ended_hour_evening": lambda d: "17:30" if d.n in (16, 17) else _dmy(d.ended, "%H:%M"),
    "completed": _only(DONE, lambda d: d.completed),
    "returned": lambda d: _dmy(d.returned),
    "withdrawn": _only("withdrawn", lambda d: d.ended),
    "rejected": _only("rejected", lambda d: d.ended),
    "status": _status,
    "online": lambda d: "Trực tuyến" if d.online else ("Bưu chính" if d.postal else "Trực tiếp"),
    "post_state": lambda d: "Đã gửi" if d.n % 4 == 0 else "Chưa gửi",
    "sign_state": lambda d: "Đã ký" if d.completed else "Chưa ký",
    "late_days": _late_days,
    "signed_days": _signed_days,
    "early_count": lambda d: 2 if d.outcome in ("early", "withdrawn", "rejected") else "",
    "on_time_count": lambda d: 0 if d.outcome == "on_time" else "",
    "late_count": lambda d: 2 if d.outcome == "late" else "",
    "due_hour_h": lambda d: _dmy(d.due, "%Hh%M"),
    "ended_hour_h": lambda d: "17h30" if d.n in (16, 17) else _dmy(d.ended, "%Hh%M"),
    "us_received": lambda d: _us(d.received),
    "us12_received": lambda d: _us12(d.received),
    "us12_due": lambda d: _us12(d.due),
    "us12_ended": lambda d: _us12(d.ended),
    "us_day_received": lambda d: "" if d.received is None else f"{d.received.month}/{d.received.day}/{d.received.year}",
    # A system whose status ids run 0–6 (0 received, 1 processing, 2 waiting for the citizen,
    # 3 refused, 4 completed, 5 handed over, 6 withdrawn): not the national 1–10.
    "code_status": lambda d: (5 if d.returned else 4) if d.completed else {
        "withdrawn": 6, "rejected": 3, "supplement": 2}.get(d.outcome, 0 if d.n == 30 else 1),
    "us_due": lambda d: _us(d.due),
    "us_ended": lambda d: _us(d.ended),
    "late_days_sparse": lambda d: 2 if d.outcome == "late" else "",
    "late_days_text": lambda d: ("2 ngày" if d.outcome == "late" else "0 ngày") if d.ended else "",
    "late_tick": lambda d: "x" if d.outcome == "late" else "",
    "online_tick": lambda d: "x" if d.online else "",
    "due_time_cell": lambda d: d.due.time(),
    "ended_time_cell": lambda d: dt.time(17, 30) if d.n in (16, 17) else (d.ended.time() if d.ended else ""),
    "null_returned": lambda d: _dmy(d.returned) or "NULL",
    "birth": lambda d: f"0{1 + d.n % 9}/0{1 + d.n % 9}/19{60 + d.n}",
    # Another system's letters: status H (hoàn thành), T (đã trả), R (rút), K (không giải quyết), X
    # (đang xử lý), B (chờ bổ sung); channel 01 online, 02 at the desk, 03 by post.
    "letter_status": lambda d: ("T" if d.returned else "H") if d.completed else {
        "withdrawn": "R", "rejected": "K", "supplement": "B"}.get(d.outcome, "X"),
    "channel_code": lambda d: "01" if d.online else ("03" if d.postal else "02"),
    "copies": lambda d: 1 + d.n % 3,
    "fee_method": lambda d: "Trực tuyến qua ví" if d.n % 3 else "Tiền mặt tại quầy",
    "early_tick": lambda d: "x" if d.outcome in ("early", "withdrawn", "rejected") else "",
    "on_time_tick": lambda d: "x" if d.outcome == "on_time" else "",
    "late_tick_group": lambda d: "x" if d.outcome == "late" else "",
    "received_sa": lambda d: d.received.strftime("%d/%m/%Y %I:%M:%S ") + ("SA" if d.received.hour < 12 else "CH"),
    "due_weekday": lambda d: "Thứ Hai, " + _dmy(d.due),
    "ended_words": lambda d: "" if d.ended is None else d.ended.strftime("%H giờ %M ngày %d tháng %m năm %Y"),
    "blank": lambda d: "",
    "text": lambda d: f"Ghi chú {d.n}",
}

SIGNATURE = [["", "Người lập biểu", "", "", "Thủ trưởng đơn vị"], ["", "(Ký, ghi rõ họ tên)", "", "", "(Ký tên, đóng dấu)"],
             ["", "Nguyễn Thị Hoa", "", "", "Trần Văn Bình"]]


def write(path: Path, columns: Sequence[Column], banner: Sequence[str] = ("UBND XÃ EA KAR", "SỔ THEO DÕI HỒ SƠ NĂM 2024"),
          footer: Sequence[Sequence[object]] = (), blank_after_banner: bool = True,
          dossiers: Sequence[Dossier] = DOSSIERS, extra_header: Sequence[str] | None = None) -> Path:
    """Write the layout: banner lines, the header (two rows when a column has a group, or when
    ``extra_header`` gives a second row of labels), the dossiers, then ``footer`` rows."""
    grid: list[list[object]] = [[line] for line in banner]
    if banner and blank_after_banner:
        grid.append([])
    groups = [h[0] if isinstance(h, tuple) else None for h, _ in columns]
    labels = [h[1] if isinstance(h, tuple) else h for h, _ in columns]
    merges: list[tuple[int, int, int, int, str]] = []
    if any(groups):
        top, below = [], []
        for c, (g, label) in enumerate(zip(groups, labels)):
            if g is None:
                top.append(label)
                below.append("")
                merges.append((len(grid), c, len(grid) + 1, c, label))
            else:
                first = c == 0 or groups[c - 1] != g
                top.append(g if first else "")
                below.append(label)
                if first:
                    last = c
                    while last + 1 < len(groups) and groups[last + 1] == g:
                        last += 1
                    if last > c:
                        merges.append((len(grid), c, len(grid), last, g))
        grid += [top, below]
    else:
        grid.append(labels)
        if extra_header is not None:
            grid.append(list(extra_header))
    for d in dossiers:
        grid.append([CELLS[kind](d) for _, kind in columns])
    grid += [list(r) for r in footer]
    if path.suffix == ".csv":
        with path.open("w", encoding="utf-8-sig", newline="") as fh:
            csv.writer(fh).writerows(grid)
        return path
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("Sổ")
    clock = wb.add_format({"num_format": "hh:mm"})
    for r, row in enumerate(grid):
        for c, v in enumerate(row):
            if isinstance(v, dt.time):
                ws.write_datetime(r, c, v, clock)
            elif isinstance(v, (int, float)):
                ws.write_number(r, c, v)
            elif v != "":
                ws.write_string(r, c, str(v))
    for r1, c1, r2, c2, text in merges:
        ws.merge_range(r1, c1, r2, c2, text)
    wb.close()
    return path
