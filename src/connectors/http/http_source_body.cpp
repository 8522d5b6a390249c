#include "connectors/http/http_source_body.h"

#include <memory>

#include "formats/json.h"

namespace pipeline::http {
namespace {

// A recursive-descent JSON syntax check that stops at the first error; only used to locate an error simdjson
// found. Depth is bounded so that a hostile body cannot exhaust the stack.
class JsonLocator {
 public:
  explicit JsonLocator(std::string_view s) : s_(s) {}
  long Check() {
    Space();
    if (!Value(0)) return static_cast<long>(pos_);
    Space();
    return pos_ == s_.size() ? -1 : static_cast<long>(pos_);
  }

 private:
  bool Value(int depth) {
    if (depth > 512 || pos_ >= s_.size()) return false;
    switch (s_[pos_]) {
      case '{':
        return Container(depth, '}', true);
      case '[':
        return Container(depth, ']', false);
      case '"':
        return String();
      case 't':
        return Word("true");
      case 'f':
        return Word("false");
      case 'n':
        return Word("null");
      default:
        return Number();
    }
  }
  bool Container(int depth, char close, bool object) {
    ++pos_;
    Space();
    if (Take(close)) return true;
    while (true) {
      if (object) {
        if (pos_ >= s_.size() || s_[pos_] != '"' || !String()) return false;
        Space();
        if (!Take(':')) return false;
        Space();
      }
      if (!Value(depth + 1)) return false;
      Space();
      if (Take(close)) return true;
      if (!Take(',')) return false;
      Space();
    }
  }
  bool String() {
    ++pos_;
    while (pos_ < s_.size()) {
      unsigned char c = static_cast<unsigned char>(s_[pos_]);
      if (c == '"') return ++pos_, true;
      if (c < 0x20) return false;
      pos_ += c == '\\' ? 2 : 1;
    }
    return false;
  }
  bool Number() {
    size_t start = pos_;
    Take('-');
    while (pos_ < s_.size() && (isdigit(static_cast<unsigned char>(s_[pos_])) || s_[pos_] == '.' || s_[pos_] == 'e' ||
                                s_[pos_] == 'E' || s_[pos_] == '+' || s_[pos_] == '-'))
      ++pos_;
    if (pos_ == start) return false;
    return true;
  }
  bool Word(std::string_view w) {
    if (s_.substr(pos_, w.size()) != w) return false;
    pos_ += w.size();
    return true;
  }
  bool Take(char c) {
    if (pos_ < s_.size() && s_[pos_] == c) return ++pos_, true;
    return false;
  }
  void Space() {
    while (pos_ < s_.size() && (s_[pos_] == ' ' || s_[pos_] == '\t' || s_[pos_] == '\n' || s_[pos_] == '\r')) ++pos_;
  }

  std::string_view s_;
  size_t pos_ = 0;
};

// "line L, column C" of byte `offset` of `text`, lines counted from `first_line`.
std::string LineColumn(std::string_view text, size_t offset, size_t first_line = 1) {
  size_t line = first_line, line_start = 0;
  for (size_t i = 0; i < offset && i < text.size(); ++i)
    if (text[i] == '\n') ++line, line_start = i + 1;
  return "line " + std::to_string(line) + ", column " + std::to_string(offset - line_start + 1);
}

Error Malformed(std::string_view text, const std::string& why, size_t first_line = 1) {
  long at = JsonErrorOffset(text);
  std::string where = LineColumn(text, at < 0 ? 0 : static_cast<size_t>(at), first_line);
  return DataError(where + ": " + why);
}

Status AddObject(Value v, std::string_view text, size_t first_line, std::vector<Value>& out) {
  if (!v.is_struct()) return DataError(LineColumn(text, 0, first_line) + ": expected a JSON object");
  out.push_back(std::move(v));
  return {};
}

Result<std::vector<Value>> DecodeJson(std::string_view body) {
  auto parsed = ParseJson(body);
  if (!parsed.ok()) return Malformed(body, parsed.error().message());
  std::vector<Value> out;
  if (!parsed->is_array()) {
    PIPE_RETURN_IF_ERROR(AddObject(std::move(parsed).value(), body, 1, out));
    return out;
  }
  for (const Value& item : parsed->as_array()) {
    if (!item.is_struct())
      return DataError("item " + std::to_string(out.size() + 1) + " of the array: expected a JSON object");
    out.push_back(item);
  }
  return out;
}

template <class PerLine>
Status ForEachLine(std::string_view body, PerLine per_line) {
  size_t line_no = 0;
  while (!body.empty()) {
    ++line_no;
    size_t nl = body.find('\n');
    std::string_view line = body.substr(0, nl);
    body.remove_prefix(nl == std::string_view::npos ? body.size() : nl + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    PIPE_RETURN_IF_ERROR(per_line(line, line_no));
  }
  return {};
}

}  // namespace

long JsonErrorOffset(std::string_view text) { return JsonLocator(text).Check(); }

Result<std::vector<Value>> DecodeBody(std::string_view body, IngestBodyFormat format) {
  if (format == IngestBodyFormat::kJson) return DecodeJson(body);
  std::vector<Value> out;
  auto names = std::make_shared<const FieldNames>(FieldNames{{"message"}});
  Status s = ForEachLine(body, [&](std::string_view line, size_t line_no) -> Status {
    if (format == IngestBodyFormat::kLines) {
      out.emplace_back(Struct{names, {Value(line)}});
      return {};
    }
    if (line.find_first_not_of(" \t") == std::string_view::npos) return {};
    auto parsed = ParseJson(line);
    if (!parsed.ok()) return Malformed(line, parsed.error().message(), line_no);
    return AddObject(std::move(parsed).value(), line, line_no, out);
  });
  if (!s.ok()) return s.error();
  return out;
}

}  // namespace pipeline::http
