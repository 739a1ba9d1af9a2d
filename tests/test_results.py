"""Typed results: the JSON the commands print is the models' dump, and its schema is published."""

from __future__ import annotations

import json

import pytest
from caselog import done, write
from conftest import ROOT

from ttkhc_cli import api
from ttkhc_cli.kpi.results import ComputeResult, IndicatorResult, ValidationReport

SAMPLE = ROOT / "sample_data" / "so-theo-doi-ho-so-2024.xlsx"
INPUTS = ROOT / "sample_data" / "so-lieu-nhap-2024.yaml"


def test_compute_json_is_the_result_model_and_reads_back(invoke):
    out = invoke("compute", SAMPLE, "--inputs", INPUTS, "--period", "2024-Q1", "--by", "month", "-f", "json", "-q")
    assert out.exit_code == 1  # the sample fails some indicators on purpose
    again = ComputeResult.model_validate_json(out.stdout)
    assert json.loads(out.stdout) == again.model_dump(mode="json")
    assert again.groups is not None and [g.key for g in again.groups.items] == ["2024-01", "2024-02", "2024-03"]
    assert all(g.period is not None for g in again.groups.items)
    assert isinstance(again.indicator("IV.1"), IndicatorResult)


def test_parts_a_run_does_not_have_are_left_out_not_null(tmp_path):
    result = api.compute_files(api.Request((write(tmp_path / "a.csv", [done("02/01/2024", "03/01/2024")]),)))
    data = result.model_dump(mode="json")
    assert "groups" not in data and "mapping" not in data and "coverage" not in data
    assert data["findings"]["error"] == 0 and data["as_of"] == "2024-01-03"
    assert data["indicators"][0]["note"] is None or isinstance(data["indicators"][0]["note"], str)
    rows = [done("02/01/2024", "03/01/2024", department="Tư pháp")]
    by = api.compute_files(api.Request((write(tmp_path / "b.csv", rows),), by="department")).model_dump(mode="json")
    assert "period" not in by["groups"]["items"][0]  # only months carry their own period


def test_results_are_immutable(tmp_path):
    result = api.compute_files(api.Request((write(tmp_path / "a.csv", [done("02/01/2024", "03/01/2024")]),)))
    with pytest.raises(Exception):
        result.indicators[0].status = "pass"  # type: ignore[misc]


@pytest.mark.parametrize("command,model", [("compute", ComputeResult), ("validate", ValidationReport)])
def test_schema_option_prints_the_json_schema_without_a_file(invoke, command, model):
    out = invoke(command, "--schema")
    assert out.exit_code == 0
    schema = json.loads(out.stdout)
    assert schema == model.model_json_schema(mode="serialization")
    assert set(schema["required"]) <= set(schema["properties"])
    if command == "compute":
        assert "groups" not in schema["required"] and "indicators" in schema["required"]
        status = schema["$defs"]["IndicatorResult"]["properties"]["status"]
        assert status["enum"] == ["pass", "fail", "no_data", "not_applicable"]


def test_validate_json_is_the_report_model(invoke, tmp_path):
    path = write(tmp_path / "a.csv", [done("05/01/2024", "03/01/2024")])
    out = invoke("validate", path, "-f", "json", "-q")
    assert out.exit_code == 1
    report = ValidationReport.model_validate_json(out.stdout)
    assert [f.code for f in report.findings if f.severity == "error"] == ["completed-before-received"]
    assert report.counts.error == 1
    assert json.loads(out.stdout) == report.model_dump(mode="json")
