"""Which dossiers make an indicator fail: those in its denominator and not in its numerator
(for a count of procedures, the dossiers of the procedures not in it).

What an office opens next after a red figure: each dossier with its file, sheet and Excel row,
so that the row can be found and the dossier followed up (or the export corrected).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ttkhc_cli.domain.periods import Period
from ttkhc_cli.kpi.compute import Counter
from ttkhc_cli.kpi.describe import CODES
from ttkhc_cli.kpi.plan import Indicator

# The columns shown per log: (key in the output, field of the derived log).
COLUMNS = {
    "cases": [("id", "case_id"), ("procedure", "procedure_name"), ("department", "department"),
              ("officer", "officer"), ("received_at", "received_at"), ("due_at", "due_at"), ("end_at", "end_at"),
              ("timing", "timing")],
    "feedback": [("id", "feedback_id"), ("department", "department"), ("received_at", "received_at"),
                 ("due_at", "due_at"), ("end_at", "handled_at")],
    "documents": [("id", "document_id"), ("department", "department"), ("received_at", "date"),
                  ("summary", "summary")],
}


def dossiers(engine: Counter, ind: Indicator, period: Period, everything: bool = False,
             limit: int | None = None) -> tuple[list[dict[str, Any]], int]:
    """The rows of the indicator's denominator missing from its numerator (``everything``: the
    whole denominator, each marked in or out of the numerator), in file and row order: the first
    ``limit`` of them, and how many there are. The engine selects and orders them (for a count
    of procedures, the dossiers of the procedures not in it); only those shown become values."""
    rows, total = engine.listed(ind, period, everything, limit)
    cols = COLUMNS[ind.count.source]
    values = {key: _column(rows, name) for key, name in cols}
    files, sheets, lines = _column(rows, "_file"), _column(rows, "_sheet"), _column(rows, "_row")
    inside = _column(rows, "_in")
    out = []
    for i in range(len(rows)):
        row = None if lines[i] is None else int(lines[i])
        item: dict[str, Any] = {"file": files[i], "sheet": sheets[i], "row": row}
        for key, _ in cols:
            v = values[key][i]
            if key == "timing" and v is not None:
                v = CODES["timing"].get(str(v), str(v))
            item[key] = v
        item["in_numerator"] = bool(inside[i])
        out.append(item)
    return out, total


def _column(rows: pd.DataFrame, name: str) -> list[Any]:
    if name not in rows:
        return [None] * len(rows)
    col = rows[name]
    if pd.api.types.is_datetime64_any_dtype(col.dtype):
        return [None if pd.isna(v) else v.strftime("%d/%m/%Y %H:%M").replace(" 00:00", "") for v in col]
    return [None if (v is None or (isinstance(v, float) and np.isnan(v)) or v is pd.NA) else
            (v.item() if isinstance(v, np.generic) else v) for v in col.astype(object)]
