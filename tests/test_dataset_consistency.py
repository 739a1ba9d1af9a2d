"""A converted dataset stays self-consistent: its manifest is the truth, a dossier counts once
across sources, conversions are transactions, and damage is reported by file (#28, class 3)."""

from __future__ import annotations

import dataclasses
import json
import multiprocessing
import shutil

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import synthetic as S
from dumps import computed, dumped

from ttkhc_cli import api
from ttkhc_cli.engines import dataset
from ttkhc_cli.ingest.normalise import EXCLUDE_DUPLICATE

PERIOD = "2024"


@pytest.fixture(scope="module")
def exports(tmp_path_factory):
    """Two exports of one commune that overlap: the second repeats 300 dossiers of the first
    (some since resolved) and adds 200 new ones."""
    root = tmp_path_factory.mktemp("exports")
    first = S.case_log(700, 2024, seed=31)
    more = S.case_log(200, 2024, seed=32)
    more[more.columns[0]] = [f"MOI-{i:04d}" for i in range(len(more))]
    second = pd.concat([first.tail(300), more], ignore_index=True)
    a, b = root / "thang-1.csv", root / "thang-2.csv"
    first.to_csv(a, index=False, encoding="utf-8-sig")
    second.to_csv(b, index=False, encoding="utf-8-sig")
    return a, b


def figures(result: dict) -> list:
    return [(i["id"], i.get("numerator"), i.get("denominator")) for i in result["indicators"]]


def convert(files, out, unit="Xã A"):
    for f in files:
        api.convert_files(api.Request((f,)), out, unit)
    return out


def test_a_dossier_of_two_sources_counts_once_as_in_two_files(exports, tmp_path):
    out = convert(exports, tmp_path / "ds")
    from_dataset = dumped(api.compute_files(api.Request((out,), period=PERIOD)))
    from_files = computed(api.Request(exports, period=PERIOD, units=("Xã A",)))
    assert figures(from_dataset) == figures(from_files)
    assert from_dataset["rows"]["used"] == 900
    assert from_dataset["rows"]["excluded"][EXCLUDE_DUPLICATE] == 300


def test_a_stray_copy_of_a_part_is_reported_not_counted(exports, tmp_path):
    out = convert(exports[:1], tmp_path / "ds")
    before = dumped(api.compute_files(api.Request((out,), period=PERIOD)))
    part = sorted((out / "cases").rglob("*.parquet"))[0]
    shutil.copy(part, part.with_name("part-copy.parquet"))
    shutil.copy(part, out / "cases" / "ban-sao.parquet")
    after = dumped(api.compute_files(api.Request((out,), period=PERIOD)))
    assert figures(after) == figures(before)
    assert after["findings"]["by_code"]["extra-part"] == 2
    assert len(api.dataset_findings(out)["extra"]) == 2


def _convert_one(args):
    path, out = args
    api.convert_files(api.Request((path,)), out, None)


def test_concurrent_conversions_keep_every_source(tmp_path):
    files = []
    for n in range(4):
        path = tmp_path / f"xa-{n}.csv"
        S.case_log(200, 2024, seed=60 + n).to_csv(path, index=False, encoding="utf-8-sig")
        files.append(path)
    out = tmp_path / "ds"
    with multiprocessing.get_context("spawn").Pool(4) as pool:
        pool.map(_convert_one, [(f, out) for f in files])
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert sorted(e["file"] for e in manifest["sources"].values()) == sorted(str(f) for f in files)
    assert dataset.open_dataset(out).extra_files == []


def test_an_interrupted_reconversion_leaves_the_dataset_as_it_was(exports, tmp_path, monkeypatch):
    out = convert(exports[:1], tmp_path / "ds")
    before = dumped(api.compute_files(api.Request((out,), period=PERIOD)))
    real = dataset._write_atomic

    def interrupted(path, write):
        if path.name == dataset.MANIFEST:
            raise KeyboardInterrupt  # the officer presses Ctrl+C as the new parts are written
        real(path, write)

    monkeypatch.setattr(dataset, "_write_atomic", interrupted)
    with pytest.raises(KeyboardInterrupt):
        convert(exports[:1], out)
    monkeypatch.setattr(dataset, "_write_atomic", real)
    after = dumped(api.compute_files(api.Request((out,), period=PERIOD)))
    assert figures(after) == figures(before)
    assert after["findings"]["by_code"]["extra-part"] >= 1  # the new parts, never named by the manifest
    convert(exports[:1], out)  # the next conversion of the source removes them
    assert dataset.open_dataset(out).extra_files == []
    assert figures(dumped(api.compute_files(api.Request((out,), period=PERIOD)))) == figures(before)


@pytest.mark.parametrize(("edit", "key"), [
    (lambda e: e["logs"]["cases"]["rows"].update(read="700"), "logs.cases.rows.read"),
    (lambda e: e["logs"]["cases"]["rows"].update(used=-1), "logs.cases.rows.used"),
    (lambda e: e["logs"]["cases"].update(rows=[1, 2]), "logs.cases"),
    (lambda e: e["logs"]["cases"]["rows"].update(excluded={"duplicate": None}), "rows.excluded.duplicate"),
    (lambda e: e.update(parts={"cases": "cases/part.parquet"}), "parts"),
    (lambda e: e.update(findings={"error": "không"}), "findings.error"),
    (lambda e: e["logs"]["cases"].update(files=[{"sheet": 1}]), "logs.cases.files"),
])
def test_a_manifest_value_of_the_wrong_type_is_named_by_its_key(exports, tmp_path, invoke, edit, key):
    out = convert(exports[:1], tmp_path / "ds")
    path = out / "manifest.json"
    manifest = json.loads(path.read_text(encoding="utf-8"))
    sid, entry = next(iter(manifest["sources"].items()))
    edit(entry)
    path.write_text(json.dumps(manifest), encoding="utf-8")
    res = invoke("compute", out, "--period", PERIOD)
    assert res.exit_code == 2, res.output
    line = res.stderr.strip()
    assert line.startswith(f"Lỗi: {path}: khóa sources.{sid}.") and key in line and "\n" not in line


def _rewrite(part, change):
    table = pq.read_table(part)
    pq.write_table(change(table), part)


@pytest.mark.parametrize("change", [
    lambda t: t.set_column(t.schema.get_field_index("received_at"), "received_at",
                           pa.array([str(v) for v in t["received_at"].to_pylist()])),
    lambda t: t.set_column(t.schema.get_field_index("synced"), "synced",
                           pa.array(["có"] * len(t))),
])
def test_a_part_of_another_schema_is_named_and_left_out(exports, tmp_path, change):
    out = convert(exports[:1], tmp_path / "ds")
    part = sorted((out / "cases").rglob("*.parquet"))[0]
    _rewrite(part, change)
    result = dumped(api.compute_files(api.Request((out,), period=PERIOD)))
    assert result["findings"]["by_code"]["unreadable-part"] == 1
    assert str(part) in api.dataset_findings(out)["unreadable"]


def test_a_part_the_manifest_names_but_is_gone_is_named(exports, tmp_path):
    out = convert(exports[:1], tmp_path / "ds")
    part = sorted((out / "cases").rglob("*.parquet"))[0]
    part.unlink()
    result = dumped(api.compute_files(api.Request((out,), period=PERIOD)))
    assert result["findings"]["by_code"]["unreadable-part"] == 1


@pytest.mark.parametrize("damage", ["gone", "not parquet"])
def test_a_findings_part_gone_or_damaged_is_named_not_an_internal_error(exports, tmp_path, invoke, damage):
    out = convert(exports[:1], tmp_path / "ds")
    (part,) = (out / "findings").glob("*.parquet")
    if damage == "gone":
        part.unlink()
    else:
        part.write_bytes(b"PAR1 not a parquet file")
    result = dumped(api.compute_files(api.Request((out,), period=PERIOD)))
    assert result["findings"]["by_code"]["unreadable-part"] == 1
    assert result["rows"]["used"] > 0
    res = invoke("validate", out, "-f", "json")
    assert res.exit_code in (0, 1), res.output
    assert str(part) in json.loads(res.stdout)["unreadable"]


def test_corrupt_pages_behind_a_valid_footer_are_one_line(exports, tmp_path, invoke):
    out = convert(exports[:1], tmp_path / "ds")
    part = max((out / "cases").rglob("*.parquet"), key=lambda p: p.stat().st_size)
    data = bytearray(part.read_bytes())
    footer = int.from_bytes(data[-8:-4], "little") + 8
    for i in range(8, len(data) - footer - 8, 7):
        data[i] = (data[i] + 101) % 256
    part.write_bytes(bytes(data))
    res = invoke("compute", out, "--period", PERIOD)
    assert res.exit_code == 2, res.output
    line = res.stderr.strip()
    assert "\n" not in line and str(part) in line and "Traceback" not in res.output


def test_a_dataset_of_version_1_is_still_read(exports, tmp_path):
    """Datasets converted before the manifest named its parts: parts ``part-<source>.parquet``."""
    out = convert(exports[:1], tmp_path / "ds")
    before = dumped(api.compute_files(api.Request((out,), period=PERIOD)))
    path = out / "manifest.json"
    manifest = json.loads(path.read_text(encoding="utf-8"))
    for sid, entry in manifest["sources"].items():
        for rel in [p for log in entry.pop("parts").values() for p in log] + [entry.pop("findings_part")]:
            (out / rel).rename((out / rel).with_name(f"part-{sid}.parquet"))
        entry.pop("sequence")
    manifest["version"] = 1
    path.write_text(json.dumps(manifest), encoding="utf-8")
    after = dumped(api.compute_files(api.Request((out,), period=PERIOD)))
    assert figures(after) == figures(before) and "extra-part" not in after["findings"]["by_code"]
    convert(exports[:1], out)  # converting again replaces the old parts
    assert dataset.open_dataset(out).extra_files == []
    assert not list(out.rglob(f"part-{sid}.parquet"))


def test_spark_keeps_the_later_source_as_duckdb_does(exports, tmp_path):
    from test_engines import _spark_or_skip

    _spark_or_skip()
    out = convert(exports, tmp_path / "ds")
    request = api.Request((out,), period=PERIOD, by="month")
    a = dumped(api.compute_files(dataclasses.replace(request, engine="duckdb")))
    b = dumped(api.compute_files(dataclasses.replace(request, engine="spark")))
    assert a == b and a["rows"]["used"] == 900


def test_repeats_are_counted_only_where_two_sources_share_a_unit(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    from ttkhc_cli.engines.dataset import _duplicates_across

    def part(name, ids, units):
        path = tmp_path / f"{name}.parquet"
        pq.write_table(pa.table({"case_id": ids, "unit": units}), path)
        return str(path)

    mixed = part("a", ["1", "2", "3"], ["Xã X", "Xã Y", None])  # one part of two units and a blank
    alone = part("b", ["1", "2"], ["Xã Z", "Xã Z"])  # the same ids in another unit: other dossiers
    again = part("c", ["2", "9"], ["Xã Y", "Xã Y"])  # dossier 2 of Xã Y again
    blank = part("d", ["3"], [None])  # dossier 3 without a unit, again
    assert _duplicates_across("cases", [(1, mixed), (2, alone)]) == 0
    assert _duplicates_across("cases", [(1, mixed), (2, alone), (3, again)]) == 1
    assert _duplicates_across("cases", [(1, mixed), (2, again), (3, blank)]) == 2


def test_a_folder_of_other_files_is_refused_and_one_being_made_is_not(exports, tmp_path, invoke):
    other = tmp_path / "other"
    other.mkdir()
    (other / "ghi-chu.txt").write_text("của người khác", encoding="utf-8")
    res = invoke("convert", exports[0], "--unit", "Xã A", "-o", other)
    assert res.exit_code == 2
    assert res.stderr.strip() == f"Lỗi: {other}: thư mục đã có tệp khác, không phải bộ dữ liệu của ttkhc; chọn thư mục trống"
    assert [p.name for p in other.iterdir()] == ["ghi-chu.txt"]  # refused before anything was written
    making = tmp_path / "making"
    making.mkdir()
    (making / ".ttkhc.lock").write_bytes(b"")  # another conversion's lock, its parts not yet there
    assert invoke("convert", exports[0], "--unit", "Xã A", "-o", making, "-q").exit_code == 0
    assert (making / "manifest.json").is_file()
