#include "plugin/text_position.h"

#include <charconv>
#include <vector>

namespace pipeline {
namespace {

// "12:7: rest" -> (12, 7, "rest").
bool SplitPosition(std::string_view text, int& line, int& column, std::string_view& rest) {
  const char* end = text.data() + text.size();
  auto [after_line, e1] = std::from_chars(text.data(), end, line);
  if (e1 != std::errc() || after_line == end || *after_line != ':') return false;
  auto [after_column, e2] = std::from_chars(after_line + 1, end, column);
  if (e2 != std::errc() || end - after_column < 2 || after_column[0] != ':' || after_column[1] != ' ') return false;
  rest = std::string_view(after_column + 2, end - after_column - 2);
  return line > 0 && column > 0;
}

std::vector<std::string_view> Lines(std::string_view text) {
  std::vector<std::string_view> lines;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    lines.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return lines;
}

size_t Indentation(std::string_view line) {
  size_t n = 0;
  while (n < line.size() && line[n] == ' ') ++n;
  return n;
}

}  // namespace

std::optional<PositionedMessage> PositionInFile(const YAML::Node& value, const std::string& file,
                                                const std::string& file_text, const std::string& message) {
  int line = 0, column = 0;
  std::string_view rest;
  if (!value.IsScalar() || value.Tag().starts_with(kOverrideTagPrefix) || !SplitPosition(message, line, column, rest))
    return std::nullopt;
  // The same position said again ("2:36: 2:36: …") is said once.
  for (int again_line = 0, again_column = 0; SplitPosition(rest, again_line, again_column, rest);) {}
  const YAML::Mark mark = value.Mark();
  const std::vector<std::string_view> lines = Lines(file_text);
  if (mark.line < 0 || size_t(mark.line) >= lines.size() || size_t(mark.column) >= lines[mark.line].size())
    return std::nullopt;
  const char style = lines[mark.line][mark.column];
  PositionedMessage out{{file, 0, 0}, std::string(rest)};
  if (style == '|' || style == '>') {
    // Line 1 of the text is the line after the indicator; its indentation is that of the first non-blank line.
    size_t first = mark.line + 1;
    while (first < lines.size() && lines[first].find_first_not_of(' ') == std::string_view::npos) ++first;
    const size_t target = mark.line + line;
    if (first >= lines.size() || target >= lines.size()) return std::nullopt;
    out.at.line = int(target) + 1;
    out.at.column = int(Indentation(lines[first])) + column;
    return out;
  }
  if (line != 1) return std::nullopt;  // a flow scalar over several lines is folded: its lines are not the file's
  const int opening_quote = (style == '"' || style == '\'') ? 1 : 0;
  out.at.line = mark.line + 1;
  out.at.column = mark.column + opening_quote + column;
  return out;
}

}  // namespace pipeline
