"""Entered figures (--inputs) for indicators no log holds: ``III.1: {numerator: 12, denominator: 12}``."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ttkhc_cli.domain.errors import UsageError
from ttkhc_cli.io.yamlfile import YamlProblem, load_with_lines
from ttkhc_cli.kpi.plan import TargetFile


@dataclass(frozen=True)
class Figure:
    numerator: int
    denominator: int
    note: str | None = None


def load(path: str | Path | None, targets: TargetFile) -> dict[str, Figure]:
    if path is None:
        return {}
    shown = str(path)
    try:
        data, lines = load_with_lines(Path(path).read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        raise UsageError(f"{shown}: không tìm thấy tệp số liệu nhập") from None
    except YamlProblem as exc:
        raise UsageError(f"{shown}:{exc.line}: {exc}") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise UsageError(f"{shown}: cần dạng III.1: {{numerator: 12, denominator: 12}}")
    known = {i.id for i in targets.indicators}
    out: dict[str, Figure] = {}
    problems = []
    for key, value in data.items():
        where = f"{shown}:{lines.get((key,), '?')}: {key}"
        if str(key) not in known:
            problems.append(f"{where}: không có chỉ tiêu này trong tệp chỉ tiêu")
            continue
        if not isinstance(value, dict) or not {"numerator", "denominator"} <= set(value) or set(value) - {"numerator", "denominator", "note"}:
            problems.append(f"{where}: cần numerator và denominator (và note nếu muốn)")
            continue
        num, den = value["numerator"], value["denominator"]
        if not all(isinstance(x, int) and not isinstance(x, bool) and x >= 0 for x in (num, den)):
            problems.append(f"{where}: numerator và denominator phải là số nguyên không âm")
        elif num > den:
            problems.append(f"{where}: tử số {num} lớn hơn mẫu số {den}")
        else:
            out[str(key)] = Figure(num, den, value.get("note"))
    if problems:
        raise UsageError("\n".join(problems))
    return out
