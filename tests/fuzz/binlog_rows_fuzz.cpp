// The mysql_cdc source's reading of a table map and a rows event (connectors/mysql_cdc/mysql_cdc_source.cpp,
// AddTableMap and AddRows): the TABLE_MAP parts as Connector/C splits them (binlog_connection.cpp, FillTableMap)
// parsed by ParseTableMap, the rows event's images decoded against it by DecodeRowImages, the images made records.
// Every record must come out as JSON that pipe reads back.
//
// Input layout (each length one byte unless said): flags (bit 0-1 rows kind: write, update, delete; bit 2
// envelope), database length + bytes, table length + bytes, column count N + N column types, metadata length +
// bytes, the null bitmap ((N+7)/8 bytes), optional metadata length (2 bytes, big-endian) + bytes, the rows
// event's column count M, its column bitmap ((M+7)/8 bytes), for an update the after-image bitmap (same size),
// then the row images (the rest).
#include <cstdint>
#include <set>
#include <string_view>
#include <vector>

#include "connectors/mysql_cdc/change_records.h"
#include "connectors/mysql_cdc/row_decoder.h"
#include "connectors/mysql_cdc/table_map.h"
#include "decode_lines.h"

namespace {

class Bytes {
 public:
  explicit Bytes(std::string_view rest) : rest_(rest) {}
  bool Take(size_t n, std::string_view& out) {
    if (n > rest_.size()) return false;
    out = rest_.substr(0, n);
    rest_.remove_prefix(n);
    return true;
  }
  bool Length(size_t width, size_t& n) {
    std::string_view b;
    if (!Take(width, b)) return false;
    n = 0;
    for (char c : b) n = n << 8 | static_cast<uint8_t>(c);
    return true;
  }
  bool Field(size_t width, std::string_view& out) {
    size_t n = 0;
    return Length(width, n) && Take(n, out);
  }
  std::string_view rest() const { return rest_; }

 private:
  std::string_view rest_;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace pipeline::mysql_cdc;
  Bytes in(std::string_view(reinterpret_cast<const char*>(data), size));
  size_t flags = 0, columns = 0, event_columns = 0;
  TableMapBytes map_bytes;
  map_bytes.table_id = 7;
  if (!in.Length(1, flags) || !in.Field(1, map_bytes.database) || !in.Field(1, map_bytes.table) ||
      !in.Field(1, map_bytes.column_types) || !in.Field(1, map_bytes.metadata))
    return 0;
  columns = map_bytes.column_types.size();
  if (!in.Take((columns + 7) / 8, map_bytes.null_bitmap) || !in.Field(2, map_bytes.optional_metadata)) return 0;
  const RowsKind kind = static_cast<RowsKind>(flags % 3);
  RowsEventBytes event;
  if (!in.Length(1, event_columns) || !in.Take((event_columns + 7) / 8, event.columns)) return 0;
  if (kind == RowsKind::kUpdate && !in.Take((event_columns + 7) / 8, event.columns_after)) return 0;
  event.column_count = static_cast<uint32_t>(event_columns);
  event.data = in.rest();

  auto map = ParseTableMap(map_bytes);
  if (!map.ok()) return 0;
  std::set<size_t> zero_dates;
  auto images = DecodeRowImages(*map, event, kind == RowsKind::kUpdate, zero_dates);
  if (!images.ok() || !map->has_names) return 0;  // the source stops at either
  for (size_t column : zero_dates)
    if (column >= map->columns.size()) __builtin_trap();  // the source names these columns
  const ChangeRecords records(flags & 4 ? Envelope::kDebezium : Envelope::kRow, "mysql");
  const CapturedTable table = records.Describe(std::move(*map));
  std::vector<pipeline::Record> out;
  records.Add(table, kind, *images, ChangeOrigin{"binlog.000001", 4, 1, "0-1-1", 0, false}, out);
  for (const auto& record : out) pipeline::fuzz::CheckWritesReadableJson(record);
  return 0;
}
