"""What the office sees: explain and gaps against hand-counted logs, exit codes, permissions, the
80-column table, Vietnamese order, help and CSV files Excel opens."""

from __future__ import annotations

import json
import os
import stat

import pytest
from caselog import done, run, write

from ttkhc_cli.domain.collation import vi_key
from ttkhc_cli.kpi.describe import gap
from ttkhc_cli.kpi.plan import Target

Q1 = {"period": "2024-Q1"}


def _fees(tmp_path):
    """Five dossiers with a fee, one paid online (20 % against ≥ 45 %): three must be paid to reach
    45 % (3/5 = 60 %; 2/5 = 40 % is not enough), so two more."""
    rows = [done("02/01/2024", "03/01/2024", fee="10000", paid_online="Có", case_id="P1")]
    rows += [done("02/01/2024", "03/01/2024", fee="10000", paid_online="Không", case_id=f"U{i}") for i in range(4)]
    rows.append(done("02/01/2024", "03/01/2024", fee="0", case_id="F0"))  # no fee: not in I.1
    return rows


def test_the_gap_of_a_failing_indicator_in_dossiers(tmp_path):
    result = run(tmp_path, _fees(tmp_path), **Q1)
    i1 = next(i for i in result["indicators"] if i["id"] == "I.1")
    assert (i1["numerator"], i1["denominator"], i1["status"]) == (1, 5, "fail")
    assert i1["gap"] == {"dossiers": 2, "text": "cần thêm 2 hồ sơ đã thanh toán trực tuyến để đạt 45%"}
    assert all("gap" not in i for i in result["indicators"] if i["status"] != "fail")


@pytest.mark.parametrize("op,value,num,den,expected", [
    (">=", 45, 1, 5, 2),     # 45 % of 5 = 2.25 → 3 needed
    (">=", 50, 1, 4, 1),     # exactly at the threshold counts: 2/4 = 50 %
    (">=", 95, 94, 100, 1),  # just under
    (">=", 95, 95, 100, None),  # met
    ("=", 100, 97, 100, 3),  # "3 hồ sơ chưa …"
    ("<=", 5, 7, 100, 2),    # a ceiling: two too many
    (">=", 80, 0, 0, None),  # no data: no gap
])
def test_gap_arithmetic(op, value, num, den, expected):
    assert gap(Target(op=op, value=value), num, den) == expected


def test_explain_lists_the_dossiers_with_their_excel_rows(tmp_path, invoke):
    path = write(tmp_path / "a.csv", _fees(tmp_path))  # line 1 banner, line 2 header, data from line 3
    res = invoke("explain", "I.1", path, "--period", "2024-Q1", "-f", "json", "-q")
    data = json.loads(res.stdout)
    assert [(d["id"], d["row"]) for d in data["dossiers"]] == [("U0", 4), ("U1", 5), ("U2", 6), ("U3", 7)]
    assert data["count"] == 4 and data["which"] == "missing"
    assert data["indicator"]["gap"]["dossiers"] == 2
    every = json.loads(invoke("explain", "I.1", path, "--period", "2024-Q1", "--all", "-f", "json", "-q").stdout)
    assert [(d["id"], d["in_numerator"]) for d in every["dossiers"]][:2] == [("P1", True), ("U0", False)]
    csv_out = tmp_path / "ds.csv"
    invoke("explain", "I.1", path, "--period", "2024-Q1", "-f", "csv", "-o", csv_out, "-q")
    text = csv_out.read_text(encoding="utf-8")
    assert text.startswith("\ufeffTệp,Dòng,Mã,")  # a BOM: Excel on Windows reads UTF-8
    assert len(text.strip().splitlines()) == 5


def test_explain_refuses_an_entered_or_unknown_indicator(tmp_path, invoke):
    path = write(tmp_path / "a.csv", _fees(tmp_path))
    res = invoke("explain", "III.1", path, "-q")
    assert res.exit_code == 2 and "không tính từ sổ" in res.stderr
    res = invoke("explain", "X.9", path, "-q")
    assert res.exit_code == 2 and "không có chỉ tiêu 'X.9'" in res.stderr


def _all_met():
    row = dict(channel="Trực tuyến", fee="10000", paid_online="Có", dossier_digitised="x", result_digitised="x",
               e_result="x", synced="x", data_reused="x", rating="Rất hài lòng")
    return [done("02/01/2024", "03/01/2024", due="05/01/2024", **row), done("03/01/2024", "04/01/2024", due="05/01/2024", **row)]


def test_report_exits_as_compute_does(tmp_path, invoke):
    good = write(tmp_path / "good.csv", _all_met())
    assert invoke("compute", good, "--period", "2024-Q1", "-q").exit_code == 0
    assert invoke("report", good, "--period", "2024-Q1", "-o", tmp_path / "a.xlsx", "-q").exit_code == 0
    failing = write(tmp_path / "fail.csv", _fees(tmp_path))
    assert invoke("report", failing, "--period", "2024-Q1", "-o", tmp_path / "b.xlsx", "-q").exit_code == 1
    errors = write(tmp_path / "err.csv", [*_all_met(), done("05/01/2024", "03/01/2024", due="06/01/2024")])
    assert invoke("report", errors, "--period", "2024-Q1", "-o", tmp_path / "c.xlsx", "-q").exit_code == 1
    assert (tmp_path / "c.xlsx").exists()


def test_files_get_the_users_usual_permissions(tmp_path, invoke):
    old = os.umask(0o022)
    try:
        good = write(tmp_path / "good.csv", _all_met())
        invoke("report", good, "--period", "2024-Q1", "-o", tmp_path / "r.xlsx", "-q")
        invoke("compute", good, "--period", "2024-Q1", "-f", "csv", "-o", tmp_path / "r.csv", "-q")
    finally:
        os.umask(old)
    for name in ("r.xlsx", "r.csv"):
        assert stat.S_IMODE((tmp_path / name).stat().st_mode) == 0o644, name


# A hand-made log names no unit and no plan is given: its figures are not headed by the sample
# plan's commune.
EXPECTED_80 = ("(đơn vị chưa rõ · kế hoạch mẫu) · Kỳ: Quý I năm 2024 [2024-Q1]\n"  # no padding at a line's end
               "(01/01/2024–31/03/2024, theo tháng dương lịch) · Tính đến ngày 31/03/2024\n")


def test_the_indicator_table_fits_80_columns(tmp_path, invoke):
    path = write(tmp_path / "a.csv", _fees(tmp_path))
    res = invoke("compute", path, "--period", "2024-Q1", "-q", env={"COLUMNS": "80"})
    lines = res.stdout.splitlines()
    assert res.stdout.startswith(EXPECTED_80)
    assert max(len(line) for line in lines) <= 80
    head = next(n for n, line in enumerate(lines) if line.startswith(" Mã "))
    assert lines[head:head + 4] == [
        " Mã      Chỉ tiêu                   Kết quả   Tử/mẫu   Giao     Đánh giá",
        " ──────────────────────────────────────────────────────────────────────────────",
        " I.1     Thanh toán trực tuyến       20,00%      1/5   ≥ 45%    KHÔNG ĐẠT",
        " I.2     Hồ sơ trực tuyến                 —            ≥ 50%    CHƯA CÓ DỮ LIỆU",
    ]
    assert "I.1: cần thêm 2 hồ sơ đã thanh toán trực tuyến để đạt 45%" in lines
    assert not any("…" in line for line in lines)  # nothing cut


def test_groups_and_sectors_follow_the_vietnamese_alphabet(tmp_path):
    assert sorted(["Văn phòng", "Địa chính", "Dân số", "Tư pháp", "Ân", "An"], key=vi_key) == \
        ["An", "Ân", "Dân số", "Địa chính", "Tư pháp", "Văn phòng"]
    rows = [done("02/01/2024", "03/01/2024", department=d) for d in ("Văn phòng", "Địa chính", "Dân số")]
    result = run(tmp_path, rows, by="department", **Q1)
    assert [g["key"] for g in result["groups"]["items"]] == ["Dân số", "Địa chính", "Văn phòng"]


def test_help_is_in_vietnamese(invoke):
    out = invoke("compute", "--help", env={"COLUMNS": "100"}).stdout
    assert out.startswith("Cách dùng: ttkhc compute [TÙY_CHỌN] TỆP...")
    for words in ("Đối số:", "Tùy chọn:", "[bắt buộc]", "[mặc định: table]", "In hướng dẫn này rồi thoát."):
        assert words in out
    for english in ("Usage:", "Options:", "[required]", "default:", "list[Path]", "<path>"):
        assert english not in out


def test_text_is_measured_in_the_reports_font():
    """Widths from Times New Roman's own advances: a Vietnamese letter is as wide as its base
    letter, a wrapped text takes the lines the spreadsheets give it, a word wider than its cell
    is broken after a separator (the spreadsheets would cut it)."""
    from ttkhc_cli.output import textfit

    assert textfit.text_width("Đắk Tô Re", 11) == textfit.text_width("Dak To Re", 11)
    assert textfit.text_width("ệ", 10) == textfit.text_width("e", 10) == 4.44
    assert textfit.text_width("W", 11, bold=True) > textfit.text_width("W", 11)
    assert textfit.line_count("một hai", 200, 11) == 1
    assert textfit.line_count("một hai\nba", 200, 11) == 2
    words = " ".join(["chỉ tiêu"] * 20)
    lines = textfit.line_count(words, 100, 11)  # 96 points of text a line, whole words only
    assert textfit.text_width(words, 11) / 96 <= lines <= textfit.text_width(words, 11) / 96 + 3
    assert textfit.breakable("33.346/34.118", 40, 11) == "33.346/\n34.118"
    assert textfit.breakable("Tư pháp - Hộ tịch", 200, 11) == "Tư pháp - Hộ tịch"
    cut = textfit.breakable("/du-lieu/2025/so-theo-doi-xa-dak-ro-va.xlsx", 80, 11).split("\n")
    assert "".join(cut) == "/du-lieu/2025/so-theo-doi-xa-dak-ro-va.xlsx"
    assert all(textfit.text_width(line, 11) <= 80 - textfit.CELL_PADDING for line in cut)


def test_a_signal_between_two_steps_of_an_atomic_write_leaves_no_file(tmp_path, monkeypatch):
    """A signal may land where atomic_output's own clean-up cannot see its file (just after it
    was made, before the with-block): the name is known before the file exists, and the command
    line's last step removes it (SIGTERM during a report once left '.bc.dhn44gtu.xlsx')."""
    from ttkhc_cli.output import files

    real_close = os.close

    def close_then_signal(fd: int) -> None:
        real_close(fd)
        raise KeyboardInterrupt  # as the signal handler's exception would, at this very point

    class OsOfFiles:  # os as the files module alone sees it: nothing else's os.close is touched
        close = staticmethod(close_then_signal)

        def __getattr__(self, name: str):
            return getattr(os, name)

    monkeypatch.setattr(files, "os", OsOfFiles())
    with pytest.raises(KeyboardInterrupt), files.atomic_output(tmp_path / "bc.xlsx"):
        pass
    monkeypatch.setattr(files, "os", os)
    assert [p.name.startswith(".bc.") for p in tmp_path.iterdir()] == [True]
    files.remove_pending()
    assert not list(tmp_path.iterdir())


def test_a_second_signal_during_the_clean_up_leaves_no_file(tmp_path, monkeypatch):
    """Ctrl-C twice: the second landed while the first's clean-up removed the temporary file, and
    its name was forgotten anyway; the file stayed. A name is forgotten only once the file is gone."""
    from pathlib import Path

    from ttkhc_cli.output import files

    real_unlink = Path.unlink
    cut = []

    def unlink_cut_short(self, missing_ok=False):
        if self.name.startswith(".bc.") and not cut:
            cut.append(self)
            raise KeyboardInterrupt  # the second signal, before the file is removed
        return real_unlink(self, missing_ok=missing_ok)

    monkeypatch.setattr(Path, "unlink", unlink_cut_short)
    with pytest.raises(KeyboardInterrupt), files.atomic_output(tmp_path / "bc.xlsx"):
        raise KeyboardInterrupt  # the first signal, while the report is written
    assert cut and [p.name.startswith(".bc.") for p in tmp_path.iterdir()] == [True]
    files.remove_pending()
    assert not list(tmp_path.iterdir())
