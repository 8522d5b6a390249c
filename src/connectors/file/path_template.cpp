#include "connectors/file/path_template.h"

namespace pipeline::file {

namespace {
char NoSlash(char c) { return c == '/' ? '_' : c; }
}  // namespace

Result<PathTemplate> PathTemplate::Parse(const std::string& text) {
  auto parsed = RecordTemplate::Parse(text, /*allow_part_number=*/true);
  if (!parsed.ok()) return parsed.error();
  PathTemplate t;
  t.template_ = std::move(*parsed);
  return t;
}

std::string PathTemplate::Partition(const Record& record) const {
  std::string out;
  out.reserve(text().size() + 16);
  template_.Render(record, out, &NoSlash);
  return out;
}

std::string PathTemplate::WithPart(const std::string& partition, int64_t n) {
  std::string out = partition;
  const std::string number = std::to_string(n);
  for (size_t pos = out.find("{n}"); pos != std::string::npos; pos = out.find("{n}", pos + number.size()))
    out.replace(pos, 3, number);
  return out;
}

}  // namespace pipeline::file
