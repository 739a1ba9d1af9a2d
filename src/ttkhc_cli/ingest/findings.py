"""Findings: one problem in the user's coordinates (file, sheet, Excel row, column letter)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
import pandas as pd

from ttkhc_cli.ingest.catalogue import ERROR, WARNING, entry

# At most this many findings of one code in one column are kept; a summary line says the rest.
PER_COLUMN_CAP = 2000


@dataclass(frozen=True)
class Finding:
    code: str
    severity: str
    file: str | None
    sheet: str | None
    row: int | None
    column: str | None
    header: str | None
    value: Any
    message: str

    def __post_init__(self) -> None:
        entry(self.code)  # only catalogued codes: scripts and the README rely on them

    def to_json(self) -> dict[str, Any]:
        d = asdict(self)
        v = d["value"]
        if v is not None and not isinstance(v, (str, int, float, bool)):
            d["value"] = str(v)
        return d


def cell_value(v: Any) -> Any:
    """A cell's value as a finding shows it: None for empty, dates as dd/mm/yyyy, plain Python types."""
    if v is None or v is pd.NaT or (isinstance(v, float) and v != v):
        return None
    if isinstance(v, pd.Timestamp):
        return v.strftime("%d/%m/%Y %H:%M") if (v.hour or v.minute) else v.strftime("%d/%m/%Y")
    if isinstance(v, np.generic):
        return v.item()
    return v if isinstance(v, (str, int, float, bool)) else str(v)


def capped(
    rows: Sequence[int] | np.ndarray, one: Callable[[int], Finding], rest: Callable[[int], Finding],
    total: int | None = None,
) -> list[Finding]:
    """One finding per row up to PER_COLUMN_CAP, then a single finding that counts the others
    (``total`` rows in all when ``rows`` holds only the first of them)."""
    out = [one(int(i)) for i in rows[:PER_COLUMN_CAP]]
    total = len(rows) if total is None else total
    if total > PER_COLUMN_CAP:
        out.append(rest(total - PER_COLUMN_CAP))
    return out


def count_by_severity(findings: list[Finding]) -> dict[str, int]:
    out = {ERROR: 0, WARNING: 0}
    for f in findings:
        out[f.severity] = out.get(f.severity, 0) + 1
    return out


def summary(findings: list[Finding]) -> dict[str, Any]:
    """Counts by severity and by code: what `compute` shows of the checks (the list is `validate`'s)."""
    by_code: dict[str, int] = {}
    for f in findings:
        by_code[f.code] = by_code.get(f.code, 0) + 1
    return {**count_by_severity(findings), "by_code": dict(sorted(by_code.items()))}
