"""One folder for every temporary file of a run, ours and our libraries', removed when it ends.

The command line points Python's ``tempfile`` at it (XlsxWriter's per-sheet files, anything a
library makes with ``tempfile``) and DuckDB's spill directory into it, so that an interrupted,
failing or signalled run leaves nothing in TMPDIR nor in the officer's working folder.
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
from pathlib import Path

_RUN_DIR: list[Path] = []


def run_dir() -> Path:
    """This run's temporary folder (made on first use, removed at exit on every path)."""
    if not _RUN_DIR:
        folder = Path(tempfile.mkdtemp(prefix="ttkhc-"))
        atexit.register(shutil.rmtree, folder, True)
        _RUN_DIR.append(folder)
    return _RUN_DIR[0]


def route_temporary_files() -> None:
    """Make this run's folder the default of every ``tempfile`` call from now on."""
    tempfile.tempdir = str(run_dir())
