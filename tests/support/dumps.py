"""Results as the JSON the commands print, for tests that compare figures by key."""

from __future__ import annotations

from typing import Any


def dumped(result: Any) -> dict[str, Any]:
    return result.model_dump(mode="json")


def dumped_report(pair: tuple[Any, Any]) -> tuple[Any, dict[str, Any]]:
    """`api.validate_files`' (log, report) with the report as its JSON."""
    log, report = pair
    return log, report.model_dump(mode="json")


def computed(request: Any, engines: tuple[str, ...] = ("duckdb",)) -> dict[str, Any]:
    """`api.compute_files` on the engines given (DuckDB; Spark too where a test asks), which must
    agree to the last figure; the JSON returned."""
    import dataclasses

    from ttkhc_cli import api

    results = [dumped(api.compute_files(dataclasses.replace(request, engine=e))) for e in engines]
    for engine, other in zip(engines[1:], results[1:]):
        assert other == results[0], f"{engine} differs from {engines[0]}"
    return results[0]
