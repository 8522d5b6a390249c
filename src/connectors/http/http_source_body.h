// The body of a request to the http source as record values: `json` (one object, or an array of objects),
// `ndjson` (one object per line; blank lines are skipped) or `lines` (each line a record {"message": line}).
// A malformed body is one error naming its line and column (1-based), so the 400 answer tells the sender where.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "core/value.h"

namespace pipeline::http {

// How a request body splits into records. Not BodyFormat: that is the http sink's, and two definitions of one
// name in a namespace break the One Definition Rule (LTO warned: -Wodr).
enum class IngestBodyFormat { kJson, kNdjson, kLines };

Result<std::vector<Value>> DecodeBody(std::string_view body, IngestBodyFormat format);

// Where the first JSON syntax error in `text` is, as a byte offset (text.size() when the text ends too early);
// -1 when there is none. simdjson's DOM parser, which decodes, says what is wrong but not where.
long JsonErrorOffset(std::string_view text);

}  // namespace pipeline::http
