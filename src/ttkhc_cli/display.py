"""Rich rendering for the terminal: the CLI's side of the line, never imported by the library.

Library modules return plain data (dicts, dataclasses); this module turns them into tables.
"""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

SOURCE_LABELS = {
    "cases": "Sổ theo dõi hồ sơ",
    "feedback": "Sổ phản ánh, kiến nghị",
    "documents": "Sổ văn bản",
    "manual": "Số liệu nhập tay",
}
OP_LABELS = {">=": "≥", "<=": "≤", "=": "=", ">": ">", "<": "<"}


def target_label(target: dict[str, Any]) -> str:
    return f"{OP_LABELS[target['op']]} {target['value']:g}%"


def plan_table(data: dict[str, Any]) -> Table:
    plan = data["plan"]
    table = Table(title=f"{plan['title']}\n{plan['issuer']} · năm {plan['year']}", show_lines=False)
    table.add_column("Mã", no_wrap=True)
    table.add_column("Chỉ tiêu")
    table.add_column("Chỉ tiêu giao", no_wrap=True)
    table.add_column("Bộ phận chủ trì")
    table.add_column("Nguồn số liệu")
    for ind in data["indicators"]:
        table.add_row(
            ind["id"], ind["short"], target_label(ind["target"]), ind["lead"] or "",
            SOURCE_LABELS.get(ind["source"], ind["source"]),
        )
    return table


def print_lines(console: Console, lines: list[str], style: str = "") -> None:
    for line in lines:
        console.print(Text(line, style=style), soft_wrap=True)


SEVERITY_LABELS = {"error": "Lỗi", "warning": "Cảnh báo"}
RULE_LABELS = {"alias": "tên cột", "override": "--columns", "unmapped": "không dùng", "duplicate": "trùng"}


def rows_line(rows: dict[str, Any], noun: str = "dòng") -> str:
    excluded = rows["excluded"]
    n_ex = sum(excluded.values())
    detail = "; ".join(f"{k}: {v}" for k, v in excluded.items())
    return (f"Đã đọc {rows['read']} {noun}: dùng {rows['used']}, loại {n_ex}"
            + (f" ({detail})" if detail else ""))


def mapping_tables(mapping: list[dict[str, Any]], source: str = "cases") -> list[Table]:
    """One table per file: column letter, header as printed, the field it feeds and how."""
    from ttkhc_cli.fields import label

    tables: dict[tuple, Table] = {}
    for m in mapping:
        key = (m["file"], m["sheet"])
        if key not in tables:
            title = f"Ánh xạ cột: {m['file']}" + (f" [{m['sheet']}]" if m["sheet"] else "")
            t = tables[key] = Table(title=title, title_justify="left")
            for h in ("Cột", "Tiêu đề", "Trường", "Cách nhận"):
                t.add_column(h)
        if m["field"]:
            field = f"{label(source, m['field'])} ({m['field']})"
        elif m["suggestion"]:
            field = f"gợi ý: {label(source, m['suggestion'])} ({m['suggestion']})"
        else:
            field = "—"
        tables[key].add_row(m["column"], m["header"], field, RULE_LABELS.get(m["rule"], m["rule"]))
    return list(tables.values())


def findings_summary(counts: dict[str, int], by_code: dict[str, int]) -> str:
    codes = ", ".join(f"{c}: {n}" for c, n in sorted(by_code.items(), key=lambda kv: -kv[1]))
    return f"Lỗi: {counts.get('error', 0)} · Cảnh báo: {counts.get('warning', 0)}" + (f" ({codes})" if codes else "")


def findings_table(findings: list[dict[str, Any]], limit: int) -> Table:
    table = Table(title_justify="left")
    for h in ("Mức", "Mã", "Tệp", "Trang tính", "Dòng", "Cột", "Giá trị", "Nội dung"):
        table.add_column(h, overflow="fold")
    for f in findings[:limit]:
        col = f"{f['column']} ({f['header']})" if f["column"] and f["header"] else (f["header"] or "")
        style = "red" if f["severity"] == "error" else "yellow"
        table.add_row(
            Text(SEVERITY_LABELS.get(f["severity"], f["severity"]), style=style), f["code"], f["file"] or "",
            f["sheet"] or "", "" if f["row"] is None else str(f["row"]), col,
            "" if f["value"] is None else str(f["value"]), f["message"],
        )
    return table
