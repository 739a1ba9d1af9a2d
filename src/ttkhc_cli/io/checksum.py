"""The SHA-256 of a file, read in chunks: how the tool names an input's exact content (the
report's list of inputs, the dataset manifest, two files given with the same content)."""

from __future__ import annotations

import hashlib
from pathlib import Path


def sha256(path: str | Path) -> str:
    from ttkhc_cli.io.streams import local

    h = hashlib.sha256()
    with open(local(Path(path)), "rb") as fh:  # a pipe: the copy the run read
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()
