"""The peer: what a data engineer writes by hand in DuckDB for six of the plan's indicators.

    python benchmarks/peer_duckdb.py cases-1000000.parquet     # an export (Vietnamese headers)
    python benchmarks/peer_duckdb.py DATASET/                   # a dataset written by ttkhc convert

Prints I.1, I.2, I.3, I.4, II.2 and IV.1 as numerator/denominator over the whole data (timing
by the day, without ttkhc's rules on hours, waits and extensions).
"""

from __future__ import annotations

import sys
from pathlib import Path

import duckdb

RAW = """
WITH raw AS (SELECT * FROM {scan}),
c AS (
  SELECT try_strptime("Ngày tiếp nhận", '%d/%m/%Y %H:%M') AS received_at,
         try_strptime("Ngày hẹn trả", '%d/%m/%Y %H:%M') AS due_at,
         try_strptime("Ngày có kết quả", '%d/%m/%Y %H:%M') AS completed_at,
         CASE WHEN "Trạng thái" ILIKE '%trả kết quả%' OR "Trạng thái" ILIKE '%xong%' OR "Trạng thái" ILIKE '%có kết quả%'
              THEN 'completed' WHEN "Trạng thái" ILIKE '%rút%' THEN 'withdrawn' WHEN "Trạng thái" ILIKE '%từ chối%'
              THEN 'rejected' ELSE 'processing' END AS status,
         CASE WHEN "Hình thức nộp" ILIKE '%trực tuyến%' THEN 'online' ELSE 'direct' END AS channel,
         TRY_CAST(replace(CAST("Phí, lệ phí (đồng)" AS VARCHAR), '.', '') AS DOUBLE) AS fee,
         CAST("Thanh toán trực tuyến" AS VARCHAR) IN ('Có', 'x', '1', 'true') AS paid_online,
         CAST("Số hóa hồ sơ" AS VARCHAR) IN ('Có', 'x', '1', 'true') AS dossier_digitised,
         CAST("Số hóa kết quả" AS VARCHAR) IN ('Có', 'x', '1', 'true') AS result_digitised,
         CAST("Đồng bộ DVCQG" AS VARCHAR) IN ('Có', 'x', '1', 'true') AS synced,
         'xa' AS level
  FROM raw)
"""
CANONICAL = """
WITH c AS (SELECT received_at, due_at, COALESCE(completed_at, returned_at, rejected_at, withdrawn_at) AS completed_at,
                  status, channel, fee, paid_online, dossier_digitised, result_digitised, synced,
                  COALESCE(level, 'xa') AS level
           FROM {scan})
"""
COUNTS = """
SELECT count(*) FILTER (WHERE fee > 0 AND paid_online), count(*) FILTER (WHERE fee > 0),
       count(*) FILTER (WHERE channel = 'online'), count(*),
       count(*) FILTER (WHERE done AND dossier_digitised AND result_digitised), count(*) FILTER (WHERE done),
       count(*) FILTER (WHERE synced), count(*),
       count(*) FILTER (WHERE done AND level = 'xa' AND result_digitised), count(*) FILTER (WHERE done AND level = 'xa'),
       count(*) FILTER (WHERE ended AND CAST(completed_at AS DATE) <= CAST(due_at AS DATE)),
       count(*) FILTER (WHERE ended AND due_at IS NOT NULL)
FROM (SELECT *, status IN ('completed', 'returned') AND completed_at IS NOT NULL AS done,
             status IN ('completed', 'returned', 'rejected', 'withdrawn', 'stopped') AND completed_at IS NOT NULL AS ended
      FROM c)
"""


def main(path: str) -> None:
    p = Path(path)
    con = duckdb.connect()
    if p.is_dir():
        scan = f"read_parquet('{p}/cases/**/*.parquet', union_by_name = true)"
        sql = CANONICAL.format(scan=scan) + COUNTS
    elif p.suffix == ".parquet":
        sql = RAW.format(scan=f"read_parquet('{p}')") + COUNTS
    else:
        sql = RAW.format(scan=f"read_csv('{p}', all_varchar = true, header = true)") + COUNTS
    row = con.execute(sql).fetchall()[0]
    for name, i in zip(("I.1", "I.2", "I.3", "I.4", "II.2", "IV.1"), range(0, 12, 2)):
        print(f"{name} {row[i]}/{row[i + 1]}")


if __name__ == "__main__":
    main(sys.argv[1])
