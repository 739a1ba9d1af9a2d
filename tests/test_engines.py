"""The one compiled plan gives the figures it gave before, on every engine and every input.

The sample year by every group and in both windows, its report, `explain` and `validate`
against the figures the retired pandas engine counted (``tests/fixtures/golden``); several
generated communes converted into one dataset against each commune counted alone; and the SQL
that `ttkhc sql` prints, run as printed. Spark (local mode) runs the same plan where Java is
installed; elsewhere its tests are skipped with the reason. The timing table of thirty-eight
hand-worked dossiers is in ``test_timing_rules``.
"""

from __future__ import annotations

import dataclasses
import json
import shutil
from pathlib import Path

import duckdb
import golden
import pandas as pd
import pytest
import synthetic as S
from conftest import ROOT
from dumps import computed, dumped

from ttkhc_cli import api
from ttkhc_cli.kpi import plan as plan_file

SAMPLE = ROOT / "sample_data" / "so-theo-doi-ho-so-2024.xlsx"
INPUTS = ROOT / "sample_data" / "so-lieu-nhap-2024.yaml"


# ------------------------------------------------------------------ the sample year against the golden figures

@pytest.mark.parametrize("name, made", [("sample-2024-H1.json", golden.sample_results),
                                        ("report-2024-Q2.json", golden.sample_report),
                                        ("explain-2024-Q3.json", golden.explained),
                                        ("validate.json", golden.validated)])
def test_the_sample_counts_as_before(name, made):
    now = golden.portable(made())
    before = golden.load(name)
    if isinstance(before, dict):
        assert sorted(now) == sorted(before)
        for key in before:
            assert now[key] == before[key], key
    assert now == before


def test_the_golden_figures_are_not_empty():
    results = golden.load("sample-2024-H1.json")
    assert len(results) == 14
    whole = results["calendar/None"]["whole"]
    assert sum(1 for row in whole if row[2]) >= 10  # most indicators have a denominator
    assert golden.load("report-2024-Q2.json")["form06"]
    assert golden.load("explain-2024-Q3.json")["IV.1/True"][0] > 300


# ------------------------------------------------------------------ several communes in one dataset

UNITS = ("Xã A", "Xã B", "Phường C")


@pytest.fixture(scope="module")
def communes(tmp_path_factory):
    """Three communes' logs as CSV exports, and the dataset ``convert`` makes of them."""
    root = tmp_path_factory.mktemp("communes")
    files = []
    for n in range(len(UNITS)):
        frame = S.case_log(700 + 150 * n, 2024, seed=100 + n)
        path = root / f"xa-{n}.csv"
        frame.to_csv(path, index=False, encoding="utf-8-sig")
        files.append(path)
    out = root / "dataset"
    for path, unit in zip(files, UNITS):
        api.convert_files(api.Request((path,)), out, unit)
    return files, out


def test_a_dataset_by_unit_equals_each_commune_computed_alone(communes):
    files, out = communes
    whole = dumped(api.compute_files(api.Request((out,), period="2024-Q3", by="unit")))
    groups = {g["key"]: g["indicators"] for g in whole["groups"]["items"]}
    assert sorted(groups) == sorted(UNITS)
    for path, unit in zip(files, UNITS):
        alone = computed(api.Request((path,), period="2024-Q3"))
        counted = [i for i in alone["indicators"] if i["source"] == "cases"]  # entered figures are not split
        assert [i for i in groups[unit] if i["source"] == "cases"] == counted, unit


def test_a_dataset_by_month_and_department_equals_its_file(communes):
    files, _ = communes
    root = files[0].parent / "one"
    api.convert_files(api.Request((files[0],)), root, "Xã A")
    for by in ("month", "department"):
        a = dumped(api.compute_files(api.Request((root,), period="2024", by=by)))
        b = computed(api.Request((files[0],), period="2024", by=by))
        assert a["indicators"] == b["indicators"] and a["groups"] == b["groups"], by


def test_converting_a_file_again_replaces_it(communes, tmp_path):
    files, _ = communes
    out = tmp_path / "ds"
    first = api.convert_files(api.Request((files[0],)), out, "Xã A")[0]
    again = api.convert_files(api.Request((files[0],)), out, "Xã A")[0]
    assert not first.replaced and again.replaced
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert len(manifest["sources"]) == 1
    entry = next(iter(manifest["sources"].values()))
    assert entry["unit"] == "Xã A" and len(entry["sha256"]) == 64
    assert entry["logs"]["cases"]["rows"]["used"] == 700
    rows = duckdb.sql(f"SELECT count(*) FROM read_parquet('{out}/cases/**/*.parquet')").fetchall()[0][0]
    assert rows == 700  # not 1,400
    assert (out / entry["findings_part"]).exists()
    assert [p.name for p in (out / "findings").iterdir()] == [Path(entry["findings_part"]).name]


def test_a_malformed_part_is_named_and_left_out(communes, tmp_path):
    files, _ = communes
    out = tmp_path / "ds"
    api.convert_files(api.Request((files[0],)), out, "Xã A")
    broken = sorted((out / "cases").rglob("*.parquet"))[0]
    broken.write_bytes(b"PAR1 this is not parquet")
    result = dumped(api.compute_files(api.Request((out,), period="2024")))
    assert result["findings"]["by_code"]["unreadable-part"] == 1
    assert result["findings"]["warning"] >= 1


def test_convert_and_compute_on_the_command_line(communes, invoke, tmp_path):
    files, _ = communes
    out = tmp_path / "ds"
    res = invoke("convert", files[1], "--unit", "Xã B", "-o", out)
    assert res.exit_code == 0
    assert res.stderr.startswith(f"Đã chuyển {files[1]} → {out} · đơn vị Xã B: sổ hồ sơ đọc 850, dùng 850, loại 0")
    res = invoke("compute", out, "--period", "2024-Q1", "--by", "unit", "-f", "json", "-q")
    data = json.loads(res.stdout)
    assert [g["key"] for g in data["groups"]["items"]] == ["Xã B"]
    pq = tmp_path / "units.parquet"
    res = invoke("compute", out, "--period", "2024-Q1", "--by", "unit", "-f", "parquet", "-o", pq, "-q")
    table = pd.read_parquet(pq)
    assert list(table.columns) == ["by", "group", "id", "short", "numerator", "denominator", "value", "target_op",
                                   "target_value", "status", "note"]
    assert len(table) == 2 * len(data["indicators"])  # the whole, then the one unit


def test_a_retired_engine_is_refused(communes, invoke):
    _, out = communes
    res = invoke("compute", out, "--engine", "pandas")
    assert res.exit_code == 2
    assert "'pandas' is not one of 'duckdb', 'spark'" in res.stderr or "pandas" in res.stderr


# ------------------------------------------------------------------ ttkhc sql, run as printed

@pytest.mark.parametrize("dialect", ["duckdb", "spark", "trino", "postgres"])
def test_sql_prints_every_indicator_in_each_dialect(dialect, invoke):
    res = invoke("sql", "--dialect", dialect, "--period", "2024-Q1")
    assert res.exit_code == 0
    text = res.stdout
    for ind in plan_file.load_plan(None).file.indicators:
        assert f"-- {ind.id} · " in text
    if dialect == "postgres":
        assert "COUNT_IF" not in text  # transpiled: SUM(CASE WHEN …)


def test_the_printed_duckdb_sql_gives_computes_figures(communes, invoke, tmp_path):
    files, out = communes
    cal = tmp_path / "calendar.csv"
    res = invoke("sql", "--dialect", "duckdb", "--period", "2024-Q3", "--calendar", cal)
    con = duckdb.connect()
    con.execute(f"CREATE VIEW cases AS SELECT * FROM read_parquet('{out}/cases/**/*.parquet', union_by_name=true)")
    con.execute(f"CREATE TABLE calendar AS SELECT * FROM read_csv('{cal}')")
    from_cases = {i.id for i in plan_file.load_plan(None).file.indicators if i.count.source == "cases"}
    statements = [s.strip() for s in res.stdout.split(";") if s.strip()]
    con.execute(statements[0].splitlines()[-1])  # the workdays view
    figures = {}
    for s in statements[1:]:
        head = [ln for ln in s.splitlines() if ln.startswith("-- ") and " · " in ln]
        ident = head[0].split(" · ")[0][3:] if head else None
        body = "\n".join(ln for ln in s.splitlines() if not ln.startswith("--"))
        if ident in from_cases and body.strip():
            rows = con.execute(body).fetchall()
            figures[ident] = (rows[0][1], rows[0][0])
    whole = dumped(api.compute_files(api.Request((out,), period="2024-Q3")))
    for ind in whole["indicators"]:
        if ind["id"] in figures and ind["source"] == "cases":
            assert figures[ind["id"]] == (ind["numerator"] or 0, ind["denominator"] or 0), ind["id"]
    assert len(figures) >= 10


# ------------------------------------------------------------------ Spark, where Java is

def _spark_or_skip():
    if shutil.which("java") is None:
        pytest.skip("Spark tests need Java (on Debian: apt-get install default-jre-headless)")
    pytest.importorskip("pyspark", reason="Spark tests need the [spark] extra: pip install -e '.[spark]'")


@pytest.fixture(scope="module")
def spark_ready():
    _spark_or_skip()


def test_spark_equals_duckdb_on_the_sample_year(spark_ready):
    request = api.Request((SAMPLE,), inputs_file=INPUTS, period="2024-Q1", by="department")
    computed(request, engines=("duckdb", "spark"))


def test_spark_reads_the_dataset_as_duckdb_does(spark_ready, communes):
    _, out = communes
    request = api.Request((out,), period="2024-H2", by="unit")
    a = dumped(api.compute_files(dataclasses.replace(request, engine="duckdb")))
    b = dumped(api.compute_files(dataclasses.replace(request, engine="spark")))
    assert a == b


def test_the_printed_spark_sql_runs_on_spark(spark_ready, communes, invoke, tmp_path):
    from ttkhc_cli.engines.spark import session

    _, out = communes
    cal = tmp_path / "calendar.csv"
    res = invoke("sql", "--dialect", "spark", "--period", "2024-Q3", "--indicator", "IV.1", "--calendar", cal)
    spark = session()
    spark.read.option("mergeSchema", "true").parquet(str(out / "cases")).createOrReplaceTempView("cases")
    spark.read.option("header", "true").option("inferSchema", "true").csv(str(cal)).createOrReplaceTempView("calendar")
    body = [s for s in res.stdout.split(";") if "SELECT" in s and "COUNT_IF" in s][0]
    den, num = spark.sql(body).collect()[0]
    whole = dumped(api.compute_files(api.Request((out,), period="2024-Q3")))
    iv1 = next(i for i in whole["indicators"] if i["id"] == "IV.1")
    spark.sql("SELECT 1")  # the session stays usable
    assert (num, den) == (iv1["numerator"], iv1["denominator"])



def test_validate_counts_a_datasets_findings_per_unit(communes, invoke):
    _, out = communes
    res = invoke("validate", out, "-f", "json")
    assert res.stdout.startswith("{"), res.stderr
    data = json.loads(res.stdout)
    assert {r["unit"] for r in data["by_unit"]} <= set(UNITS)
    assert data["rows"]["cases"]["used"] == 700 + 850 + 1000
    assert res.exit_code == (1 if any(r["severity"] == "error" for r in data["by_unit"]) else 0)
    assert all(r["count"] > 0 for r in data["by_unit"])
