"""One ``read()`` for every format: the reader is chosen by the file's suffix.

Each reader returns a ``RawTable``; the checks every format shares (missing file, a folder,
an empty file, an unknown suffix) are made once, here.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from ttkhc_cli.domain.errors import InputFileError
from ttkhc_cli.io import csvfile, excel, parquet
from ttkhc_cli.io.headers import Match
from ttkhc_cli.io.table import RawTable, ReadOptions

Reader = Callable[[Path, str, str, ReadOptions, Match], list[RawTable]]
READERS: dict[str, Reader] = {
    **{s: excel.read for s in excel.SUFFIXES},
    **{s: csvfile.read for s in csvfile.SUFFIXES},
    **{s: parquet.read for s in parquet.SUFFIXES},
}


def read(path: str | Path, source: str, options: ReadOptions, match: Match) -> list[RawTable]:
    """Read one file's table(s) for ``source`` (cases, feedback or documents); ``match`` says
    which header names which field, so that the header row can be found. A workbook may give
    several tables: its sheets with the same header."""
    p = Path(path)
    shown = str(path)
    if not p.exists():
        raise InputFileError(f"{shown}: không tìm thấy tệp")
    if p.is_dir():
        raise InputFileError(f"{shown}: là một thư mục, không phải tệp dữ liệu")
    if p.stat().st_size == 0:
        raise InputFileError(f"{shown}: tệp rỗng (0 byte)")
    reader = READERS.get(p.suffix.lower())
    if reader is None:
        raise InputFileError(
            f"{shown}: không đọc được định dạng {p.suffix.lower() or '(không có đuôi)'}; "
            "dùng .xlsx, .xls, .ods, .csv hoặc .parquet"
        )
    return reader(p, shown, source, options, match)


__all__ = ["RawTable", "ReadOptions", "read"]
