"""What a count needs of its log: the raw fields (any one of each group) without which an
indicator has no data, named to the officer as the columns the file lacks."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ttkhc_cli.domain import fields as F
from ttkhc_cli.kpi import rules as X

if TYPE_CHECKING:
    from ttkhc_cli.kpi.plan import Count


def requirements(node: X.Node, source: str) -> list[tuple[str, ...]]:
    """Any-of groups of raw fields a filter needs; a group with none present means no data."""
    index = F.field_index(source)

    def of(n: X.Node) -> list[tuple[str, ...]]:
        if isinstance(n, X.BoolOp):
            parts = [of(a) for a in n.args]
            if n.op == "and":
                return [g for p in parts for g in p]
            # Either side may hold: the log needs a column of one of them. A side that needs no
            # column (returns_document, from the plan) does not make the rest optional.
            either = tuple(dict.fromkeys(x for p in parts for g in p for x in g))
            return [either] if either else []
        if isinstance(n, X.Not):
            return of(n.arg)
        if isinstance(n, X.All):
            return []
        f = index[n.field]
        if isinstance(f, F.Derived):
            return list(f.requires)
        return [] if n.field == "level" else [(n.field,)]  # no level column: the unit's own level

    groups: list[tuple[str, ...]] = []
    for g in of(node):
        if g not in groups:
            groups.append(g)
    return groups


# The raw fields that put a row of each log in a period, by the count's ``period_by``.
_BASIS: dict[str, dict[str, tuple[str, ...]]] = {
    "cases": {
        "received": ("received_at", "submitted_at"),
        "completed": ("completed_at", "returned_at"),
        "resolved": ("completed_at", "returned_at"),
        "processed": ("received_at", "submitted_at"),
    },
    "feedback": {"received": ("received_at",), "completed": ("handled_at",), "resolved": ("handled_at",),
                 "processed": ("received_at",)},
    "documents": {"received": ("date",), "completed": ("date",), "resolved": ("date",), "processed": ("date",)},
}
PROCEDURE_KEYS = ("procedure_code", "procedure_name")


def missing_for(count: Count, present: set[str], has_procedure_days: bool = False) -> list[tuple[str, ...]]:
    """Any-of groups of raw fields a count needs that its log lacks: each a reason for "no data"."""
    groups = requirements(count.denominator_node(), count.source) + requirements(count.numerator_node(), count.source)
    basis = _BASIS.get(count.source, {}).get(count.period_by)
    if basis:
        groups.append(basis)
    if count.per == "procedure":
        groups.append(PROCEDURE_KEYS)
    out: list[tuple[str, ...]] = []
    for g in groups:
        if any(x in present for x in g) or ("_procedure_days" in g and has_procedure_days):
            continue
        g = tuple(x for x in g if x != "_procedure_days")
        if g not in out:
            out.append(g)
    return out
