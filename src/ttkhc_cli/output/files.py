"""Writing outputs atomically, and never over a file the tool was given.

Every output is written to a temporary file beside its destination and renamed into place only
when writing succeeded: a failure or an interrupt never leaves half a file.
"""

from __future__ import annotations

import os
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, Sequence

from ttkhc_cli.domain.errors import UsageError


@contextmanager
def atomic_output(path: str | Path, inputs: Sequence[str | Path] = ()) -> Iterator[Path]:
    """A temporary path beside ``path`` to write to; renamed into place only if writing succeeds,
    so a failure never leaves a half-written output. Refuses to replace one of the inputs."""
    target = Path(path)
    refuse_inputs(target, inputs)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{target.stem}.", suffix=target.suffix, dir=target.parent)
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_atomic(path: str | Path, data: str | bytes, inputs: Sequence[str | Path] = ()) -> None:
    """Write text or bytes through ``atomic_output``."""
    with atomic_output(path, inputs) as tmp:
        tmp.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)


def refuse_inputs(target: Path, inputs: Sequence[str | Path]) -> None:
    """An output never replaces one of the files it was made from."""
    for p in inputs:
        try:
            if Path(p).exists() and target.exists() and target.resolve() == Path(p).resolve():
                raise UsageError(f"{target}: không ghi đè lên tệp đầu vào; chọn tên tệp khác cho --output")
        except OSError:
            continue
