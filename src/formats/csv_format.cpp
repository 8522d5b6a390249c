// `csv`: RFC 4180 fields on one line; the first line is the header. Cells are typed: empty → null,
// integers → int, other numbers → double, true/false → boolean, anything else → string.
#include <charconv>
#include <cstdlib>

#include "formats/formats_internal.h"
#include "formats/json.h"

namespace pipeline {

namespace {

Status SplitCsvLine(std::string_view line, std::vector<std::string>& cells) {
  cells.clear();
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  std::string cell;
  size_t i = 0;
  while (true) {
    cell.clear();
    if (i < line.size() && line[i] == '"') {
      ++i;
      while (true) {
        if (i >= line.size()) return DataError("unterminated quoted CSV field");
        if (line[i] == '"') {
          if (i + 1 < line.size() && line[i + 1] == '"') {
            cell.push_back('"');
            i += 2;
            continue;
          }
          ++i;
          break;
        }
        cell.push_back(line[i++]);
      }
      if (i < line.size() && line[i] != ',') return DataError("unexpected character after a quoted CSV field at column " + std::to_string(i + 1));
    } else {
      size_t end = line.find(',', i);
      if (end == std::string_view::npos) end = line.size();
      cell.assign(line.substr(i, end - i));
      i = end;
    }
    cells.push_back(cell);
    if (i >= line.size()) break;
    ++i;  // the comma
  }
  return {};
}

Value TypedCell(const std::string& cell) {
  if (cell.empty()) return Value();
  if (cell == "true") return Value(true);
  if (cell == "false") return Value(false);
  int64_t n;
  auto [p, ec] = std::from_chars(cell.data(), cell.data() + cell.size(), n);
  if (ec == std::errc() && p == cell.data() + cell.size()) return Value(n);
  double d;
  auto [p2, ec2] = std::from_chars(cell.data(), cell.data() + cell.size(), d);
  if (ec2 == std::errc() && p2 == cell.data() + cell.size()) return Value(d);
  return Value(cell);
}

class CsvDecoder : public Decoder {
 public:
  bool ExpectsHeader() const override { return names_ == nullptr; }
  Status Decode(std::string_view bytes, Record& record) override {
    PIPE_RETURN_IF_ERROR(SplitCsvLine(bytes, cells_));
    if (!names_) {
      auto names = std::make_shared<FieldNames>();
      names->names = cells_;
      names_ = std::move(names);
      return {};
    }
    if (cells_.size() != names_->names.size())
      return DataError("CSV line has " + std::to_string(cells_.size()) + " fields, the header has " +
                       std::to_string(names_->names.size()));
    Struct s;
    s.names = names_;
    s.values.reserve(cells_.size());
    for (const auto& c : cells_) s.values.push_back(TypedCell(c));
    record.value = Value(std::move(s));
    return {};
  }

 private:
  FieldNamesPtr names_;
  std::vector<std::string> cells_;
};

void AppendCsvCell(const Value& v, std::string& out) {
  if (v.is_null()) return;
  std::string text = v.is_string() ? v.as_string() : ToJson(v);
  if (text.find_first_of(",\"\r\n") == std::string::npos) {
    out += text;
    return;
  }
  out.push_back('"');
  for (char c : text) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
}

class CsvEncoder : public Encoder {
 public:
  std::string Header(const Record& first) override {
    std::string out;
    if (!first.value.is_struct()) return "value";
    const Struct& s = first.value.as_struct();
    for (size_t i = 0; i < s.size(); ++i) {
      if (i) out.push_back(',');
      AppendCsvCell(Value(s.name(i)), out);
    }
    return out;
  }
  void Encode(const Record& record, std::string& out) override {
    if (!record.value.is_struct()) {
      AppendCsvCell(record.value, out);
      return;
    }
    const Struct& s = record.value.as_struct();
    for (size_t i = 0; i < s.size(); ++i) {
      if (i) out.push_back(',');
      AppendCsvCell(s.values[i], out);
    }
  }
};

}  // namespace

std::unique_ptr<Decoder> MakeCsvDecoder() { return std::make_unique<CsvDecoder>(); }
std::unique_ptr<Encoder> MakeCsvEncoder() { return std::make_unique<CsvEncoder>(); }

}  // namespace pipeline
