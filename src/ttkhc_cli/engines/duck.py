"""The DuckDB engine: the compiled plan run in-process, over the logs in memory or a Parquet dataset.

DuckDB scans pandas frames and Arrow tables in place (no copy) and Parquet files by columns and
row groups, with a memory limit it keeps by spilling to disk; a million dossiers take a fraction
of the pandas engine's memory.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
from sqlglot import exp

from ttkhc_cli.domain.calendar import WorkCalendar
from ttkhc_cli.engines.calendar_table import WORKDAYS_SQL, calendar_table, years_around
from ttkhc_cli.engines.sqlengine import DATE_COLUMNS, Table, date_range, sql_engine_factory
from ttkhc_cli.kpi.compute import SPAN_COLUMNS, EngineFactory, Sources


class DuckBackend:
    """One DuckDB connection with the logs and the working-day calendar registered as views."""

    def __init__(self, tables: list[Table], calendar: WorkCalendar, memory_limit: str | None = None,
                 threads: int | None = None):
        import duckdb

        self.con = duckdb.connect()
        if memory_limit:
            self.con.execute("SET memory_limit = ?", [memory_limit])  # a parameter, never text
        if threads:
            self.con.execute(f"SET threads = {int(threads)}")
        self.con.execute("SET preserve_insertion_order = false")
        self.tables = {t.source: t for t in tables}
        for t in tables:
            name = f"{t.source}_raw"
            if t.frame is not None:
                self.con.register(name, t.frame)
            else:
                scan = exp.func("read_parquet", exp.Array(expressions=[exp.Literal.string(p) for p in t.parquet]),
                                exp.EQ(this=exp.column("union_by_name"), expression=exp.true()))
                view = exp.Create(this=exp.to_table(name), kind="VIEW", replace=True,
                                  expression=exp.select("*").from_(scan))
                self.con.execute(view.sql("duckdb"))
        low, high = self._date_range()
        self.con.register("calendar", calendar_table(calendar, *years_around(low, high)))
        self.con.execute(f"CREATE OR REPLACE VIEW workdays AS {WORKDAYS_SQL}")

    def span(self) -> tuple[dt.date | None, dt.date | None]:
        """The first and last date of the data (the whole-data period)."""
        return self._date_range(SPAN_COLUMNS)

    def _date_range(self, columns: dict[str, tuple[str, ...]] = DATE_COLUMNS) -> tuple[dt.date | None, dt.date | None]:
        return date_range(self.tables, columns, lambda sql: self.con.execute(sql).fetchall()[0])

    def run(self, tree: exp.Expr) -> list[tuple]:
        return self.con.execute(tree.sql(dialect="duckdb")).fetchall()

    def frame(self, tree: exp.Expr) -> pd.DataFrame:
        return self.con.execute(tree.sql(dialect="duckdb")).df()

    def close(self) -> None:
        self.con.close()


def tables_of(sources: Sources) -> list[Table]:
    """The logs read in memory, as DuckDB tables (the frames scanned in place)."""
    out = []
    for log in sources.logs():
        present = set(log.present) | {c for c in ("_file", "_sheet", "_row", "unit", "province") if c in log.frame}
        out.append(Table(log.source, present, frame=log.frame))
    return out


def engine_factory(backend: DuckBackend) -> EngineFactory:
    return sql_engine_factory(backend, "duckdb")
