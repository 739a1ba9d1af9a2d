"""One ``read()`` for every format: the reader is chosen by what the file is, then by its name.

Web systems save an HTML table or an Excel 2003 XML file under an .xls name, and text as .xls;
a workbook may be named .csv. The first bytes say what a file really is; it is read as that,
with a note saying so. Each reader returns ``RawTable``s; the checks every format shares
(missing file, a folder, an empty file) are made once, here.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ttkhc_cli.domain.errors import InputFileError
from ttkhc_cli.io import csvfile, excel, markup, parquet, streams
from ttkhc_cli.io.headers import Match
from ttkhc_cli.io.table import RawTable, ReadOptions

Reader = Callable[[Path, str, str, ReadOptions, Match], list[RawTable]]


def kind_of(p: Path) -> str:
    """What the file is by its first bytes: zip (xlsx, ods), ole (xls), parquet, html,
    spreadsheetml, text or binary."""
    with p.open("rb") as fh:
        head = fh.read(8192)
    if head.startswith(b"PK\x03\x04"):
        return "zip"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return "ole"
    if head.startswith(b"PAR1"):
        return "parquet"
    text = _text(head)
    if text is None:
        return "binary"
    low = text.lstrip("\ufeff \t\r\n").lower()
    if low.startswith("<"):
        if "urn:schemas-microsoft-com:office:spreadsheet" in low:
            return "spreadsheetml"
        if "<table" in low or "<html" in low or "<!doctype html" in low:
            return "html"
    return "text"


def _text(head: bytes) -> str | None:
    """The start of a text file (UTF-8, UTF-16 with or without its mark, or a Windows code page)."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return head.decode("utf-16", errors="ignore")
    if b"\x00" in head:
        even, odd = head[0::2].count(0), head[1::2].count(0)
        if odd > len(head) // 4 and even < len(head) // 50:
            return head.decode("utf-16-le", errors="ignore")
        if even > len(head) // 4 and odd < len(head) // 50:
            return head.decode("utf-16-be", errors="ignore")
        return None
    return head.decode("utf-8", errors="ignore")


_NAMED = {
    "zip": "bảng tính Excel", "ole": "bảng tính Excel 97-2003", "html": "bảng HTML (trang web)",
    "spreadsheetml": "tệp XML của Excel 2003", "text": "văn bản (CSV)", "parquet": "tệp Parquet",
}


def _html(p: Path, shown: str, source: str, options: ReadOptions, match: Match) -> list[RawTable]:
    return markup.read_tables(p, shown, source, options, match, markup.html_tables(p, shown), "bảng HTML")


def _spreadsheetml(p: Path, shown: str, source: str, options: ReadOptions, match: Match) -> list[RawTable]:
    return markup.read_tables(p, shown, source, options, match, markup.spreadsheetml_tables(p, shown),
                              "tệp XML của Excel 2003")


READERS: dict[str, Reader] = {
    "zip": excel.read, "ole": excel.read, "parquet": parquet.read, "html": _html,
    "spreadsheetml": _spreadsheetml, "text": csvfile.read,
}
# What a file's name promises, to say so when its content is something else.
_PROMISED = {**dict.fromkeys(excel.SUFFIXES, ("zip", "ole")), **dict.fromkeys(csvfile.SUFFIXES, ("text",)),
             **dict.fromkeys(parquet.SUFFIXES, ("parquet",)), ".html": ("html",), ".htm": ("html",),
             ".xml": ("spreadsheetml",)}


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
    copy = streams.local(p)
    stream, p = copy != p, copy
    try:
        size = p.stat().st_size
        kind = kind_of(p)
    except OSError as exc:
        raise InputFileError(f"{shown}: không đọc được tệp ({exc.strerror or exc})") from None
    if size == 0:
        raise InputFileError(f"{shown}: {'đường ống không có dữ liệu' if stream else 'tệp rỗng'} (0 byte)")
    suffix = p.suffix.lower()
    # A stream has no name to go by (/dev/fd/63 of a process substitution): its content says.
    promised = _PROMISED.get(suffix) or ({kind} if stream and not suffix else None)
    if promised is None:
        raise InputFileError(
            f"{shown}: không đọc được định dạng {suffix or '(không có đuôi)'}; "
            "dùng .xlsx, .xls, .ods, .csv hoặc .parquet"
        )
    if kind == "binary":
        with p.open("rb") as fh:
            where = csvfile.where_binary(fh.read(8192))
        raise InputFileError(f"{shown}: không phải tệp dữ liệu đọc được (có byte nhị phân{where}); "
                             "dùng .xlsx, .xls, .ods, .csv hoặc .parquet")
    if kind == "zip" and suffix in csvfile.SUFFIXES | parquet.SUFFIXES:
        raise InputFileError(f"{shown}: là {_NAMED[kind]} nhưng mang đuôi {suffix}; hãy đổi đuôi thành .xlsx")
    if kind == "ole" and suffix not in excel.SUFFIXES:
        raise InputFileError(f"{shown}: là {_NAMED[kind]} nhưng mang đuôi {suffix or '(không có đuôi)'}; "
                             "hãy đổi đuôi thành .xls")
    mismatch = kind not in promised
    try:
        tables = READERS[kind](p, shown, source, options, match)
    except InputFileError as exc:
        if not mismatch:
            raise
        detail = str(exc).removeprefix(f"{shown}: ")
        raise InputFileError(f"{shown}: mang đuôi {suffix} nhưng là {_NAMED[kind]}; đọc như vậy thì {detail}") from None
    if mismatch:
        note = f"tệp mang đuôi {suffix} nhưng là {_NAMED[kind]}"
        for t in tables:
            t.notes.insert(0, note)
    return tables


__all__ = ["RawTable", "ReadOptions", "read", "kind_of"]
