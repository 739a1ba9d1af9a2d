"""Plain-text renderings of results: JSON, CSV and Markdown.

CSV cells that come from the input and start with =, +, -, @ or a tab/CR are prefixed with an
apostrophe so that a spreadsheet never runs them as formulas (CSV injection).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Sequence
from typing import Any

from pydantic import BaseModel

from ttkhc_cli.domain import labels
from ttkhc_cli.kpi.results import ComputeResult, Explanation, FindingOut, IndexResult, IndicatorResult

_DANGEROUS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """A value fit for a spreadsheet: text that looks like a formula is kept as text."""
    if isinstance(value, str) and value.startswith(_DANGEROUS):
        try:
            float(value)
            return value  # a negative number is not a formula
        except ValueError:
            return "'" + value
    return value


def to_csv(header: Sequence[str], rows: Iterable[Sequence[Any]], trusted: Sequence[int] = ()) -> str:
    """CSV text; every cell is made formula-safe except the ``trusted`` columns the tool wrote itself."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    for row in rows:
        w.writerow(["" if v is None else (v if j in trusted else safe_cell(v)) for j, v in enumerate(row)])
    return buf.getvalue()


def to_markdown(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    def cell(v: Any) -> str:
        return "" if v is None else str(v).replace("|", "\\|").replace("\n", " ")

    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def to_json(data: Any) -> str:
    """JSON as the commands print it; a result model is dumped as its JSON form first."""
    if isinstance(data, BaseModel):
        data = data.model_dump(mode="json")
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


FINDING_COLUMNS = ("code", "severity", "file", "sheet", "row", "column", "header", "value", "message")


FINDING_HEADERS = ("Mã lỗi", "Mức", "Tệp", "Trang tính", "Dòng", "Cột", "Tiêu đề cột", "Giá trị (như trong ô)",
                   "Nội dung")


def findings_csv(findings: Iterable[FindingOut]) -> str:
    """The findings as a spreadsheet opens them: headers and levels in Vietnamese, the code kept
    (stable, for filtering)."""
    rows = ([labels.SEVERITY.get(v, v) if k == "severity" else v for k, v in ((k, getattr(f, k)) for k in
                                                                              FINDING_COLUMNS)]
            for f in findings)
    return to_csv(FINDING_HEADERS, rows)


RESULT_COLUMNS = ("Mã", "Chỉ tiêu", "Kết quả (%)", "Tử số", "Mẫu số", "Chỉ tiêu giao", "Đánh giá", "Ghi chú")


def _indicator_row(i: IndicatorResult, decimal_comma: bool) -> list[Any]:
    value: Any = i.value
    if value is not None and decimal_comma:
        value = f"{value:.2f}".replace(".", ",")
    elif value is not None:
        value = f"{value:.2f}"
    return [i.id, i.short, value, i.numerator, i.denominator, labels.target(i.target),
            labels.STATUS[i.status], i.note]


def result_rows(result: ComputeResult, decimal_comma: bool) -> tuple[list[str], list[list[Any]]]:
    """The indicator table of a compute result (with a group column when grouped)."""
    if result.groups is None:
        return list(RESULT_COLUMNS), [_indicator_row(i, decimal_comma) for i in result.indicators]
    rows = [["Tổng"] + _indicator_row(i, decimal_comma) for i in result.indicators]
    for g in result.groups.items:
        rows += [[g.key] + _indicator_row(i, decimal_comma) for i in g.indicators]
    return ["Nhóm", *RESULT_COLUMNS], rows


def result_csv(result: ComputeResult) -> str:
    header, rows = result_rows(result, decimal_comma=False)
    return to_csv(header, rows, trusted=[header.index("Chỉ tiêu giao")])


def result_markdown(result: ComputeResult) -> str:
    header, rows = result_rows(result, decimal_comma=True)
    p = result.period
    head = f"**{result.unit or result.targets.unit}** · Kỳ {p.label} ({p.start} – {p.end})\n\n"
    said = "".join(f"\n- {line}" for line in result.notices or [])  # whose figures, which plan: with them
    return head + to_markdown(header, rows) + (f"\n{said}\n" if said else "")


LONG_COLUMNS = ("by", "group", "id", "short", "numerator", "denominator", "value", "target_op", "target_value",
                "status", "note")


def result_long(result: ComputeResult) -> list[dict[str, Any]]:
    """One row per group × indicator (the whole period first, group ''): what a data team loads
    into its warehouse to compare units."""
    by = result.groups.by if result.groups else ""
    blocks = [("", result.indicators)] + [(g.key, g.indicators) for g in (result.groups.items if result.groups else [])]
    return [{"by": by, "group": key, "id": i.id, "short": i.short, "numerator": i.numerator,
             "denominator": i.denominator, "value": i.value, "target_op": i.target.op,
             "target_value": i.target.value, "status": i.status, "note": i.note}
            for key, inds in blocks for i in inds]


def result_parquet(result: ComputeResult, path: Any) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = pa.schema([("by", pa.string()), ("group", pa.string()), ("id", pa.string()), ("short", pa.string()),
                        ("numerator", pa.int64()), ("denominator", pa.int64()), ("value", pa.float64()),
                        ("target_op", pa.string()), ("target_value", pa.float64()), ("status", pa.string()),
                        ("note", pa.string())])
    pq.write_table(pa.Table.from_pylist(result_long(result), schema=schema), path)


EXPLAIN_COLUMNS = (("file", "Tệp"), ("sheet", "Trang tính"), ("row", "Dòng"), ("id", "Mã"), ("procedure", "Thủ tục"),
                   ("department", "Bộ phận"), ("officer", "Cán bộ xử lý"), ("received_at", "Ngày tiếp nhận"),
                   ("due_at", "Ngày hẹn trả"), ("end_at", "Ngày kết thúc"), ("timing", "Tiến độ"),
                   ("summary", "Trích yếu"), ("in_numerator", "Trong tử số"))


def explain_columns(result: Explanation) -> list[tuple[str, str]]:
    """The columns that hold something for this log (a feedback log has no procedure)."""
    keep = [(k, h) for k, h in EXPLAIN_COLUMNS
            if k in ("file", "row") or any(getattr(d, k) not in (None, "") for d in result.dossiers)]
    if result.which != "all":
        keep = [(k, h) for k, h in keep if k != "in_numerator"]
    return keep


def explain_csv(result: Explanation) -> str:
    cols = explain_columns(result)
    rows = ([("Có" if v else "Không") if k == "in_numerator" else v for k, v in ((k, getattr(d, k)) for k, _ in cols)]
            for d in result.dossiers)
    return to_csv([h for _, h in cols], rows)


INDEX_COLUMNS = ("Kỳ", "Nhóm", "Mã", "Chỉ số", "Nguồn số liệu", "Tử số", "Mẫu số", "Tỷ lệ (%)", "Điểm", "Tối đa",
                 "Tối đa có số liệu", "Tỷ lệ đủ điểm (%)", "Nếu thêm", "Ghi chú")
INDEX_KINDS = {"data": "tính từ dữ liệu", "entered": "số liệu nhập", "missing": "chưa có số liệu"}


def index_csv(result: IndexResult) -> str:
    """The index as one table a spreadsheet can filter: a row per indicator (the period), then a
    row per group and one for the total, for the period and each month. "Tối đa có số liệu" is
    what the points are out of (the indicators that have a figure)."""
    names = {g.id: g.name for g in result.groups}
    label = result.period.label
    rows: list[list[Any]] = [
        [label, names[i.group], i.id, i.short, INDEX_KINDS[i.kind], i.numerator, i.denominator, i.rate, i.points,
         i.max_points, i.max_points if i.points is not None else 0, i.full_at,
         i.what_if.text if i.what_if else None, i.note]
        for i in result.indicators
    ]
    for period, groups, total in [(label, result.groups, result.total)] + [
            (m.period.label, m.groups, m.total) for m in result.months or []]:
        rows += [[period, g.name, None, "Điểm nhóm", None, None, None, None, g.points, g.max_points, g.scored_max,
                  None, None, None if g.complete else "thiếu số liệu một số chỉ số"] for g in groups]
        rows.append([period, "Tổng", None, "Tổng điểm", None, None, None, None, total.points, total.total_max,
                     total.scored_max, None, None, total.text])
    return to_csv(INDEX_COLUMNS, rows)
