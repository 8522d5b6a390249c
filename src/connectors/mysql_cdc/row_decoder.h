// DecodeRowImages: the row images of a WRITE/UPDATE/DELETE_ROWS event, decoded with the table map before it.
//
// The event's data is a sequence of images, each a null bitmap over the columns the image carries (the event's
// column bitmap) followed by the values of the non-null ones (column_decoder.h). An update has two images per row,
// before then after, the after image over its own column bitmap. With binlog_row_image=FULL every image carries
// every column; a column an image leaves out reads as null.
#pragma once

#include <set>
#include <string_view>
#include <vector>

#include "connectors/mysql_cdc/table_map.h"
#include "core/result.h"
#include "core/value.h"

namespace pipeline::mysql_cdc {

using RowImage = std::vector<Value>;  // one value per column of the table map

struct RowsEventBytes {
  std::string_view data;           // the images
  std::string_view columns;        // bitmap of the columns the (before) images carry
  std::string_view columns_after;  // update events: bitmap of the after images' columns; else empty
  uint32_t column_count = 0;       // the event's column count: may differ from the table map's after an ALTER
};

// The images in order (for updates: before, after, before, after, ...). Indexes of columns that held a zero date
// are added to `zero_dates`. A Fatal error names the table and column when the bytes do not fit the table map.
Result<std::vector<RowImage>> DecodeRowImages(const TableMap& table, const RowsEventBytes& event, bool is_update,
                                              std::set<size_t>& zero_dates);

}  // namespace pipeline::mysql_cdc
