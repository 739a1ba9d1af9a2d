"""Findings: one problem in the user's coordinates (file, sheet, Excel row, column letter)."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

ERROR = "error"
WARNING = "warning"
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

    def to_json(self) -> dict[str, Any]:
        d = asdict(self)
        v = d["value"]
        if v is not None and not isinstance(v, (str, int, float, bool)):
            d["value"] = str(v)
        return d


def count_by_severity(findings: list[Finding]) -> dict[str, int]:
    out = {ERROR: 0, WARNING: 0}
    for f in findings:
        out[f.severity] = out.get(f.severity, 0) + 1
    return out
