"""Small hand-made case logs for counting tests, written as real CSV exports."""

from __future__ import annotations

import csv
from pathlib import Path

from dumps import computed

from ttkhc_cli import api

HEADERS = {
    "case_id": "Mã hồ sơ", "procedure_name": "Tên thủ tục", "department": "Bộ phận xử lý",
    "level": "Cấp thực hiện", "received_at": "Ngày tiếp nhận", "due_at": "Ngày hẹn trả",
    "processing_days": "Thời hạn giải quyết", "completed_at": "Ngày có kết quả", "channel": "Kênh nộp",
    "status": "Trạng thái", "fee": "Phí, lệ phí", "paid_online": "Thanh toán trực tuyến",
    "dossier_digitised": "Số hóa hồ sơ", "result_digitised": "Số hóa kết quả", "e_result": "Kết quả điện tử",
    "synced": "Đồng bộ DVCQG", "data_reused": "Tái sử dụng dữ liệu", "rating": "Mức độ hài lòng",
    "timing_reported": "Tình trạng hạn",
}


def write(path: Path, rows: list[dict], banner: bool = True) -> Path:
    fields = [f for f in HEADERS if any(f in r for r in rows)]
    if "case_id" not in fields:
        fields.insert(0, "case_id")
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh)
        if banner:
            w.writerow(["DANH SÁCH HỒ SƠ"])
        w.writerow([HEADERS[f] for f in fields])
        for i, r in enumerate(rows, start=1):
            w.writerow([r.get(f, f"HS{i:04d}" if f == "case_id" else "") for f in fields])
    return path


def done(received: str, completed: str, due: str | None = None, **extra) -> dict:
    """A completed dossier (status Đã trả kết quả)."""
    row = {"received_at": received, "completed_at": completed, "status": "Đã trả kết quả", **extra}
    if due:
        row["due_at"] = due
    return row


def run(tmp_path: Path, rows: list[dict], **kwargs) -> dict:
    """The result of the rows, computed by the pandas and the DuckDB engine (which must agree)."""
    path = write(tmp_path / "log.csv", rows)
    return computed(api.Request((path,), **kwargs))


def ind(result: dict, indicator_id: str) -> tuple:
    i = next(x for x in result["indicators"] if x["id"] == indicator_id)
    return i["numerator"], i["denominator"], i["status"]
