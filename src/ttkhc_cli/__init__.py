"""ttkhc: KPI tables and quarterly reports from one-stop (TTHC) case logs."""

__version__ = "0.1.0"
