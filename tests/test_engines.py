"""The plan compiled to SQL gives the same figures as the pandas engine, on every engine.

Differential tests: the timing table of thirty-one dossiers under every timing setting, the
sample year by every group and in both windows, several generated communes converted into one
dataset, and the SQL that `ttkhc sql` prints, run as printed. Spark (local mode) runs the same
plan where Java is installed; elsewhere its tests are skipped with the reason.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import shutil
from pathlib import Path

import duckdb
import pandas as pd
import pytest
import synthetic as S
from conftest import ROOT
from dumps import computed, dumped
from test_timing_rules import AS_OF, CASES, SETTINGS
from test_timing_rules import write as write_timing

from ttkhc_cli import api
from ttkhc_cli.domain import periods
from ttkhc_cli.domain.calendar import WorkCalendar
from ttkhc_cli.engines import duck, sqlplan
from ttkhc_cli.engines.calendar_table import calendar_table
from ttkhc_cli.ingest import log as ingest
from ttkhc_cli.kpi import compute as C
from ttkhc_cli.kpi import plan as plan_file

SAMPLE = ROOT / "sample_data" / "so-theo-doi-ho-so-2024.xlsx"
INPUTS = ROOT / "sample_data" / "so-lieu-nhap-2024.yaml"


# ------------------------------------------------------------------ the derivation, dossier by dossier

@pytest.fixture(scope="module")
def timing_log(tmp_path_factory):
    return ingest.read_log([write_timing(tmp_path_factory.mktemp("timing") / "t.csv")])


def _sql_derived(log, rules, as_of=AS_OF):
    plan = plan_file.load_plan(None).file.model_copy(update={"timing": rules})
    con = duckdb.connect()
    con.register("cases_raw", log.frame)
    con.register("calendar", calendar_table(WorkCalendar(), 2023, 2026))
    con.execute("CREATE VIEW workdays AS SELECT wi, day FROM calendar WHERE working")
    present = set(log.present) | {"_file", "_sheet", "_row"}
    tree = sqlplan.derived_query(plan, "cases", as_of, present, "cases_raw")
    return con.execute(tree.sql("duckdb")).df()


@pytest.mark.parametrize("setting", list(SETTINGS))
def test_sql_judges_every_dossier_as_the_table_says(timing_log, setting):
    derived = _sql_derived(timing_log, SETTINGS[setting])
    got = {k: (None if pd.isna(v) else v) for k, v in zip(derived["case_id"], derived["timing"])}
    expected = {ident: changes.get(setting, default) for ident, _, _, default, changes in CASES}
    wrong = {i: (got[i], expected[i]) for i in expected if got[i] != expected[i]}
    assert not wrong


def test_sql_computes_the_same_appointments(timing_log):
    due = dict(zip(*_sql_derived(timing_log, SETTINGS["default"])[["case_id", "due_at"]].T.values))
    assert due["T08"] == pd.Timestamp(2024, 2, 19)  # Tết skipped
    assert due["T10"] == pd.Timestamp(2024, 5, 4)  # the swapped working Saturday
    assert due["T17"] == pd.Timestamp(2024, 4, 7, 17, 0)  # 05/04 17:00 + the 2 days waited
    assert due["T18"] == pd.Timestamp(2024, 4, 9)  # 05/04 + 2 working days waited
    assert pd.isna(due["T28"])


# ------------------------------------------------------------------ the sample year, every group, both windows

@pytest.fixture(scope="module")
def sample():
    """The sample year read once, with a DuckDB backend over its frames."""
    prepared = api.prepare(api.Request((SAMPLE,), inputs_file=INPUTS))
    backend = duck.DuckBackend(duck.tables_of(prepared.sources), C.calendar_for(prepared.targets))
    return prepared, duck.engine_factory(backend)


@pytest.mark.parametrize("by", [None, "department", "procedure", "field", "officer", "file", "month"])
@pytest.mark.parametrize("window", ["calendar", "nd09"])
def test_duckdb_equals_pandas_on_the_sample_year(sample, by, window):
    prepared, make = sample
    period = periods.parse_period("2024-H1", window)
    a = C.compute(prepared.targets, prepared.sources, period, None, by, dt.date(2024, 12, 31))
    b = C.compute(prepared.targets, prepared.sources, period, None, by, dt.date(2024, 12, 31), make_engine=make)
    assert a == b


def test_the_report_is_the_same_whatever_the_engine():
    request = api.Request((SAMPLE,), inputs_file=INPUTS, period="2024-Q2")
    a = api.build_report(dataclasses.replace(request, engine="pandas"))
    b = api.build_report(dataclasses.replace(request, engine="duckdb"))
    assert a.result == b.result and a.months == b.months and a.by_department == b.by_department
    assert a.form06 == b.form06
    def plain(frame):
        return frame.astype(object).where(frame.notna(), None).reset_index(drop=True)

    pd.testing.assert_frame_equal(plain(a.late), plain(b.late), check_dtype=False)


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


def test_a_dataset_by_month_and_department_equals_pandas_for_one_commune(communes):
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


def test_pandas_cannot_read_a_dataset(communes, invoke):
    _, out = communes
    res = invoke("compute", out, "--engine", "pandas")
    assert res.exit_code == 2
    assert "--engine pandas không đọc bộ dữ liệu Parquet" in res.stderr


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


def test_spark_equals_pandas_on_the_sample_year(spark_ready):
    request = api.Request((SAMPLE,), inputs_file=INPUTS, period="2024-Q1", by="department")
    computed(request, engines=("pandas", "spark"))


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
