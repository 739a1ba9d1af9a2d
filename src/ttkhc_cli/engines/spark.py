"""The Spark engine: the same compiled plan, transpiled to Spark SQL, for data beyond one machine.

PySpark is an optional extra (``pip install 'ttkhc[spark]'``, and a Java runtime). The logs are
read from a Parquet dataset written by ``ttkhc convert`` (a local path or any URI Spark reads:
``s3a://``, ``hdfs://``…), or, for tests and small runs, from the frames in memory.
"""

from __future__ import annotations

import datetime as dt
import os
from typing import Any

import pandas as pd

from ttkhc_cli.domain.calendar import WorkCalendar
from ttkhc_cli.domain.errors import UsageError
from ttkhc_cli.engines.calendar_table import WORKDAYS_SQL, calendar_table, years_around
from ttkhc_cli.engines.sqlengine import DATE_COLUMNS, Table, date_range, latest_rows, sql_engine_factory
from ttkhc_cli.kpi.compute import SPAN_COLUMNS, EngineFactory, Sources

_SESSION: dict[str, Any] = {}


def session(master: str = "local[*]") -> Any:
    """One Spark session per process (starting one takes seconds); UTC, so that naive times stay as
    written."""
    import warnings

    # PySpark warns that it does not yet support pandas 3 fully; the frames handed over are plain.
    warnings.filterwarnings("ignore", message=".*PySpark does not yet fully support pandas.*")
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        raise UsageError("--engine spark cần PySpark: cài bằng pip install 'ttkhc[spark]' (và Java)") from None
    if master in _SESSION:
        return _SESSION[master]
    os.environ.setdefault("PYSPARK_PYTHON", os.environ.get("PYSPARK_PYTHON", "python3"))
    try:
        spark = (SparkSession.builder.master(master).appName("ttkhc")
                 .config("spark.sql.session.timeZone", "UTC")
                 .config("spark.sql.execution.arrow.pyspark.enabled", "true")
                 .config("spark.ui.enabled", "false")
                 .config("spark.sql.shuffle.partitions", "8")
                 .getOrCreate())
    except Exception as exc:  # noqa: BLE001 - no Java, a cluster out of reach: said plainly
        raise UsageError(f"không khởi động được Spark ({master}): {str(exc).splitlines()[0] if str(exc) else exc}; "
                         "cần Java 17 trở lên") from None
    spark.sparkContext.setLogLevel("ERROR")
    _SESSION[master] = spark
    return spark


class SparkBackend:
    """The logs and the calendar as Spark temporary views; queries transpiled to Spark SQL."""

    dialect = "spark"

    def __init__(self, tables: list[Table], calendar: WorkCalendar, master: str = "local[*]"):
        self.spark = session(master)
        self.tables = {t.source: t for t in tables}
        self._ranges: dict[tuple[str, str], tuple[Any, Any]] = {}  # each date column's first and last, scanned once
        for t in tables:
            name = f"{t.source}_raw"
            if t.frame is not None:
                self.spark.createDataFrame(_plain(t.frame)).createOrReplaceTempView(name)
            elif t.ranked:
                self._ranked(t).createOrReplaceTempView(f"{t.source}_ranked")
                self.spark.sql(latest_rows(t).sql(dialect="spark")).createOrReplaceTempView(name)
            else:
                self.spark.read.option("mergeSchema", "true").parquet(*t.parquet).createOrReplaceTempView(name)
        low, high = self._date_range()
        cal = calendar_table(calendar, *years_around(low, high)).to_pandas()
        self.spark.createDataFrame(cal).createOrReplaceTempView("calendar")
        self.spark.sql(f"CREATE OR REPLACE TEMPORARY VIEW workdays AS {WORKDAYS_SQL}")

    def _ranked(self, t: Table) -> Any:
        """A dataset's parts with each row's source order (``_rank``): one frame per source."""
        from pyspark.sql import functions as sf

        frames = []
        for rank in sorted({r for r, _ in t.ranked}):
            paths = [p for r, p in t.ranked if r == rank]
            frames.append(self.spark.read.option("mergeSchema", "true").parquet(*paths)
                          .withColumn("_rank", sf.lit(rank)))
        out = frames[0]
        for f in frames[1:]:
            out = out.unionByName(f, allowMissingColumns=True)
        return out

    @classmethod
    def of_sources(cls, sources: Sources, calendar: WorkCalendar, master: str = "local[*]") -> SparkBackend:
        from ttkhc_cli.engines.duck import tables_of

        return cls(tables_of(sources), calendar, master)

    def span(self) -> tuple[dt.date | None, dt.date | None]:
        """The first and last date of the data (the whole-data period)."""
        return self._date_range(SPAN_COLUMNS)

    def _date_range(self, columns: dict[str, tuple[str, ...]] = DATE_COLUMNS) -> tuple[dt.date | None, dt.date | None]:
        return date_range(self.tables, columns, lambda sql: self.spark.sql(sql).collect()[0], self._ranges)

    dialect = "spark"

    def run_sql(self, sql: str) -> list[tuple]:
        return [tuple(r) for r in self.spark.sql(sql).collect()]

    def frame_sql(self, sql: str) -> pd.DataFrame:
        return self.spark.sql(sql).toPandas()



def _plain(frame: pd.DataFrame) -> pd.DataFrame:
    """A canonical frame Spark can take: categories as text, no raw-cell columns, times as
    microsecond timestamps."""
    out = {}
    for c in frame.columns:
        if str(c).startswith("_raw:"):
            continue
        col = frame[c]
        if isinstance(col.dtype, pd.CategoricalDtype) or pd.api.types.is_string_dtype(col.dtype):
            col = col.astype(object).where(col.notna(), None)
        elif pd.api.types.is_datetime64_any_dtype(col.dtype):
            col = col.astype("datetime64[us]")
        out[c] = col
    return pd.DataFrame(out)


def engine_factory(backend: SparkBackend) -> EngineFactory:
    return sql_engine_factory(backend, "spark")
