"""The peer: what a data engineer writes by hand in DuckDB for six of the plan's indicators.

    python benchmarks/peer_duckdb.py cases-1000000.parquet     # an export (Vietnamese headers)
    python benchmarks/peer_duckdb.py DATASET/ 2024              # a dataset written by ttkhc convert

Prints I.1, I.2, I.3, I.4, II.2 and IV.1 as numerator/denominator for a year (2024 by default),
each counted in the year by the date the plan counts it by: I.1, I.2 and I.4 by the day
received (a dossier not received at the counter is none of them), I.3 and II.2 by the day of the result, IV.1 by the day the dossier ended; timing by
the day, without ttkhc's rules on hours, waits and extensions. These are ttkhc's figures for
``compute --period YEAR`` on the benchmark's logs (scale.py checks that before it compares
times).
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
              THEN 'completed' WHEN "Trạng thái" ILIKE '%rút%' THEN 'withdrawn'
              WHEN "Trạng thái" ILIKE '%không được tiếp nhận%' OR "Trạng thái" ILIKE '%từ chối tiếp nhận%'
              THEN 'not_received' WHEN "Trạng thái" ILIKE '%từ chối%'
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
SELECT count(*) FILTER (WHERE inp AND fee > 0 AND paid_online), count(*) FILTER (WHERE inp AND fee > 0),
       count(*) FILTER (WHERE inp AND channel = 'online'), count(*) FILTER (WHERE inp),
       count(*) FILTER (WHERE done AND dossier_digitised AND result_digitised), count(*) FILTER (WHERE done),
       count(*) FILTER (WHERE inp AND synced), count(*) FILTER (WHERE inp),
       count(*) FILTER (WHERE done AND level = 'xa' AND result_digitised), count(*) FILTER (WHERE done AND level = 'xa'),
       count(*) FILTER (WHERE ended AND CAST(completed_at AS DATE) <= CAST(due_at AS DATE)),
       count(*) FILTER (WHERE ended AND due_at IS NOT NULL)
FROM (SELECT *, year(received_at) = {year} AND status IS DISTINCT FROM 'not_received' AS inp,  -- never received
             status IN ('completed', 'returned') AND year(completed_at) = {year} AS done,
             status IN ('completed', 'returned', 'rejected', 'withdrawn', 'stopped')
             AND year(completed_at) = {year} AS ended
      FROM c)
"""
NAMES = ("I.1", "I.2", "I.3", "I.4", "II.2", "IV.1")


def figures(path: str, year: int = 2024) -> dict[str, tuple[int, int]]:
    """The six indicators' numerator and denominator for ``year``."""
    p = Path(path)
    con = duckdb.connect()
    counts = COUNTS.format(year=int(year))
    if p.is_dir():
        scan = f"read_parquet('{p}/cases/**/*.parquet', union_by_name = true)"
        sql = CANONICAL.format(scan=scan) + counts
    elif p.suffix == ".parquet":
        sql = RAW.format(scan=f"read_parquet('{p}')") + counts
    else:
        sql = RAW.format(scan=f"read_csv('{p}', all_varchar = true, header = true)") + counts
    row = con.execute(sql).fetchall()[0]
    return {name: (row[i], row[i + 1]) for name, i in zip(NAMES, range(0, 12, 2))}


def main(path: str, year: int = 2024) -> None:
    for name, (numerator, denominator) in figures(path, year).items():
        print(f"{name} {numerator}/{denominator}")


if __name__ == "__main__":
    main(sys.argv[1], *(int(a) for a in sys.argv[2:3]))
