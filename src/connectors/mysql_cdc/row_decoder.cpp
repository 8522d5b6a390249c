#include "connectors/mysql_cdc/row_decoder.h"

#include "connectors/mysql_cdc/column_decoder.h"

namespace pipeline::mysql_cdc {
namespace {

bool Bit(std::string_view bitmap, size_t i) {
  return i / 8 < bitmap.size() && ((static_cast<uint8_t>(bitmap[i / 8]) >> (i % 8)) & 1);
}

// Whether an image over `present` carries any column (and so takes at least its null bitmap's byte).
bool Carries(std::string_view present, size_t column_count) {
  for (size_t i = 0; i < column_count; ++i)
    if (Bit(present, i)) return true;
  return false;
}

Result<RowImage> DecodeImage(const TableMap& table, std::string_view data, size_t& at, std::string_view present,
                             size_t column_count, std::set<size_t>& zero_dates) {
  size_t carried = 0;
  for (size_t i = 0; i < column_count; ++i) carried += Bit(present, i);
  const size_t null_bytes = (carried + 7) / 8;
  const std::string where = " of " + table.database + "." + table.table;
  if (at + null_bytes > data.size()) return FatalError("binlog: a row image" + where + " ends inside its null bitmap");
  const std::string_view nulls = data.substr(at, null_bytes);
  at += null_bytes;
  RowImage row(table.columns.size());
  size_t image_index = 0;
  for (size_t i = 0; i < column_count; ++i) {
    if (!Bit(present, i)) continue;
    const bool is_null = Bit(nulls, image_index++);
    if (is_null) continue;
    if (i >= table.columns.size()) return FatalError("binlog: a row" + where + " has more columns than its table map");
    bool zero_date = false;
    const TableColumn& column = table.columns[i];
    if (!DecodeColumn(column, data, at, row[i], zero_date))
      return FatalError("binlog: column " + column.name + where + " (binlog type " + std::to_string(column.type) +
                        ") cannot be decoded: its bytes end early or the type is not supported");
    if (zero_date) zero_dates.insert(i);
  }
  return row;
}

}  // namespace

Result<std::vector<RowImage>> DecodeRowImages(const TableMap& table, const RowsEventBytes& event, bool is_update,
                                              std::set<size_t>& zero_dates) {
  std::vector<RowImage> images;
  size_t at = 0;
  while (at < event.data.size()) {
    // An image of no column takes no bytes: with bytes left, the event cannot be what its bitmaps say, and reading
    // on would add empty images forever (found by fuzzing, issue 21).
    if (!Carries(event.columns, event.column_count) ||
        (is_update && !Carries(event.columns_after.empty() ? event.columns : event.columns_after, event.column_count)))
      return FatalError("binlog: a rows event of " + table.database + "." + table.table + " has " +
                        std::to_string(event.data.size() - at) + " bytes left but its images carry no column");
    auto before = DecodeImage(table, event.data, at, event.columns, event.column_count, zero_dates);
    if (!before.ok()) return before.error();
    images.push_back(std::move(before).value());
    if (!is_update) continue;
    auto after = DecodeImage(table, event.data, at, event.columns_after.empty() ? event.columns : event.columns_after,
                             event.column_count, zero_dates);
    if (!after.ok()) return after.error();
    images.push_back(std::move(after).value());
  }
  return images;
}

}  // namespace pipeline::mysql_cdc
