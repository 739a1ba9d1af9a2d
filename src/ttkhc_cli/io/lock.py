"""An exclusive lock on a folder, so that two processes updating it take turns.

The lock is the operating system's on an open file (``flock`` on POSIX, ``msvcrt.locking`` on
Windows): it is released when the process ends, however it ends, so a killed conversion never
leaves a folder locked for ever.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

LOCK_NAME = ".ttkhc.lock"


@contextmanager
def locked(folder: Path) -> Iterator[None]:
    """Hold the folder's lock for the duration of the block (waiting for another holder)."""
    folder.mkdir(parents=True, exist_ok=True)
    fd = os.open(folder / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o666)
    try:
        _acquire(fd)
        try:
            yield
        finally:
            _release(fd)
    finally:
        os.close(fd)


def _acquire(fd: int) -> None:
    try:
        import fcntl
    except ImportError:  # Windows
        import msvcrt

        while True:
            try:
                msvcrt.locking(fd, msvcrt.LK_LOCK, 1)  # type: ignore[attr-defined]
                return
            except OSError:  # LK_LOCK gives up after ten seconds: keep waiting
                continue
    fcntl.flock(fd, fcntl.LOCK_EX)


def _release(fd: int) -> None:
    try:
        import fcntl
    except ImportError:
        import msvcrt

        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)  # type: ignore[attr-defined]
        return
    fcntl.flock(fd, fcntl.LOCK_UN)
