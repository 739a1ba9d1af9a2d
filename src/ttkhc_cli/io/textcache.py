"""Texts a run computes from its inputs and the tool's code alone, kept between runs.

The compiled SQL of a plan depends only on the plan, the log's columns, the period and the as-of
date, and on this tool's code: an office that runs `compute` every morning on the same plan asks
for the same queries again. Each text is stored under the SHA-256 of what it depends on (with a
fingerprint of the installed code, so that an upgrade never reads a stale entry), in the user's
cache folder; a run that finds it needs neither to build nor to render it.

The cache is an optimisation only: a folder that cannot be read or written (a read-only home, a
full disk) is silently not used, and ``TTKHC_CACHE_DIR=off`` turns it off.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

ENTRIES_AT_MOST = 4000  # per kind; beyond, the oldest half goes (as-of dates change daily)
_MEMORY: dict[str, str] = {}
_WRITTEN: set[str] = set()


def folder() -> Path | None:
    """Where the texts are kept: ``TTKHC_CACHE_DIR``, else the XDG cache folder; None when off."""
    given = os.environ.get("TTKHC_CACHE_DIR")
    if given is not None:
        return None if given.strip().lower() in ("", "off", "0", "none") else Path(given)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "ttkhc"


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """The installed code's identity: each module's path, size and modification time, and the
    versions of the libraries that write the texts."""
    from importlib import metadata

    root = Path(__file__).resolve().parents[1]
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*.py")):
        stat = path.stat()
        digest.update(f"{path.relative_to(root)}:{stat.st_size}:{stat.st_mtime_ns};".encode())
    for package in ("sqlglot", "holidays"):
        try:
            digest.update(f"{package}={metadata.version(package)};".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{package}=none;".encode())
    return digest.hexdigest()


def key_of(kind: str, parts: tuple[object, ...]) -> str:
    """The key of a text: its kind, what it depends on (``repr`` of plain values) and the code."""
    text = f"{kind}\x00{code_fingerprint()}\x00{parts!r}"
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def cached(kind: str, parts: tuple[object, ...], make: Callable[[], str]) -> str:
    """The text for ``parts``: from this run, else from the cache folder, else ``make()`` (then kept)."""
    key = key_of(kind, parts)
    if key in _MEMORY:
        return _MEMORY[key]
    where = folder()
    path = None if where is None else where / kind / f"{key}.txt"
    text = _read(path) if path is not None else None
    if text is None:
        text = make()
        if path is not None:
            _write(path, text)
    _MEMORY[key] = text
    return text


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def _write(path: Path, text: str) -> None:
    """Written whole or not at all (a temporary file renamed), never half a query."""
    temporary = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".tmp")
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        os.replace(temporary, path)
        temporary = None
        if str(path.parent) not in _WRITTEN:
            _WRITTEN.add(str(path.parent))
            _prune(path.parent)
    except OSError:
        if temporary is not None:
            Path(temporary).unlink(missing_ok=True)


def _prune(kind_folder: Path) -> None:
    """Keep a kind's folder bounded: past ENTRIES_AT_MOST entries, the oldest half is removed."""
    entries = list(kind_folder.glob("*.txt"))
    if len(entries) <= ENTRIES_AT_MOST:
        return
    entries.sort(key=lambda p: p.stat().st_mtime_ns)
    for old in entries[: len(entries) // 2]:
        old.unlink(missing_ok=True)
