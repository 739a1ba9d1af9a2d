"""The figures of the sample year as the retired pandas engine counted them, kept as the oracle the
one compiled plan must still give (the engine was retired in #22; these files were written by it
at commit dbaa73f, before it went, by ``python tests/support/golden.py``)."""

from __future__ import annotations

import datetime as dt
import json
import math
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = ROOT / "tests" / "fixtures" / "golden"
SAMPLE = ROOT / "sample_data" / "so-theo-doi-ho-so-2024.xlsx"
INPUTS = ROOT / "sample_data" / "so-lieu-nhap-2024.yaml"
BYS = (None, "department", "procedure", "field", "officer", "file", "month")
WINDOWS = ("calendar", "nd09")
TODAY = dt.date(2024, 12, 31)


def figures(indicators: list[Any]) -> list[list[Any]]:
    """An indicator list as rows of what it counts: id, numerator, denominator, status, value, note."""
    return [[i.id, i.numerator, i.denominator, i.status, i.value, i.note] for i in indicators]


def compact(result: Any) -> dict[str, Any]:
    """A compute result's figures, whole and per group."""
    out: dict[str, Any] = {"as_of": str(result.as_of), "whole": figures(result.indicators)}
    if result.groups is not None:
        out["groups"] = [[g.key, figures(g.indicators)] for g in result.groups.items]
    return out


def plain(value: Any) -> Any:
    """A cell as JSON holds it: dates as ISO text, NaN and NaT as None."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if hasattr(value, "isoformat"):
        text = str(value)
        return None if text == "NaT" else value.isoformat()
    if hasattr(value, "item"):
        return value.item()
    return value


def report(data: Any) -> dict[str, Any]:
    """What a report shows that the engine counts: every figure, Biểu 06, the late list, the
    failing indicators' dossiers and the officers' lists."""
    late = data.late
    return {
        "result": compact(data.result),
        "months": [[g.key, figures(g.indicators)] for g in data.months],
        "trend": [[g.key, figures(g.indicators)] for g in data.trend],
        "by_department": [[g.key, figures(g.indicators)] for g in data.by_department.items],
        "form06": [[plain(v) for v in row] for row in data.form06],
        "late_columns": list(late.columns),
        "late": [[plain(v) for v in row] for row in late.astype(object).itertuples(index=False)],
        "actions": [[a.indicator.id, a.total, [[d.file, d.sheet, d.row, d.id] for d in a.dossiers]]
                    for a in data.actions],
        "worklist": None if data.worklist is None else [
            [o.officer, o.counts, [[i.kind, i.id, i.row, i.indicator] for i in o.items]]
            for o in data.worklist.officers],
    }


def sample_results() -> dict[str, Any]:
    from ttkhc_cli import api
    from ttkhc_cli.domain import periods

    out = {}
    for window in WINDOWS:
        for by in BYS:
            request = api.Request((SAMPLE,), inputs_file=INPUTS, period="2024-H1", window=window, by=by,
                                  today=TODAY)
            out[f"{window}/{by}"] = compact(api.compute_files(request))
    assert periods  # the period is parsed by the request
    return out


def sample_report() -> dict[str, Any]:
    from ttkhc_cli import api

    return report(api.build_report(api.Request((SAMPLE,), inputs_file=INPUTS, period="2024-Q2", today=TODAY)))


def explained() -> dict[str, Any]:
    """`explain` of every indicator of the plan the sample counts, and of the index's counts of
    procedures, each with the dossiers it lists (missing ones and, for two, all)."""
    from ttkhc_cli import api
    from ttkhc_cli.domain.errors import UsageError
    from ttkhc_cli.kpi import plan as plan_file

    out: dict[str, Any] = {}
    request = api.Request((SAMPLE,), inputs_file=INPUTS, period="2024-Q3", today=TODAY)
    idents = [i.id for i in plan_file.load_plan(None).file.indicators] + ["3.2", "3.5", "4.5a"]
    for ident in idents:
        for everything in (False, True) if ident in ("IV.1", "3.2") else (False,):
            asked = request if "." not in ident or ident[0].isalpha() else api.Request(
                (SAMPLE,), period="2024-Q3", today=TODAY)  # the index's ids, without the plan's entries
            try:
                e = api.explain_files(asked, ident, everything)
            except UsageError as exc:
                out[f"{ident}/{everything}"] = str(exc)
                continue
            out[f"{ident}/{everything}"] = [e.count, [[d.file, d.sheet, d.row, d.id, d.timing, d.in_numerator]
                                                     for d in e.dossiers]]
    return out


def validated() -> list[list[Any]]:
    """`validate`'s findings on the sample (the timing checks judge every dossier by the plan)."""
    from ttkhc_cli import api

    _, found = api.validate_files(api.Request((SAMPLE,), today=TODAY))
    return [[f.code, f.severity, f.sheet, f.row, f.column, f.value, f.message] for f in found.findings]


def load(name: str) -> Any:
    return json.loads((GOLDEN / name).read_text(encoding="utf-8"))


def portable(value: Any) -> Any:
    """The figures as JSON with the checkout's folder written ``<ROOT>``: the same on every machine."""
    return json.loads(json.dumps(value, default=plain).replace(str(ROOT), "<ROOT>"))


def write() -> None:
    GOLDEN.mkdir(parents=True, exist_ok=True)
    for name, value in (("sample-2024-H1.json", sample_results()), ("report-2024-Q2.json", sample_report()),
                        ("explain-2024-Q3.json", explained()), ("validate.json", validated())):
        text = json.dumps(portable(value), ensure_ascii=False, indent=0)
        (GOLDEN / name).write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    write()
