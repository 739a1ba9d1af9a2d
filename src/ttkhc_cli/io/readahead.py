"""Parsing a workbook's sheet in the background while the rest of the program is still loading.

Parsing a sheet (calamine, in Rust) runs without Python's lock, and loading pandas, pydantic
and the target file needs nothing but that lock: started side by side on two cores, a
100,000-row workbook is ready about 0.3 s sooner. With several workbooks, each next one is
parsed while the one before is mapped and checked. This module imports neither pandas nor
anything of ours that does, so it can start before they load.

``reading`` takes a result when one is waiting and reads as usual otherwise; a read-ahead that
fails is dropped silently, so every error is still reported by the one reading path.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterable
from pathlib import Path
from typing import Any

EXCEL_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".ods", ".xlsb"}


def whole_sheet(reader: Any, name: str) -> tuple[Any, int, bool]:
    """A whole sheet as text cells (Arrow record batch, None when empty), the 0-based index of
    its first column (calamine drops leading empty columns) and whether the sheet is visible.

    Every column holds its header text, so it would be read as text anyway: asking for text
    skips calamine's type inference (dates then come as Excel serial numbers, which normalise
    reads). The cheapest full read fastexcel offers; ``reading`` and the read-ahead both use it.
    """
    sheet = reader.load_sheet(name, header_row=None, skip_rows=0, dtypes="string")
    cols = sheet.available_columns()
    visible = getattr(sheet, "visible", "visible") == "visible"
    return (sheet.to_arrow() if sheet.width else None), (cols[0].absolute_index if cols else 0), visible


class _Job:
    """One sheet being parsed on a daemon thread (an early exit does not wait for it)."""

    def __init__(self, path: str, sheet: str | None) -> None:
        self.path, self.sheet = path, sheet
        self.result: tuple[str, Any, int, bool] | None = None
        self.done = threading.Event()
        threading.Thread(target=self._run, name="ttkhc-readahead", daemon=True).start()

    def _run(self) -> None:
        try:
            import fastexcel

            if not _sane_package(self.path):
                raise ValueError(self.path)  # the normal read refuses it with its message
            reader = fastexcel.read_excel(self.path)
            name = self.sheet if self.sheet is not None else reader.sheet_names[0]
            if not _sane(self.path, name):
                raise ValueError(name)  # the normal read refuses it with its message
            self.result = (name, *whole_sheet(reader, name))
        except BaseException:  # noqa: BLE001 - the normal read reports it (a Rust panic is a BaseException)
            self.result = None
        finally:
            self.done.set()


_JOBS: dict[tuple[str, int, int], _Job] = {}
_QUEUE: list[tuple[str, str | None]] = []  # workbooks still to read ahead, in the order they are read
_LOCK = threading.Lock()


def _key(path: str | Path) -> tuple[str, int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return os.path.abspath(path), st.st_mtime_ns, st.st_size


def start(paths: Iterable[str | Path], sheet: str | None = None) -> None:
    """Begin parsing the case sheet (``sheet``, else the first) of the first workbook among
    ``paths``; each later one begins when the one before it is taken, so at most one sheet is
    parsed ahead of the one being worked on, and memory stays bounded however many files come.

    Only a file whose first bytes make it a zip (.xlsx, .xlsm, .ods) or an OLE (.xls)
    container is read ahead; anything else is left to the normal read and its messages.
    """
    with _LOCK:
        _QUEUE[:] = [(str(p), sheet) for p in paths if Path(p).suffix.lower() in EXCEL_SUFFIXES]
    _begin_next()


def _begin_next() -> None:
    while True:
        with _LOCK:
            if not _QUEUE:
                return
            path, sheet = _QUEUE.pop(0)
            key = _key(path)
            if key is None or key[2] == 0 or key in _JOBS or not _container(path):
                continue
            _JOBS[key] = _Job(path, sheet)
            return


def _sane(path: str, sheet: str) -> bool:
    """Whether a sheet can be parsed without calamine sizing it at billions of cells (a stray
    cell at XFD1048576 aborts the process); only .xlsx says so before parsing."""
    if not path.lower().endswith((".xlsx", ".xlsm")):
        return True
    from ttkhc_cli.io import xlsx_parts

    try:
        parts = xlsx_parts.sheets(Path(path)).get(sheet)
        if parts is None:
            return True
        peeked = xlsx_parts.peek(Path(path), parts)
        return xlsx_parts.too_wide(peeked) is None and not peeked.stray and not peeked.unreadable
    except xlsx_parts.DAMAGED:
        return False


def _sane_package(path: str) -> bool:
    """Whether a zip package is within the reading budget (no decompression bomb, no sheet
    repeated past the budget) and undamaged; anything else is left to the normal read."""
    from ttkhc_cli.io import xlsx_parts

    if not _container(path) or path.lower().endswith(".xls"):
        return True
    try:
        return xlsx_parts.bomb(Path(path)) is None and (
            not path.lower().endswith(".ods") or xlsx_parts.ods_absurd(Path(path)) is None)
    except xlsx_parts.DAMAGED:
        return False


def _container(path: str) -> bool:
    try:
        with open(path, "rb") as fh:
            head = fh.read(8)
    except OSError:
        return False
    return head.startswith(b"PK\x03\x04") or (head.startswith(b"\xd0\xcf\x11\xe0") and path.lower().endswith(".xls"))


def take(path: str | Path, sheet: str) -> tuple[Any, int, bool] | None:
    """The parsed ``sheet`` of ``path`` (Arrow record batch or None when empty, first column index,
    visibility).

    None when no read-ahead of that sheet of that very file (same size and time) was started
    or it failed; the caller then reads the sheet itself. Taking a read-ahead starts the next.
    """
    key = _key(path)
    with _LOCK:
        job = _JOBS.pop(key, None) if key is not None else None
    if job is None:
        return None
    job.done.wait()
    _begin_next()  # the next workbook is parsed while this one is mapped and checked
    if job.result is None or job.result[0] != sheet:
        return None
    _, batch, first, visible = job.result
    return batch, first, visible
