// The condition language of Filter and of predicates (transforms/predicates/condition.h): the input's first line
// is the condition, parsed as a pipeline's `condition:` is; the rest, when it is JSON, is a record value to
// evaluate it on, after a few fixed records with every attribute a path can name.
#include <cstdint>
#include <string_view>

#include "formats/json.h"
#include "transforms/predicates/condition.h"

namespace {

std::vector<pipeline::Record> FixedRecords() {
  std::vector<pipeline::Record> records(3);
  auto parsed = pipeline::ParseJson(
      R"({"status":404,"level":"error","message":"Invalid user","path":"/api/x","http":{"method":"POST"},)"
      R"("tags":["a","b",3],"active":true,"price":12.5,"code":"404","user name":null})");
  records[0].value = *parsed;
  records[0].key = pipeline::Value("k1");
  records[0].topic = "orders";
  records[0].timestamp = 1700000000000;
  records[0].partition = 2;
  records[0].offset = 7;
  records[0].headers.push_back({"trace", std::string("abc")});
  records[1].value = pipeline::Value(int64_t{42});  // not a struct
  // records[2]: all null, no topic, no headers
  return records;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static std::vector<pipeline::Record> fixed = FixedRecords();
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const size_t newline = input.find('\n');
  auto condition = pipeline::Condition::Parse(input.substr(0, newline));
  if (!condition.ok()) return 0;
  for (const auto& record : fixed) (void)condition->Matches(record);
  if (newline == std::string_view::npos) return 0;
  auto value = pipeline::ParseJson(input.substr(newline + 1));
  if (!value.ok()) return 0;
  pipeline::Record record;
  record.value = std::move(*value);
  (void)condition->Matches(record);
  return 0;
}
