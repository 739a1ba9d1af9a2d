"""Every file or folder a command reads is protected from its outputs, whatever the option
(#28, class 4): checked by path and by the file itself, and the input's hash is unchanged."""

from __future__ import annotations

import hashlib
import os
import shutil

import pytest
from conftest import ROOT

from ttkhc_cli import api

SAMPLE = ROOT / "sample_data" / "so-theo-doi-ho-so-2024.xlsx"
PROFILE = ROOT / "src" / "ttkhc_cli" / "profiles" / "opencps.yaml"
DEFINITION = ROOT / "src" / "ttkhc_cli" / "indices" / "qd766-2022.yaml"
TARGETS = ROOT / "targets" / "dak-to-re-2024.yaml"


def digest(path):
    if path.is_dir():
        return {str(p.relative_to(path)): digest(p) for p in sorted(path.rglob("*")) if p.is_file()}
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def converted(tmp_path_factory):
    root = tmp_path_factory.mktemp("protected")
    out = root / "ds"
    api.convert_files(api.Request((SAMPLE,)), out, None)
    return out


def refused(invoke, protected, *args):
    before = digest(protected)
    res = invoke(*args)
    assert res.exit_code == 2, res.output
    line = res.stderr.strip()
    assert "\n" not in line and ("là tệp đầu vào" in line or "nằm trong thư mục đầu vào" in line), line
    assert digest(protected) == before
    return line


@pytest.mark.parametrize("inside", ["manifest.json", "findings", "cases/ket-qua.json", "moi/ket-qua.json"])
def test_an_output_inside_an_input_dataset_is_refused(invoke, converted, inside, tmp_path):
    target = converted / inside
    if inside == "findings":
        target = sorted((converted / "findings").iterdir())[0]
    line = refused(invoke, converted, "compute", converted, "--period", "2024-Q1", "-f", "json", "-o", target)
    assert line == (f"Lỗi: {target}: nằm trong thư mục đầu vào {converted}; không ghi vào thư mục đang đọc, chọn "
                    "nơi khác cho --output")
    assert not (converted / "moi").exists()


def test_a_report_into_the_dataset_it_reads_is_refused(invoke, converted):
    refused(invoke, converted, "report", converted, "--period", "2024-Q1", "-o", converted / "bao-cao.xlsx")


@pytest.mark.parametrize("link", ["path", "symlink", "hardlink"])
def test_the_profile_file_is_an_input(invoke, tmp_path, link):
    profile = tmp_path / "mau.yaml"
    shutil.copy(PROFILE, profile)
    target = {"path": profile, "symlink": tmp_path / "lien-ket.yaml", "hardlink": tmp_path / "cung-tep.yaml"}[link]
    if link == "symlink":
        target.symlink_to(profile)
    elif link == "hardlink":
        os.link(profile, target)
    refused(invoke, profile, "validate", SAMPLE, "--profile", profile, "-f", "json", "-o", target)


@pytest.mark.parametrize("command", ["index", "explain"])
def test_the_definition_file_is_an_input(invoke, tmp_path, command):
    definition = tmp_path / "chi-so.yaml"
    shutil.copy(DEFINITION, definition)
    args = (["index", SAMPLE, "--period", "2024-Q1"] if command == "index"
            else ["explain", "2.1", SAMPLE, "--period", "2024-Q1"])
    refused(invoke, definition, *args, "--definition", definition, "-f", "json", "-o", definition)


def test_the_sql_calendar_never_replaces_the_targets(invoke, tmp_path):
    targets = tmp_path / "ke-hoach.yaml"
    shutil.copy(TARGETS, targets)
    refused(invoke, targets, "sql", "--targets", targets, "--calendar", targets)
