-- bench sql-tumbling-duckdb, DuckDB side: per page and 1-minute window (on _time, epoch ms), count and bytes.
COPY (
  SELECT page,
         epoch_ms(time_bucket(INTERVAL 1 MINUTE, epoch_ms(_time))) AS window_start,
         count(*) AS cnt,
         sum(bytes) AS total_bytes
  FROM read_json_auto('${INPUT}')
  GROUP BY page, time_bucket(INTERVAL 1 MINUTE, epoch_ms(_time))
) TO '${OUTPUT}' (FORMAT json);
