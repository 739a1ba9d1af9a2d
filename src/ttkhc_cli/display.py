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
