-- bench sql-filter-duckdb, DuckDB side. ${INPUT}: the clickstream; ${OUTPUT}: newline-delimited JSON.
COPY (
  SELECT userid, page, status
  FROM read_json_auto('${INPUT}')
  WHERE status >= 400
) TO '${OUTPUT}' (FORMAT json);
