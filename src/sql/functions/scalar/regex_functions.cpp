// Regular expressions (REGEXP_EXTRACT, REGEXP_EXTRACT_ALL, REGEXP_REPLACE, REGEXP_SPLIT_TO_ARRAY) on RE2.
// ksqlDB uses java.util.regex; RE2 accepts the common subset (no backreferences or lookaround), and Java's
// "$1" group references in replacements are translated to RE2's "\1".
#include <re2/re2.h>

#include <memory>
#include <unordered_map>

#include "sql/functions/scalar/families.h"
#include "sql/functions/scalar/signature.h"
#include "sql/functions/scalar/utf8.h"
#include "sql/functions/scalar/value_access.h"

namespace pipeline::sql::scalar {

namespace {

const SqlType kString = T(TypeId::kString);

// Patterns usually are literals, so one compiled RE2 per pattern and thread is reused across rows. The cache is
// per thread because bound functions may be shared by the workers of one stage.
const RE2* CompiledPattern(const std::string& pattern, EvalContext& ctx) {
  thread_local std::unordered_map<std::string, std::unique_ptr<RE2>> cache;
  auto it = cache.find(pattern);
  if (it != cache.end()) return it->second.get();
  if (cache.size() >= 256) cache.clear();
  RE2::Options options;
  options.set_log_errors(false);
  auto re = std::make_unique<RE2>(pattern, options);
  if (!re->ok()) {
    ctx.Fail("Invalid regular expression pattern '" + pattern + "': " + re->error());
    return nullptr;
  }
  return cache.emplace(pattern, std::move(re)).first->second.get();
}

// Calls f(groups) for every non-overlapping match, like java.util.regex.Matcher.find().
template <class F>
void ForEachMatch(const RE2& re, const std::string& input, int ngroups, F f) {
  std::vector<re2::StringPiece> groups(static_cast<size_t>(ngroups) + 1);
  size_t pos = 0;
  while (pos <= input.size()) {
    if (!re.Match(input, pos, input.size(), RE2::UNANCHORED, groups.data(), ngroups + 1)) break;
    f(groups);
    size_t end = static_cast<size_t>(groups[0].data() - input.data()) + groups[0].size();
    if (groups[0].empty()) {  // step over one character after an empty match
      if (end >= input.size()) break;
      NextCodePoint(input, end);
    }
    pos = end;
  }
}

Value GroupValue(const re2::StringPiece& g) { return g.data() ? Value(std::string(g.data(), g.size())) : Value(); }

Value Extract(const Args& a, EvalContext& ctx, bool all) {
  const RE2* re = CompiledPattern(a[0].as_string(), ctx);
  if (!re) return Value();
  const std::string& input = a[1].as_string();
  int64_t group = a.size() > 2 ? AsInt(a[2]) : 0;
  int ngroups = re->NumberOfCapturingGroups();
  if (group < 0 || group > ngroups) {
    ctx.Fail("No group " + std::to_string(group) + " in pattern '" + a[0].as_string() + "'");
    return Value();
  }
  Array matches;
  bool found = false;
  ForEachMatch(*re, input, ngroups, [&](const std::vector<re2::StringPiece>& g) {
    if (found && !all) return;
    found = true;
    matches.push_back(GroupValue(g[static_cast<size_t>(group)]));
  });
  if (all) return Value(std::move(matches));
  return found ? matches[0] : Value();
}

// Java replacement syntax ($1, \$) -> RE2 rewrite syntax (\1, $).
std::string JavaReplacementToRe2(const std::string& replacement) {
  std::string out;
  for (size_t i = 0; i < replacement.size(); ++i) {
    char c = replacement[i];
    if (c == '\\' && i + 1 < replacement.size()) {
      char next = replacement[++i];
      if (next == '\\') out += "\\\\";
      else out += next;
    } else if (c == '$' && i + 1 < replacement.size() && std::isdigit(static_cast<unsigned char>(replacement[i + 1]))) {
      out += '\\';
      out += replacement[++i];
    } else {
      out += c;
    }
  }
  return out;
}

Value Replace(const Args& a, EvalContext& ctx) {
  const RE2* re = CompiledPattern(a[1].as_string(), ctx);
  if (!re) return Value();
  std::string out = a[0].as_string();
  std::string rewrite = JavaReplacementToRe2(a[2].as_string());
  std::string why;
  if (!re->CheckRewriteString(rewrite, &why)) {
    ctx.Fail("Invalid replacement '" + a[2].as_string() + "': " + why);
    return Value();
  }
  RE2::GlobalReplace(&out, *re, rewrite);
  return Value(std::move(out));
}

// Pattern.split(input, -1): trailing empty strings stay; a zero-width match at the start adds nothing.
Value SplitToArray(const Args& a, EvalContext& ctx) {
  const std::string& input = a[0].as_string();
  const std::string& pattern = a[1].as_string();
  Array out;
  if (pattern.empty()) {
    size_t i = 0;
    while (i < input.size()) {
      size_t start = i;
      NextCodePoint(input, i);
      out.emplace_back(input.substr(start, i - start));
    }
    if (input.empty()) out.emplace_back("");
    return Value(std::move(out));
  }
  const RE2* re = CompiledPattern(pattern, ctx);
  if (!re) return Value();
  size_t piece_start = 0;
  ForEachMatch(*re, input, 0, [&](const std::vector<re2::StringPiece>& g) {
    auto begin = static_cast<size_t>(g[0].data() - input.data());
    if (begin == 0 && g[0].empty()) return;
    out.emplace_back(input.substr(piece_start, begin - piece_start));
    piece_start = begin + g[0].size();
  });
  out.emplace_back(input.substr(piece_start));
  return Value(std::move(out));
}

}  // namespace

void RegisterRegexFunctions(ScalarFunctionRegistry& reg) {
  auto extract = [](const Args& a, EvalContext& ctx) { return Extract(a, ctx, false); };
  auto extract_all = [](const Args& a, EvalContext& ctx) { return Extract(a, ctx, true); };
  reg.Add(FunctionBuilder("REGEXP_EXTRACT", "string",
                          "The first substring of input matched by pattern, or the given capturing group of it; "
                          "NULL if nothing matches.")
              .Overload("(pattern STRING, input STRING) -> STRING", Returns(kString, extract))
              .Overload("(pattern STRING, input STRING, group INTEGER) -> STRING", Returns(kString, extract))
              .Build());
  reg.Add(FunctionBuilder("REGEXP_EXTRACT_ALL", "string",
                          "Every substring of input matched by pattern, or the given capturing group of each.")
              .Overload("(pattern STRING, input STRING) -> ARRAY<STRING>", Returns(SqlType::Array(kString), extract_all))
              .Overload("(pattern STRING, input STRING, group INTEGER) -> ARRAY<STRING>",
                        Returns(SqlType::Array(kString), extract_all))
              .Build());
  reg.Add(FunctionBuilder("REGEXP_REPLACE", "string",
                          "Replaces every match of pattern in input; the replacement may refer to groups as $1.")
              .Overload("(input STRING, pattern STRING, replacement STRING) -> STRING",
                        Returns(kString, [](const Args& a, EvalContext& ctx) { return Replace(a, ctx); }))
              .Build());
  reg.Add(FunctionBuilder("REGEXP_SPLIT_TO_ARRAY", "string",
                          "Splits input around the matches of pattern; an empty pattern splits every character.")
              .Overload("(input STRING, pattern STRING) -> ARRAY<STRING>",
                        Returns(SqlType::Array(kString), [](const Args& a, EvalContext& ctx) { return SplitToArray(a, ctx); }))
              .Build());
}

}  // namespace pipeline::sql::scalar
