"""Mapping an export's headers to canonical fields, with every decision shown to the user.

Exact alias matches decide; a fuzzy match only suggests. A ``--columns`` file overrides both:
``columns: {received_at: "Ngày nhận HS", channel: ["Kênh", "Hình thức"]}``.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path

from ttkhc_cli.domain import fields as F
from ttkhc_cli.domain.errors import UsageError
from ttkhc_cli.io.headers import match_field
from ttkhc_cli.io.yamlfile import YamlProblem, load_with_lines


@dataclass(frozen=True)
class Mapped:
    index: int  # column position in the raw table
    header: str
    column: str  # Excel column letter
    field: str | None
    rule: str  # alias | override | unmapped | duplicate
    suggestion: str | None = None


def load_overrides(path: str | Path | None) -> dict[str, list[str]]:
    """Read a --columns file: canonical field -> header text(s)."""
    if path is None:
        return {}
    p = Path(path)
    try:
        data, lines = load_with_lines(p.read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        raise UsageError(f"{path}: không tìm thấy tệp ánh xạ cột") from None
    except YamlProblem as exc:
        raise UsageError(f"{path}:{exc.line}: {exc}") from None
    if not isinstance(data, dict) or set(data) != {"columns"} or not isinstance(data["columns"], dict):
        raise UsageError(f"{path}: tệp ánh xạ cột cần dạng columns: {{received_at: \"Ngày nhận HS\"}}")
    known = {f.name for fs in F.FIELDS.values() for f in fs}
    out: dict[str, list[str]] = {}
    for name, headers in data["columns"].items():
        if name not in known:
            raise UsageError(f"{path}:{lines.get(('columns', name), '?')}: columns → {name}: không có trường này")
        values = headers if isinstance(headers, list) else [headers]
        out[name] = [str(h) for h in values]
    return out


def map_headers(labels: list[str], letters: list[str], source: str,
                overrides: dict[str, list[str]] | None = None) -> list[Mapped]:
    """Decide the field of every column; the first column wins when two name one field."""
    table = F.alias_table(source)
    own = {f.name for f in F.FIELDS[source]}
    forced: dict[str, str] = {}
    for name, heads in (overrides or {}).items():
        if name in own:
            for h in heads:
                forced[F.alias_key(h)] = name
    taken: set[str] = set()
    out: list[Mapped] = []
    for i, (label, letter) in enumerate(zip(labels, letters)):
        label = (label or "").strip()
        key = F.alias_key(label)
        if not key:
            out.append(Mapped(i, label, letter, None, "blank"))
            continue
        field, rule = (forced[key], "override") if key in forced else (match_field(label, table), "alias")
        if field is not None and field in taken:
            out.append(Mapped(i, label, letter, None, "duplicate", field))
        elif field is not None:
            taken.add(field)
            out.append(Mapped(i, label, letter, field, rule))
        else:
            out.append(Mapped(i, label, letter, None, "unmapped", _suggest(key, table)))
    return out


def _suggest(key: str, table: dict[str, str]) -> str | None:
    close = difflib.get_close_matches(key, list(table), n=1, cutoff=0.85)
    return table[close[0]] if close else None
