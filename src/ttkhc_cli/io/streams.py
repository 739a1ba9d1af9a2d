"""Named pipes and process substitution: a stream read once into the run's folder.

``ttkhc compute <(curl …)`` or a FIFO hands the tool a path that is not a file: its size is 0,
it can be read only once, and opening it waits for a writer. Such a path is read once, when its
first byte arrives (waiting a bounded time, never for ever), into the run's temporary folder;
every later read of the run (the case log, then the PAKN and documents sheets) reads that copy.
Messages keep the name the user gave.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from ttkhc_cli.domain.errors import InputFileError
from ttkhc_cli.io.scratch import run_dir

WAIT_SECONDS = 5.0  # how long a pipe may stay silent before its first byte
_SPOOLED: dict[str, Path] = {}


def is_stream(path: Path) -> bool:
    """Whether a path is a pipe or a character device (not a file one can seek in)."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return False
    return stat.S_ISFIFO(mode) or stat.S_ISCHR(mode)


def local(path: Path, wait: float | None = None) -> Path:
    """The file to read for ``path``: itself, or the copy of the stream it names (waiting at most
    ``wait`` seconds, by default WAIT_SECONDS, for its first byte)."""
    wait = WAIT_SECONDS if wait is None else wait
    key = str(path)
    if key in _SPOOLED:
        return _SPOOLED[key]
    if not is_stream(path) or not hasattr(os, "O_NONBLOCK"):
        return path
    import select

    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except OSError as exc:
        raise InputFileError(f"{path}: không mở được ({exc.strerror or exc})") from None
    try:
        ready, _, _ = select.select([fd], [], [], wait)
        if not ready:
            raise InputFileError(
                f"{path}: là một đường ống chưa có dữ liệu sau {wait:g} giây (chưa có chương trình nào ghi vào); "
                f"ghi dữ liệu vào nó, ví dụ: cat so-ho-so.csv > {path}, hoặc đọc một tệp thường")
        os.set_blocking(fd, True)
        copy = run_dir() / f"luong-{len(_SPOOLED) + 1}{path.suffix}"
        with open(copy, "wb") as out:
            while chunk := os.read(fd, 1 << 20):
                out.write(chunk)
    finally:
        os.close(fd)
    _SPOOLED[key] = copy
    return copy
