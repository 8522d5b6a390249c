// JSON <-> Value. Objects become Structs (field order kept, names shared between records of the same shape),
// arrays Arrays, integers int64, other numbers double. Writing (AppendJson, ToJson) is core/json_text.h's,
// included here: ksqlDB's JSON format, DATE as days, TIME as ms of day, TIMESTAMP as epoch ms, BYTES as base64,
// DECIMAL as a plain number.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "core/field_demand.h"
#include "core/json_text.h"
#include "core/result.h"
#include "core/value.h"

namespace pipeline {

class JsonReader {
 public:
  JsonReader();
  ~JsonReader();
  // Parses one JSON document. Errors name the byte offset in `text`. With `readable_after` bytes readable past
  // the end of `text` (at least simdjson's padding), it is parsed in place rather than copied first.
  Result<Value> Parse(std::string_view text, size_t readable_after = 0);
  // The documents parsed next are the lines of `lines` (newline-separated, `readable_after` bytes readable past
  // its end, valid until the next call), in order: they are parsed ahead a block at a time (simdjson's
  // parse_many, cheaper than a parse per line). A Parse() of exactly one of those lines takes its document;
  // anything else (a line the block parse did not see as one whole document, or after a block error) is parsed
  // alone as before, so results and error messages do not change. ParseAhead({}, 0) forgets the lines.
  void ParseAhead(std::string_view lines, size_t readable_after);
  // From now on, a top-level object keeps only these fields (the document is still validated whole).
  void Project(const FieldDemand& demand);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// One-off parse (allocates a parser; use JsonReader in loops).
Result<Value> ParseJson(std::string_view text);

}  // namespace pipeline
