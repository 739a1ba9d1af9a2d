"""Results as the JSON the commands print, for tests that compare figures by key."""

from __future__ import annotations

from typing import Any


def dumped(result: Any) -> dict[str, Any]:
    return result.model_dump(mode="json")


def dumped_report(pair: tuple[Any, Any]) -> tuple[Any, dict[str, Any]]:
    """`api.validate_files`' (log, report) with the report as its JSON."""
    log, report = pair
    return log, report.model_dump(mode="json")
