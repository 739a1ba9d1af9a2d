"""SQL engines: the plan compiled once (``sqlplan``), run by DuckDB on one machine or by Spark."""
