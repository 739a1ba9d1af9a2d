"""Counting with the compiled plan on any SQL backend (DuckDB, Spark): the engine side of ``Counter``.

A backend holds the logs as tables (``cases_raw``, ``feedback_raw``, ``documents_raw``) and the
working-day ``calendar``; it runs a sqlglot tree in its dialect and returns rows.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from ttkhc_cli.domain.periods import Period
from ttkhc_cli.engines import sqlplan
from ttkhc_cli.kpi.compute import Counter, EngineFactory, Sources, group_order
from ttkhc_cli.kpi.plan import Indicator, LoadedTargets

# The dates whose years the working-day calendar must cover (appointments included).
DATE_COLUMNS = {"cases": ("received_at", "submitted_at", "due_at", "completed_at", "returned_at"),
                "feedback": ("received_at", "handled_at", "due_at"), "documents": ("date",)}


@dataclass
class Table:
    """A log as DuckDB sees it: a frame or Arrow table in memory, or Parquet files."""

    source: str
    present: set[str]
    frame: Any = None  # pandas DataFrame or pyarrow Table
    parquet: list[str] = field(default_factory=list)  # paths or globs
    # A dataset whose sources repeat dossiers: each part with its source's order, and the columns
    # of the parts; the backend keeps a dossier's row from the latest source (``latest_rows``).
    ranked: list[tuple[int, str]] = field(default_factory=list)
    columns: list[str] = field(default_factory=list)


def latest_rows(table: Table) -> Any:
    """The rows of ``<source>_ranked`` (the parts, with each row's ``_rank``) that are the latest of
    their dossier: the rule of two files, a dossier is its id within its unit and the later
    source's row is kept. A row without an id is always kept. One query for every backend."""
    from sqlglot import exp

    from ttkhc_cli.domain import fields as F

    id_field = F.FIELDS[table.source][0].name
    window = exp.Window(this=exp.func("ROW_NUMBER"), partition_by=[exp.column(id_field), exp.column("unit")],
                        order=exp.Order(expressions=[exp.Ordered(this=exp.column("_rank"), desc=True)]))
    inner = exp.select(*[exp.column(c) for c in table.columns], exp.alias_(window, "_n")).from_(
        f"{table.source}_ranked")
    first = exp.EQ(this=exp.column("_n"), expression=exp.Literal.number(1))
    keep = exp.or_(exp.column(id_field).is_(exp.null()), first)
    return exp.select(*[exp.column(c) for c in table.columns]).from_(inner.subquery("r")).where(keep)


class SqlEngine(Counter):
    """Counting with the compiled plan on a SQL backend (DuckDB here; Spark shares the plan)."""

    def __init__(self, targets: LoadedTargets, sources: Sources, as_of: dt.date, backend: Any, name: str):
        super().__init__(targets, sources, as_of)
        self.backend = backend
        self.name = name

    def countable(self, source: str) -> bool:
        return source in self.backend.tables

    def splittable(self, by: str) -> set[str]:
        return {s for s, t in self.backend.tables.items() if sqlplan.group_key(s, by, t.present) is not None}

    def _lacking(self, ind: Indicator) -> list[sqlplan.Lacking]:
        return [sqlplan.Lacking(info.file, info.sheet) for info in self.lacking(ind)]

    def counts(self, inds: list[Indicator], period: Period,
               by: str | None = None) -> dict[str | None, dict[str, tuple[int, int]]]:
        plan = self.targets.file
        found: dict[str | None, dict[str, tuple[int, int]]] = {}
        split: list[list[Indicator]] = []
        for source, table in self.backend.tables.items():
            mine = [i for i in inds if i.count.source == source]
            if by and sqlplan.group_key(source, by, table.present) is None:
                continue
            split.append(mine)
            if not mine:
                if by:  # the log still brings its groups, every figure zero
                    q = sqlplan.count_query(plan, source, [], period, self.as_of, table.present,
                                            f"{source}_raw", by)
                    assert q is not None
                    for row in self.backend.run(q.tree):
                        found.setdefault(row[0], {})
                continue
            lacking = {i.id: self._lacking(i) for i in mine}
            q = sqlplan.count_query(plan, source, mine, period, self.as_of, table.present, f"{source}_raw", by,
                                    lacking)
            assert q is not None
            for row in self.backend.run(q.tree):
                key, values = (row[0], row[1:]) if by else (None, row)
                figures = found.setdefault(key, {})
                for n, ident in enumerate(q.indicators):
                    figures[ident] = (int(values[2 * n + 1]), int(values[2 * n]))
        if not by:
            return {None: found.get(None, {})}
        out: dict[str | None, dict[str, tuple[int, int]]] = {}
        for key in group_order(found):
            figures = dict(found[key])
            for group in split:
                for ind in group:
                    figures.setdefault(ind.id, (0, 0))
            out[key] = figures
        return out

    def derived(self, source: str) -> pd.DataFrame:
        """The derived log (for Biểu 06 and the late list of the report)."""
        table = self.backend.tables[source]
        return self.backend.frame(sqlplan.derived_query(self.targets.file, source, self.as_of, table.present,
                                                        f"{source}_raw"))




def sql_engine_factory(backend: Any, name: str) -> EngineFactory:
    def make(targets: LoadedTargets, sources: Sources, as_of: dt.date) -> Counter:
        return SqlEngine(targets, sources, as_of, backend, name)
    return make


def date_range(tables: dict[str, Table], columns: dict[str, tuple[str, ...]],
               first_row: Any, cache: dict[tuple[str, str], tuple[Any, Any]] | None = None) -> tuple[dt.date | None,
                                                                                                   dt.date | None]:
    """The first and last of the given date columns over every table, whatever the backend:
    ``first_row`` runs a query and returns its one row. With ``cache``, one scan reads every
    date column of DATE_COLUMNS once (the calendar's years and the data's span are both
    answered from it) and later calls read no data."""
    if cache is None:
        cache = {}
    if not cache:
        for t in tables.values():
            cols = [c for c in DATE_COLUMNS.get(t.source, ()) + columns.get(t.source, ()) if c in t.present]
            cols = list(dict.fromkeys(cols))
            if not cols:
                continue
            parts = ", ".join(f"min({c}), max({c})" for c in cols)  # our own column names
            row = first_row(f"SELECT {parts} FROM {t.source}_raw")
            cache.update({(t.source, c): (row[2 * k], row[2 * k + 1]) for k, c in enumerate(cols)})
    values: list[dt.date] = []
    for (source, column), pair in cache.items():
        if column in columns.get(source, ()):
            values += [v.date() if isinstance(v, dt.datetime) else v for v in pair if v is not None]
    return (min(values), max(values)) if values else (None, None)
