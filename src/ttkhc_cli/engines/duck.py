"""The DuckDB engine: the compiled plan run in-process, over the logs in memory or a Parquet dataset.

DuckDB scans pandas frames and Arrow tables in place (no copy) and Parquet files by columns and
row groups, with a memory limit it keeps by spilling to disk; a million dossiers take a fraction
of the pandas engine's memory.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd
from sqlglot import exp

from ttkhc_cli.domain.calendar import WorkCalendar
from ttkhc_cli.domain.errors import InputFileError, OutOfMemory
from ttkhc_cli.engines.calendar_table import WORKDAYS_SQL, calendar_table, years_around
from ttkhc_cli.engines.sqlengine import DATE_COLUMNS, Table, date_range, latest_rows, sql_engine_factory
from ttkhc_cli.io.scratch import run_dir
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
        # Spilled data in the run's folder (removed at exit), never a ".tmp" in the officer's folder.
        self.con.execute("SET temp_directory = ?", [str(run_dir() / "duckdb")])
        self.tables = {t.source: t for t in tables}
        self._ranges: dict[tuple[str, str], tuple[Any, Any]] = {}  # each date column's first and last, scanned once
        for t in tables:
            name = f"{t.source}_raw"
            if t.frame is not None:
                self.con.register(name, t.frame)
            elif t.ranked:
                self._view(f"{t.source}_ranked", _ranked_scan(t))
                self._view(name, latest_rows(t))
            else:
                scan = exp.func("read_parquet", exp.Array(expressions=[exp.Literal.string(p) for p in t.parquet]),
                                exp.EQ(this=exp.column("union_by_name"), expression=exp.true()))
                self._view(name, exp.select("*").from_(scan))
        low, high = self._date_range()
        self.con.register("calendar", calendar_table(calendar, *years_around(low, high)))
        self.con.execute(f"CREATE OR REPLACE VIEW workdays AS {WORKDAYS_SQL}")

    def _view(self, name: str, query: exp.Expr) -> None:
        view = exp.Create(this=exp.to_table(name), kind="VIEW", replace=True, expression=query)
        self.con.execute(view.sql("duckdb"))

    def span(self) -> tuple[dt.date | None, dt.date | None]:
        """The first and last date of the data (the whole-data period)."""
        return self._date_range(SPAN_COLUMNS)

    def _date_range(self, columns: dict[str, tuple[str, ...]] = DATE_COLUMNS) -> tuple[dt.date | None, dt.date | None]:
        return date_range(self.tables, columns, lambda sql: self._execute(sql).fetchall()[0], self._ranges)

    def run(self, tree: exp.Expr) -> list[tuple]:
        return self._execute(tree.sql(dialect="duckdb")).fetchall()

    def frame(self, tree: exp.Expr) -> pd.DataFrame:
        return self._execute(tree.sql(dialect="duckdb")).df()

    def _execute(self, sql: str) -> Any:
        import duckdb

        try:
            return self.con.execute(sql)
        except duckdb.OutOfMemoryException:
            raise OutOfMemory("DuckDB") from None
        except duckdb.Error:
            damaged = _damaged_part([p for t in self.tables.values() for p in t.parquet])
            if damaged is None:
                raise
            raise damaged from None

    def close(self) -> None:
        self.con.close()


def _damaged_part(parts: list[str]) -> InputFileError | None:
    """The first dataset part whose pages cannot be decoded (its footer read, so open_dataset
    kept it), as the one-line error a query over it ends in; None if every part decodes."""
    import pyarrow.parquet as pq

    for part in parts:
        try:
            reader = pq.ParquetFile(part)
            for i in range(reader.num_row_groups):
                reader.read_row_group(i)
        except Exception as exc:  # noqa: BLE001 - any decoding failure names the part
            reason = str(exc).splitlines()[0][:120] if str(exc) else type(exc).__name__
            return InputFileError(f"{part}: tệp của bộ dữ liệu bị hỏng ({reason}); chuyển lại tệp nguồn bằng "
                                  "ttkhc convert, hoặc xóa tệp này cùng mục của nó trong manifest.json")
    return None


def _ranked_scan(t: Table) -> exp.Select:
    """A dataset's parts with each row's source order (``_rank``), from the file it was read from."""
    scan = exp.func("read_parquet", exp.Array(expressions=[exp.Literal.string(p) for _, p in t.ranked]),
                    exp.EQ(this=exp.column("union_by_name"), expression=exp.true()),
                    exp.EQ(this=exp.column("filename"), expression=exp.true()))
    rank = exp.Case(ifs=[exp.If(this=exp.EQ(this=exp.column("filename"), expression=exp.Literal.string(p)),
                                true=exp.Literal.number(r)) for r, p in t.ranked])
    return exp.select("*", exp.alias_(rank, "_rank")).from_(scan)


def tables_of(sources: Sources) -> list[Table]:
    """The logs read in memory, as DuckDB tables (the frames scanned in place)."""
    out = []
    for log in sources.logs():
        present = set(log.present) | {c for c in ("_file", "_sheet", "_row", "unit", "province") if c in log.frame}
        out.append(Table(log.source, present, frame=log.frame))
    return out


def engine_factory(backend: DuckBackend) -> EngineFactory:
    return sql_engine_factory(backend, "duckdb")
