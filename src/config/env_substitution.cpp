#include "config/env_substitution.h"

#include <vector>

namespace pipeline::config {

namespace {

bool IsNameChar(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

Location At(const YAML::Node& n, const std::string& file) { return NodeLocation(n, file); }

// A scalar reached twice through YAML aliases is the same node: substituting it again would expand a `${`
// that a variable's value (or a `$${` escape) put there.
bool AlreadyDone(const YAML::Node& n, const std::vector<YAML::Node>& done) {
  for (const auto& d : done)
    if (d.is(n)) return true;
  return false;
}

}  // namespace

std::string SubstituteEnv(const std::string& text, const Location& at, const EnvLookup& lookup, Diagnostics& diags,
                          bool& from_environment) {
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
      diags.Add(at, "bad variable reference: expected ${NAME} or ${NAME:-default} (write $${ for a literal ${)");
      out.push_back(text[i++]);
      continue;
    }
    std::string name = text.substr(i + 2, name_end - i - 2);
    std::optional<std::string> value = lookup(name);
    if (!value || (value->empty() && name_end != close)) {
      if (name_end != close) {
        value = text.substr(name_end + 2, close - name_end - 2);
      } else {
        diags.Add(at, "environment variable " + name + " is not set (write ${" + name +
                          ":-default} to give a default)");
        value = "";
      }
    } else {
      from_environment = true;
    }
    out += *value;
    i = close + 1;
  }
  return out;
}

void SubstituteEnvInValues(YAML::Node root, const std::string& file, const EnvLookup& lookup, Diagnostics& diags) {
  // An explicit stack rather than recursion: the walk must not be what a deeply nested file overflows.
  std::vector<YAML::Node> pending = {root};
  std::vector<YAML::Node> done;
  while (!pending.empty()) {
    YAML::Node n = pending.back();
    pending.pop_back();
    if (n.IsMap()) {
      for (auto kv : n) pending.push_back(kv.second);  // keys are names, never substituted
    } else if (n.IsSequence()) {
      for (auto item : n) pending.push_back(item);
    } else if (n.IsScalar() && n.Scalar().find("${") != std::string::npos && !AlreadyDone(n, done)) {
      bool from_environment = false;
      std::string value = SubstituteEnv(n.Scalar(), At(n, file), lookup, diags, from_environment);
      n = value;
      if (from_environment) n.SetTag(kFromEnvironmentTag);
      done.push_back(n);
    }
  }
}

}  // namespace pipeline::config
