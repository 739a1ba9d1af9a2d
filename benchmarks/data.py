"""Benchmark inputs: the sample-data generator at scale, cached as .xlsx, .csv and .parquet.

Files are written once per size into benchmarks/.cache/ (git-ignored) with XlsxWriter's
constant-memory mode, and reused by later runs.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "support"))
import synthetic as S

CACHE = Path(__file__).resolve().parent / ".cache"
# 16 columns, as in the measurements the performance goals were set from.
COLUMNS = [
    "Mã hồ sơ", "Mã TTHC", "Tên thủ tục hành chính", "Lĩnh vực", "Bộ phận xử lý", "Cán bộ xử lý",
    "Ngày tiếp nhận", "Ngày hẹn trả", "Ngày có kết quả", "Hình thức nộp", "Trạng thái",
    "Phí, lệ phí (đồng)", "Thanh toán trực tuyến", "Số hóa hồ sơ", "Số hóa kết quả", "Đồng bộ DVCQG",
]


def files(rows: int, cache: Path = CACHE, quiet: bool = False) -> dict[str, Path]:
    """Paths of the benchmark log of ``rows`` dossiers in each format, generating what is missing."""
    cache.mkdir(parents=True, exist_ok=True)
    out = {ext: cache / f"cases-{rows}.{ext}" for ext in ("xlsx", "csv", "parquet")}
    if all(p.exists() for p in out.values()):
        return out
    t = time.perf_counter()
    frame = S.case_log(rows, 2024, seed=rows)[COLUMNS]
    banner = S.banner("UBND tỉnh (dữ liệu thử)", "DANH SÁCH HỒ SƠ TIẾP NHẬN VÀ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH", 2024)
    tmp = {k: p.with_name(p.name + ".tmp") for k, p in out.items()}
    frame.to_csv(tmp["csv"], index=False, encoding="utf-8-sig")
    frame.to_parquet(tmp["parquet"], index=False)
    S.write_xlsx(frame, tmp["xlsx"], banner)
    for k, p in tmp.items():
        p.replace(out[k])
    if not quiet:
        print(f"generated {rows:,} rows in {time.perf_counter() - t:.1f} s")
    return out
