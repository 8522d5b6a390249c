// `csv`: RFC 4180 fields on one line (a delimiter and quote of choice); the first line is the header unless
// `header: false`. Cells are strings, as Vector and Redpanda Connect read them, unless `columns` declares a type or
// `infer_types` is on; the cell null_value (by default the empty one) is null. Typing by guess took the leading
// zero off zip codes and phone numbers (01234 -> 1234), so it is asked for, and never applies to such text.
#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <simdjson.h>

#include "formats/formats_internal.h"
#include "formats/json.h"

namespace pipeline {

namespace {

// One line's cells; `quoted[i]` says whether cell i was quoted (a quoted cell is never null_value).
Status SplitCsvLine(std::string_view line, char delimiter, char quote, std::vector<std::string>& cells,
                    std::vector<bool>& quoted) {
  cells.clear();
  quoted.clear();
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  std::string cell;
  size_t i = 0;
  while (true) {
    cell.clear();
    const bool is_quoted = i < line.size() && line[i] == quote;
    if (is_quoted) {
      ++i;
      while (true) {
        if (i >= line.size()) return DataError("unterminated quoted CSV field");
        if (line[i] == quote) {
          if (i + 1 < line.size() && line[i + 1] == quote) {
            cell.push_back(quote);
            i += 2;
            continue;
          }
          ++i;
          break;
        }
        cell.push_back(line[i++]);
      }
      if (i < line.size() && line[i] != delimiter)
        return DataError("unexpected character after a quoted CSV field at column " + std::to_string(i + 1));
    } else {
      size_t end = line.find(delimiter, i);
      if (end == std::string_view::npos) end = line.size();
      cell.assign(line.substr(i, end - i));
      i = end;
    }
    cells.push_back(cell);
    quoted.push_back(is_quoted);
    if (i >= line.size()) break;
    ++i;  // the delimiter
  }
  return {};
}

// A number whose text has a leading zero (01234, -007) is an identifier, not a number: it stays a string.
bool HasLeadingZero(const std::string& cell) {
  size_t digits = cell[0] == '-' ? 1 : 0;
  return cell.size() > digits + 1 && cell[digits] == '0' && cell[digits + 1] != '.';
}

// infer_types: int, double, boolean by their text, anything else a string.
Value InferredCell(const std::string& cell) {
  if (cell == "true") return Value(true);
  if (cell == "false") return Value(false);
  if (cell.empty() || HasLeadingZero(cell)) return Value(cell);
  int64_t n;
  auto [p, ec] = std::from_chars(cell.data(), cell.data() + cell.size(), n);
  if (ec == std::errc() && p == cell.data() + cell.size()) return Value(n);
  double d;
  auto [p2, ec2] = std::from_chars(cell.data(), cell.data() + cell.size(), d);
  if (ec2 == std::errc() && p2 == cell.data() + cell.size()) return Value(d);
  return Value(cell);
}

// A cell of a declared type; the error names the column.
Result<Value> TypedCell(const std::string& cell, const std::string& type, const std::string& column) {
  if (type == "string") return Value(cell);
  if (type == "boolean") {
    if (cell == "true" || cell == "TRUE" || cell == "True") return Value(true);
    if (cell == "false" || cell == "FALSE" || cell == "False") return Value(false);
  } else if (type == "int") {
    int64_t n;
    auto [p, ec] = std::from_chars(cell.data(), cell.data() + cell.size(), n);
    if (ec == std::errc() && p == cell.data() + cell.size()) return Value(n);
  } else if (type == "double") {
    double d;
    auto [p, ec] = std::from_chars(cell.data(), cell.data() + cell.size(), d);
    if (ec == std::errc() && p == cell.data() + cell.size()) return Value(d);
  }
  return DataError("CSV column " + column + ": '" + cell + "' is not a" + (type == "int" ? "n " : " ") + type);
}

class CsvDecoder : public Decoder {
 public:
  explicit CsvDecoder(CsvOptions options) : options_(std::move(options)) {
    if (!options_.header) SetColumns(Names(options_.columns));
  }
  bool ExpectsHeader() const override { return names_ == nullptr && header_error_.empty(); }
  Status Decode(std::string_view bytes, Record& record) override {
    // A byte-order mark names no column: Excel writes one before the header.
    if (bytes.starts_with("\xEF\xBB\xBF")) bytes.remove_prefix(3);
    // Records become JSON, which must be UTF-8: a Latin-1 export would otherwise give output pipe cannot read back.
    if (!simdjson::validate_utf8(bytes.data(), bytes.size()))
      return DataError("CSV line is not valid UTF-8 (convert the file, e.g. iconv -f latin1 -t utf-8)");
    if (!header_error_.empty()) return DataError(header_error_);
    PIPE_RETURN_IF_ERROR(SplitCsvLine(bytes, options_.delimiter, options_.quote, cells_, quoted_));
    if (!names_) return TakeHeader();
    if (cells_.size() != names_->names.size())
      return DataError("CSV line has " + std::to_string(cells_.size()) + " fields, " +
                       (options_.header ? "the header has " : "columns declares ") +
                       std::to_string(names_->names.size()));
    Struct s;
    s.names = names_;
    s.values.reserve(cells_.size());
    for (size_t i = 0; i < cells_.size(); ++i) {
      const std::string& cell = cells_[i];
      if (!quoted_[i] && cell == options_.null_value) {
        s.values.emplace_back();
      } else if (!types_[i].empty()) {
        auto typed = TypedCell(cell, types_[i], names_->names[i]);
        if (!typed.ok()) return typed.error();
        s.values.push_back(std::move(*typed));
      } else {
        s.values.push_back(options_.infer_types ? InferredCell(cell) : Value(cell));
      }
    }
    record.value = Value(std::move(s));
    return {};
  }

 private:
  static std::vector<std::string> Names(const std::vector<CsvColumn>& columns) {
    std::vector<std::string> names;
    for (const auto& c : columns) names.push_back(c.name);
    return names;
  }
  // Two columns of one name would make a record with a repeated field: the header is refused, and so is every
  // line after it (they follow on_error), rather than taking the next line for the header.
  Status TakeHeader() {
    for (size_t i = 0; i < cells_.size(); ++i)
      for (size_t j = 0; j < i; ++j)
        if (cells_[i] == cells_[j]) {
          header_error_ = "the CSV header names column '" + cells_[i] + "' twice (columns " + std::to_string(j + 1) +
                          " and " + std::to_string(i + 1) + ")";
          return DataError(header_error_);
        }
    SetColumns(cells_);
    return {};
  }
  // The names of the columns (from the header or `columns`) and the declared type of each ("" = undeclared).
  void SetColumns(const std::vector<std::string>& names) {
    auto shared = std::make_shared<FieldNames>();
    shared->names = names;
    names_ = std::move(shared);
    types_.assign(names.size(), "");
    for (size_t i = 0; i < names.size(); ++i)
      for (const auto& c : options_.columns)
        if (c.name == names[i]) types_[i] = c.type;
  }

  CsvOptions options_;
  FieldNamesPtr names_;
  std::vector<std::string> types_;
  std::vector<std::string> cells_;
  std::vector<bool> quoted_;
  std::string header_error_;  // why the header was refused
};

// Writes what CsvDecoder reads back with the same options: a null as null_value, and a string that would read
// as null (the null_value text, by default the empty cell) or holds the delimiter, the quote or a line break in
// quotes.
class CsvEncoder : public Encoder {
 public:
  explicit CsvEncoder(CsvOptions options) : options_(std::move(options)) {
    special_ = {options_.delimiter, options_.quote, '\r', '\n'};
  }
  std::string Header(const Record& first) override {
    if (!options_.header) return {};
    std::string out;
    if (!options_.columns.empty()) {
      for (size_t i = 0; i < options_.columns.size(); ++i) AppendName(i, options_.columns[i].name, out);
      return out;
    }
    if (!first.value.is_struct()) return "value";
    const Struct& s = first.value.as_struct();
    for (size_t i = 0; i < s.size(); ++i) AppendName(i, s.name(i), out);
    return out;
  }
  void Encode(const Record& record, std::string& out) override {
    if (!record.value.is_struct()) {
      AppendCell(record.value, out);
      return;
    }
    const Struct& s = record.value.as_struct();
    if (options_.columns.empty()) {
      for (size_t i = 0; i < s.size(); ++i) {
        if (i) out.push_back(options_.delimiter);
        AppendCell(s.values[i], out);
      }
      return;
    }
    static const Value kNull;
    for (size_t i = 0; i < options_.columns.size(); ++i) {
      if (i) out.push_back(options_.delimiter);
      const Value* v = s.Find(options_.columns[i].name);
      AppendCell(v ? *v : kNull, out);
    }
  }

 private:
  void AppendName(size_t i, const std::string& name, std::string& out) {
    if (i) out.push_back(options_.delimiter);
    AppendText(name, out);
  }
  void AppendCell(const Value& v, std::string& out) {
    if (v.is_null()) {
      out += options_.null_value;
      return;
    }
    AppendText(v.is_string() ? v.as_string() : ToJson(v), out);
  }
  void AppendText(const std::string& text, std::string& out) {
    if (text != options_.null_value && text.find_first_of(special_) == std::string::npos) {
      out += text;
      return;
    }
    out.push_back(options_.quote);
    for (char c : text) {
      if (c == options_.quote) out.push_back(c);
      out.push_back(c);
    }
    out.push_back(options_.quote);
  }

  CsvOptions options_;
  std::string special_;  // characters that need quotes
};

}  // namespace

std::vector<std::string> CsvColumnTypes() { return {"string", "int", "double", "boolean"}; }

Result<std::unique_ptr<Decoder>> MakeCsvDecoder(const CsvOptions& options) {
  if (!options.header && options.columns.empty())
    return ConfigError("csv with header: false needs columns: to name them");
  if (options.delimiter == options.quote) return ConfigError("csv: the delimiter and the quote must differ");
  for (const auto& c : options.columns) {
    const auto types = CsvColumnTypes();
    if (std::find(types.begin(), types.end(), c.type) == types.end())
      return ConfigError("csv column " + c.name + ": unknown type '" + c.type + "', expected string, int, double or "
                         "boolean");
  }
  return std::unique_ptr<Decoder>(std::make_unique<CsvDecoder>(options));
}
std::unique_ptr<Encoder> MakeCsvEncoder(const CsvOptions& options) { return std::make_unique<CsvEncoder>(options); }

}  // namespace pipeline
