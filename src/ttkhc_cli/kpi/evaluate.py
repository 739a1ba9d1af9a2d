"""Evaluating a parsed filter over a canonical frame, vectorised (one boolean array per test)."""

from __future__ import annotations

import datetime as dt
import operator
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ttkhc_cli.domain import fields as F
from ttkhc_cli.domain.folding import fold
from ttkhc_cli.kpi import rules as X

if TYPE_CHECKING:
    from ttkhc_cli.kpi.plan import Count

_OPS: dict[str, Callable[[Any, Any], Any]] = {
    "=": operator.eq,
    "!=": operator.ne,
    ">": operator.gt,
    ">=": operator.ge,
    "<": operator.lt,
    "<=": operator.le,
}
_TEXT_KINDS = {"text", "id"}


def evaluate(node: X.Node, frame: pd.DataFrame, source: str) -> np.ndarray:
    n = len(frame)
    kinds = {name: f.kind for name, f in F.field_index(source).items()}
    folded: dict[str, pd.Series] = {}

    def text(name: str) -> pd.Series:
        if name not in folded:
            col = frame[name]
            codes, uniques = pd.factorize(col, use_na_sentinel=True)
            keys = np.array([*(fold(u) for u in uniques), None], dtype=object)  # code -1 (blank): None
            folded[name] = pd.Series(keys[codes], index=frame.index, dtype=object)
        return folded[name]

    def go(node: X.Node) -> np.ndarray:
        if isinstance(node, X.All):
            return np.ones(n, dtype=bool)
        if isinstance(node, X.BoolOp):
            parts = [go(a) for a in node.args]
            return np.logical_and.reduce(parts) if node.op == "and" else np.logical_or.reduce(parts)
        if isinstance(node, X.Not):
            return ~go(node.arg)
        name = node.field
        if name not in frame:
            return np.zeros(n, dtype=bool)
        kind = kinds[name]
        col = text(name) if kind in _TEXT_KINDS else frame[name]
        if isinstance(node, X.Truthy):
            return col.fillna(False).to_numpy(dtype=bool)
        if isinstance(node, X.IsEmpty):
            empty = col.isna().to_numpy()
            if kind in _TEXT_KINDS:
                empty = empty | (col == "").to_numpy()
            return ~empty if node.negate else empty
        if isinstance(node, X.Contains):
            hit = col.fillna("").str.contains(node.text, regex=False).to_numpy(dtype=bool)
            return ~hit if node.negate else hit
        if isinstance(node, X.In):
            hit = col.isin(list(node.values)).to_numpy(dtype=bool)
            return ~hit if node.negate else hit
        if isinstance(node, X.Compare):
            value = node.value
            if kind == "date" and isinstance(value, dt.date):
                value = pd.Timestamp(value)
            if kind in ("money", "number", "date"):
                res = _OPS[node.op](col, value)
                return res.fillna(False).to_numpy(dtype=bool) & col.notna().to_numpy()
            res = _OPS[node.op](col, value).to_numpy(dtype=bool)
            return res & col.notna().to_numpy() if node.op == "=" else res
        raise TypeError(node)  # pragma: no cover

    return go(node)


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
