"""Counting with the compiled plan on any SQL backend (DuckDB, Spark): the engine side of ``Counter``.

A backend holds the logs as tables (``cases_raw``, ``feedback_raw``, ``documents_raw``) and the
working-day ``calendar``; it runs a query's text in its ``dialect`` and returns rows or a frame.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from ttkhc_cli.domain.periods import Period
from ttkhc_cli.io import textcache
from ttkhc_cli.kpi.compute import Counter, EngineFactory, Sources, group_column, group_order
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
    """Counting with the compiled plan on a SQL backend (DuckDB, or Spark with the same plan).

    The engine only counts and lists; what a figure means (entered, missing, no data, the
    verdict) is decided once in ``Counter``. Each query's text comes from the cache when the same
    plan, columns, period and as-of date asked for it before (``io.textcache``): such a run
    builds no sqlglot tree and does not even import sqlglot."""

    def __init__(self, targets: LoadedTargets, sources: Sources, as_of: dt.date, backend: Any, name: str):
        super().__init__(targets, sources, as_of)
        self.backend = backend
        self.name = name
        self._derived: dict[str, pd.DataFrame] = {}

    def countable(self, source: str) -> bool:
        return source in self.backend.tables

    def splittable(self, by: str) -> set[str]:
        return {s for s, t in self.backend.tables.items() if group_column(by, t.present) is not None}

    def _sql(self, kind: str, source: str, parts: tuple[object, ...], build: Callable[[Any, Table], Any]) -> str:
        """A query's text in the backend's dialect: from the cache, else ``build(sqlplan, table)``
        rendered (the plan's module imported only then: a cached run needs no sqlglot)."""
        dialect = self.backend.dialect
        table = self.backend.tables[source]
        key = (kind, plan_key(self.targets.file), source, tuple(sorted(table.present)), self.as_of, *parts)

        def render() -> str:
            from ttkhc_cli.engines import sqlplan

            return str(sqlplan.for_dialect(build(sqlplan, table), dialect).sql(dialect=dialect))

        return textcache.cached(f"sql-{dialect}", key, render)

    def counts(self, inds: list[Indicator], period: Period,
               by: str | None = None) -> dict[str | None, dict[str, tuple[int, int]]]:
        found: dict[str | None, dict[str, tuple[int, int]]] = {}
        split: list[list[Indicator]] = []
        for source, table in self.backend.tables.items():
            mine = [i for i in inds if i.count.source == source]
            if by and group_column(by, table.present) is None:
                continue
            split.append(mine)
            if not mine and not by:
                continue
            # With no indicator of its own, a log still brings its groups, every figure zero.
            for row in self.backend.run_sql(self._count_sql(source, mine, period, by)):
                key, values = (row[0], row[1:]) if by else (None, row)
                figures = found.setdefault(key, {})
                for n, ind in enumerate(mine):
                    figures[ind.id] = (int(values[2 * n + 1]), int(values[2 * n]))
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

    def _count_sql(self, source: str, mine: list[Indicator], period: Period, by: str | None) -> str:
        lacking = {i.id: [(t.file, t.sheet) for t in self.lacking(i)] for i in mine}

        def build(sqlplan: Any, table: Table) -> Any:
            tables = {k: [sqlplan.Lacking(f, s) for f, s in v] for k, v in lacking.items()}
            q = sqlplan.count_query(self.targets.file, source, mine, period, self.as_of, table.present,
                                    f"{source}_raw", by, tables, lean=True)
            assert q is not None  # the caller checked that ``by`` splits this log
            return q.tree

        parts = (tuple(i.id for i in mine), period.start, period.end, by, tuple(sorted(lacking.items())))
        return self._sql("count", source, parts, build)

    def derived(self, source: str) -> pd.DataFrame:
        """The derived log, every row in the log's order (Biểu 06, the late list, the worklist)."""
        if source not in self._derived:
            self._derived[source] = self.rows(source)[0]
        return self._derived[source]

    def rows(self, source: str, where: str | None = None, columns: tuple[str, ...] | None = None,
             limit: int | None = None, values: dict[str, Any] | None = None) -> tuple[pd.DataFrame, int]:
        """The first ``limit`` derived rows ``where`` selects (one of our own conditions, its
        ``:placeholders`` filled from ``values``), in the log's order, and how many it selects."""
        def build(sqlplan: Any, table: Table) -> Any:
            return sqlplan.rows_query(self.targets.file, source, self.as_of, table.present, f"{source}_raw",
                                      where, columns, limit, values)

        given = tuple(sorted((values or {}).items()))
        frame = self.backend.frame_sql(self._sql("rows", source, (where, columns, limit, given), build))
        if limit is None:
            return frame, len(frame)
        total = int(frame["_total"].iloc[0]) if len(frame) else 0
        return frame.drop(columns=["_total"]), total

    def kinds(self, source: str, kinds: dict[str, str], columns: tuple[str, ...],
              limit: int) -> dict[str, tuple[pd.DataFrame, int]]:
        """For each kind (a name and one of our own conditions, disjoint), its first ``limit``
        derived rows in the log's order and how many there are: one pass over the rows."""
        def build(sqlplan: Any, table: Table) -> Any:
            return sqlplan.kinds_query(self.targets.file, source, self.as_of, table.present, f"{source}_raw", kinds,
                                       columns, limit)

        frame = self.backend.frame_sql(self._sql("kinds", source, (tuple(kinds.items()), columns, limit), build))
        out = {}
        for name in kinds:
            mine = frame[frame["_kind"] == name]
            total = int(mine["_total"].iloc[0]) if len(mine) else 0
            out[name] = (mine.drop(columns=["_kind", "_total", "_n"]).reset_index(drop=True), total)
        return out

    def form06(self, period: Period, by_unit: bool, no_sector: str, no_unit: str) -> pd.DataFrame:
        """Biểu 06's counts per sector (and unit), and the dossiers whose timing is unknown."""
        def build(sqlplan: Any, table: Table) -> Any:
            return sqlplan.form06_query(self.targets.file, self.as_of, table.present, "cases_raw", period, by_unit,
                                        no_sector, no_unit)

        parts = (period.start, period.end, by_unit, no_sector, no_unit)
        return self.backend.frame_sql(self._sql("form06", "cases", parts, build))

    def late_rows(self, period: Period) -> pd.DataFrame:
        """The derived rows of the report's late list, in the log's order, with ``late_days``."""
        def build(sqlplan: Any, table: Table) -> Any:
            return sqlplan.late_query(self.targets.file, self.as_of, table.present, "cases_raw", period)

        return self.backend.frame_sql(self._sql("late", "cases", (period.start, period.end), build))

    def units(self) -> list[str]:
        """The units the case log names (a consolidation has several)."""
        if "unit" not in self.backend.tables["cases"].present:
            return []
        got = self.backend.run_sql("SELECT DISTINCT CAST(unit AS VARCHAR) FROM cases_raw WHERE unit IS NOT NULL")
        return sorted(str(r[0]) for r in got)

    def listed(self, ind: Indicator, period: Period, everything: bool = False,
               limit: int | None = None) -> tuple[pd.DataFrame, int]:
        """The derived rows of the indicator's denominator not in its numerator (``everything``: all
        of them, ``_in`` saying which are in), in file and row order, at most ``limit``; and how
        many there are in all."""
        source = ind.count.source
        lacking = [(t.file, t.sheet) for t in self.lacking(ind)]

        def build(sqlplan: Any, table: Table) -> Any:
            return sqlplan.listing_query(self.targets.file, ind, period, self.as_of, table.present,
                                         f"{source}_raw", [sqlplan.Lacking(f, s) for f, s in lacking],
                                         everything, limit)

        parts = (ind.id, period.start, period.end, tuple(lacking), everything, limit)
        frame = self.backend.frame_sql(self._sql("listed", source, parts, build))
        total = int(frame["_total"].iloc[0]) if len(frame) else 0
        return frame.drop(columns=["_total", "_den", "_num", "_key"], errors="ignore"), total


_PLAN_KEYS: dict[int, tuple[Any, str]] = {}


def plan_key(plan: Any) -> str:
    """A target file's content hash (its model as JSON): the queries of two equal plans are equal."""
    kept = _PLAN_KEYS.get(id(plan))
    if kept is None or kept[0] is not plan:
        import hashlib

        kept = (plan, hashlib.sha256(plan.model_dump_json().encode()).hexdigest())
        _PLAN_KEYS[id(plan)] = kept
    return kept[1]


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
