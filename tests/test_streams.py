"""Unusual surroundings the tool must survive in one piece: an output encoding without Vietnamese
letters, a COLUMNS of 0, signed date text, an empty --period, YAML merge keys."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import pytest
from conftest import ROOT

SAMPLE = ROOT / "sample_data" / "so-theo-doi-ho-so-2024.xlsx"


def _run(*args: str, **env: str) -> subprocess.CompletedProcess:
    full = {**os.environ, **env}
    full.pop("NO_COLOR", None)
    return subprocess.run([sys.executable, "-m", "ttkhc_cli", *args], capture_output=True, env=full, timeout=300)


@pytest.mark.parametrize("encoding", ["ascii", "cp1252"])
def test_an_encoding_without_vietnamese_letters_drops_their_marks(encoding):
    done = _run("compute", str(SAMPLE), "--period", "2024-03", PYTHONIOENCODING=encoding)
    assert done.returncode in (0, 1), done.stderr
    text = done.stdout.decode(encoding)
    assert "Đắk" not in text and ("Dak To Re" in text or "Đ" not in text)
    assert "Lỗi không mong đợi".encode() not in done.stderr


@pytest.mark.parametrize("columns", ["0", "5", "abc"])
def test_a_columns_value_that_cannot_be_a_width_is_the_usual_80(columns):
    done = _run("compute", str(SAMPLE), "--period", "2024-03", COLUMNS=columns)
    lines = done.stdout.decode("utf-8").splitlines()
    assert lines and lines[0].startswith("UBND xã Đắk Tô Re · Kỳ: Tháng 03/2024")
    assert max(len(x) for x in lines) <= 80


def test_date_text_with_a_leading_minus_is_a_finding_not_an_error(tmp_path, invoke):
    rows = ["Mã hồ sơ,Ngày tiếp nhận,Ngày hẹn trả,Trạng thái"]
    rows += [f"X{k},0{k + 1}/03/2024,15/03/2024,Đang xử lý" for k in range(8)]
    rows += ["Y1,-1,15/03/2024,Đang xử lý", "Y2,-2024-03-04,15/03/2024,Đang xử lý"]
    path = tmp_path / "am.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    res = invoke("validate", path, "-f", "json")
    assert res.exit_code == 1, res.output  # errors in the log, not an internal error (3)
    bad = [f for f in json.loads(res.stdout)["findings"] if f["code"] == "invalid-date"]
    assert sorted((f["row"], f["value"]) for f in bad) == [(10, "-1"), (11, "-2024-03-04")]


def test_an_empty_period_is_refused(invoke):
    res = invoke("compute", SAMPLE, "--period", "")
    assert res.exit_code == 2
    assert res.stderr.strip() == ("Lỗi: --period trống: ghi kỳ như 2024, 2024-Q1 hoặc 2024-03, hoặc bỏ --period để "
                                  "tính cả khoảng thời gian của dữ liệu")


def test_yaml_merge_keys_are_read(tmp_path, invoke):
    path = tmp_path / "nhiem-vu.yaml"
    path.write_text('"1": &xong {status: xong, done: 2024-02-15, product: Kế hoạch}\n'
                    '"2": {<<: *xong, done: 2024-02-28}\n', encoding="utf-8")
    data = json.loads(invoke("tasks", "--tasks", path, "--as-of", "01/03/2024", "-f", "json").stdout)
    rows = {t["id"]: t for t in data["tasks"]}
    assert (rows["2"]["state"], rows["2"]["done"], rows["2"]["product"]) == ("done", "2024-02-28", "Kế hoạch")
    bad = tmp_path / "sai.yaml"
    bad.write_text('"1": {<<: [1, 2]}\n', encoding="utf-8")
    res = invoke("tasks", "--tasks", bad, "--as-of", "01/03/2024")
    assert res.exit_code == 2
    assert res.stderr.strip() == f"Lỗi: {bad}:1: khóa << (gộp) cần một bảng khóa, ví dụ <<: *mau"


@pytest.mark.parametrize("args", [["validate", str(SAMPLE)], ["compute", str(SAMPLE), "--period", "2024", "--by",
                                                               "month"]])
def test_a_reader_that_stops_reading_ends_the_run_quietly(args):
    """`ttkhc … | head -1`: the shell's code for a closed pipe (141), not 1 (an indicator fails),
    and no traceback. The pipe is closed before the tool writes: a reader that closed after the
    first line would race with a tool that writes its few kilobytes at once and ends (exit 0)."""
    p = subprocess.Popen([sys.executable, "-m", "ttkhc_cli", *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert p.stdout is not None and p.stderr is not None
    p.stdout.close()
    err = p.stderr.read().decode()
    assert p.wait(timeout=300) == 141
    assert "Traceback" not in err and "Lỗi" not in err


# ------------------------------------------------------------------ control characters in cells

ESCAPES = ["\x1b[2K", "\x1b]0;tiêu đề\x07", "\x1b[1A", "\x9b2J", "\u202e", "\x08\x08"]


def _log_with(tmp_path, text: str):
    path = tmp_path / "a.csv"
    path.write_text("Mã hồ sơ,Tên thủ tục,Ngày tiếp nhận,Ngày hẹn trả,Ngày có kết quả,Trạng thái,Lý do quá hạn\n"
                    f"HS1,Chứng thực{text},02/01/2024,03/01/2024,09/01/2024,Đã trả kết quả,Chờ{text}\n"
                    f"HS2,Khai sinh,02/01/2024,{text}x,04/01/2024,Đã trả kết quả,\n", encoding="utf-8")
    return path


RAW = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e]")


@pytest.mark.parametrize("text", ESCAPES)
@pytest.mark.parametrize("args", [("validate",), ("validate", "--format", "csv"), ("validate", "--format", "json"),
                                  ("explain", "IV.1", "--period", "2024-Q1"), ("compute", "--period", "2024-Q1")])
def test_a_cell_cannot_send_control_characters_to_the_screen(tmp_path, text, args):
    path = _log_with(tmp_path, text)
    command = [*args[:2], str(path), *args[2:]] if args[0] == "explain" else [args[0], str(path), *args[1:]]
    done = _run(*command)
    assert done.returncode in (0, 1), done.stderr
    out, err = done.stdout.decode("utf-8"), done.stderr.decode("utf-8")
    assert not RAW.search(out) and not RAW.search(err.replace("\t", " ")), (out[-300:], err[-300:])
    if args[-1] == "json":
        json.loads(out)


def test_the_cell_is_shown_with_its_controls_written_out(tmp_path):
    done = _run("validate", str(_log_with(tmp_path, "\x1b[2K")))
    assert "\\x1b[2Kx" in done.stdout.decode("utf-8")


@pytest.mark.parametrize("suffix", ["docx", "xlsx"])
def test_a_report_of_cells_with_controls_is_written(tmp_path, suffix):
    out = tmp_path / f"bc.{suffix}"
    done = _run("report", str(_log_with(tmp_path, "\x1b]0;x\x07\x0c")), "--period", "2024-Q1", "-o", str(out))
    assert done.returncode in (0, 1), done.stderr.decode("utf-8")[-300:]
    assert out.exists()


@pytest.mark.parametrize("text", ["2024-03", "2024/3", "2024.03"])
def test_a_date_without_its_day_is_a_finding_not_the_first(tmp_path, invoke, text):
    path = tmp_path / "a.csv"
    path.write_text(f"Mã hồ sơ,Ngày tiếp nhận,Kênh nộp\nHS1,{text},Trực tuyến\nHS2,02/01/2024,Trực tiếp\n",
                    encoding="utf-8")
    data = json.loads(invoke("validate", path, "--format", "json").stdout)
    dates = ("invalid-date", "implausible-date")  # "2024.03" is also a number: a day of 1905
    assert [(f["row"], f["column"]) for f in data["findings"] if f["code"] in dates] == [(2, "B")]


# ------------------------------------------------------------------ pipes (class 18)

def _sample_csv(tmp_path):
    import synthetic as S

    path = tmp_path / "so.csv"
    S.case_log(60, 2024, seed=4).to_csv(path, index=False, encoding="utf-8-sig")
    return path


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_a_fifo_without_a_writer_is_one_line_not_a_hang(tmp_path, monkeypatch, invoke):
    from ttkhc_cli.io import streams

    monkeypatch.setattr(streams, "WAIT_SECONDS", 0.5)
    fifo = tmp_path / "so.csv"
    os.mkfifo(fifo)
    res = invoke("validate", fifo, "-q")
    assert res.exit_code == 2
    assert res.stderr.strip() == (f"Lỗi: {fifo}: là một đường ống chưa có dữ liệu sau 0.5 giây (chưa có chương trình "
                                  f"nào ghi vào); ghi dữ liệu vào nó, ví dụ: cat so-ho-so.csv > {fifo}, hoặc đọc một "
                                  "tệp thường")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
@pytest.mark.parametrize("named", [True, False])
def test_a_pipe_with_data_is_read_once_whole(tmp_path, named):
    """A FIFO written by another program, and process substitution (/dev/fd/N, no suffix): every
    dossier read, the same figures as from the file."""
    import threading

    source = _sample_csv(tmp_path)
    data = source.read_bytes()
    if named:
        path = tmp_path / "ong.csv"
        os.mkfifo(path)

        def writer():
            with open(path, "wb") as fh:
                fh.write(data)
        threading.Thread(target=writer, daemon=True).start()
        args = [str(path)]
        pass_fds = ()
    else:
        r, w = os.pipe()
        threading.Thread(target=lambda: (os.write(w, data), os.close(w)), daemon=True).start()
        args = [f"/dev/fd/{r}"]
        pass_fds = (r,)
    done = subprocess.run([sys.executable, "-m", "ttkhc_cli", "compute", *args, "--period", "2024", "-f", "json"],
                          capture_output=True, timeout=120, pass_fds=pass_fds)
    if not named:
        os.close(r)
    assert done.returncode in (0, 1), done.stderr.decode()
    from_pipe = json.loads(done.stdout)
    from_file = json.loads(_run("compute", str(source), "--period", "2024", "-f", "json").stdout)
    assert from_pipe["rows"] == from_file["rows"] == {"read": 60, "used": 60, "excluded": {}}
    assert from_pipe["indicators"] == from_file["indicators"]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_an_empty_pipe_is_called_a_pipe(tmp_path):
    import threading

    path = tmp_path / "ong.csv"
    os.mkfifo(path)
    threading.Thread(target=lambda: open(path, "wb").close(), daemon=True).start()
    done = _run("validate", str(path), "-q")
    assert done.returncode == 2
    assert done.stderr.decode().strip() == f"Lỗi: {path}: đường ống không có dữ liệu (0 byte)"


@pytest.mark.parametrize("option", ["--from", "--to"])
@pytest.mark.parametrize("value", ["", "  "])
def test_an_empty_from_or_to_is_refused(invoke, option, value):
    other = "--to" if option == "--from" else "--from"
    res = invoke("compute", SAMPLE, option, value, other, "31/03/2024")
    assert res.exit_code == 2
    assert res.stderr.strip() == f"Lỗi: {option} trống: ghi ngày dạng dd/mm/yyyy, ví dụ {option} 01/01/2024"


@pytest.mark.parametrize(("text", "said"), [
    ("plan:\n  year: 2024-01-01\n", "plan.year: cần một số nguyên, gặp '2024-01-01'"),
    ("columns:\n  <<: *mau\n", "YAML không hợp lệ: tham chiếu *mau chưa được đặt tên bằng &mau ở phía trên"),
    ("a: &x {b: 1}\nc: &x {d: 2}\n", "YAML không hợp lệ: tên &x được đặt hai lần: đổi tên một trong hai"),
    ("columns:\n\treceived_at: x\n", "YAML không hợp lệ: có ký tự không bắt đầu được một giá trị"),
    ("columns:\n  received_at: \"x\n", "YAML không hợp lệ: tệp kết thúc giữa chừng (thiếu dấu ngoặc kép đóng?)"),
    ("columns:\n  a: b: c\n", "YAML không hợp lệ: dấu ':' không đặt được ở đây"),
])
def test_yaml_problems_are_said_in_vietnamese(tmp_path, invoke, text, said):
    path = tmp_path / "tep.yaml"
    path.write_text(text, encoding="utf-8")
    option = "--targets" if text.startswith("plan") else "--columns"
    res = invoke("compute", SAMPLE, option, path)
    assert res.exit_code == 2
    lines = res.stderr.strip().splitlines()
    assert all(x.startswith(f"Lỗi: {path}:") for x in lines) and any(said in x for x in lines), lines
    assert not re.search(r"\b(found|expected|Input should|could not|while scanning)\b", res.stderr)


@pytest.mark.parametrize("text", ["2024", "1999", "2100"])
def test_a_year_alone_is_no_date(tmp_path, invoke, text):
    rows = ["Mã hồ sơ,Ngày tiếp nhận,Ngày hẹn trả,Trạng thái"]
    rows += [f"X{k},0{k + 1}/03/2024,15/03/2024,Đang xử lý" for k in range(8)] + [f"Y1,{text},15/03/2024,Đang xử lý"]
    path = tmp_path / "nam.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    res = invoke("validate", path, "-f", "json")
    found = [(f["code"], f["row"]) for f in json.loads(res.stdout)["findings"] if f["row"] == 10]
    assert ("invalid-date", 10) in found and ("implausible-date", 10) not in found
