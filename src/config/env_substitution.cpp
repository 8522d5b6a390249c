#include "config/env_substitution.h"

namespace pipeline::config {

namespace {

bool IsNameChar(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

Location LocationAt(const std::string& text, size_t offset, const std::string& file) {
  int line = 1, col = 1;
  for (size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      col = 1;
    } else {
      ++col;
    }
  }
  return {file, line, col};
}

}  // namespace

std::string SubstituteEnv(const std::string& text, const std::string& file, const EnvLookup& lookup,
                          Diagnostics& diags) {
  std::string out;
  out.reserve(text.size());
  size_t i = 0;
  while (i < text.size()) {
    if (text.compare(i, 3, "$${") == 0) {
      out += "${";
      i += 3;
      continue;
    }
    if (text.compare(i, 2, "${") != 0) {
      out.push_back(text[i++]);
      continue;
    }
    size_t close = text.find('}', i + 2);
    size_t name_end = i + 2;
    while (name_end < text.size() && IsNameChar(text[name_end])) ++name_end;
    if (close == std::string::npos || name_end == i + 2 ||
        (name_end != close && text.compare(name_end, 2, ":-") != 0)) {
      diags.Add(LocationAt(text, i, file), "bad variable reference: expected ${NAME} or ${NAME:-default}");
      out.push_back(text[i++]);
      continue;
    }
    std::string name = text.substr(i + 2, name_end - i - 2);
    std::optional<std::string> value = lookup(name);
    if (!value || (value->empty() && name_end != close)) {
      if (name_end != close) {
        value = text.substr(name_end + 2, close - name_end - 2);
      } else {
        diags.Add(LocationAt(text, i, file),
                  "environment variable " + name + " is not set (write ${" + name + ":-default} to give a default)");
        value = "";
      }
    }
    out += *value;
    i = close + 1;
  }
  return out;
}

}  // namespace pipeline::config
