// String functions: CONCAT, CONCAT_WS, UCASE/LCASE, TRIM/LTRIM/RTRIM, LEN, SUBSTRING, REPLACE, INSTR, INITCAP,
// CHR, ELT, FIELD, SPLIT, SPLIT_TO_MAP, UUID. Positions are 1-based and count characters, as in ksqlDB.
#include <algorithm>
#include <cstdlib>
#include <random>

#include "sql/functions/scalar/case_mapping.h"
#include "sql/functions/scalar/families.h"
#include "sql/functions/scalar/signature.h"
#include "sql/functions/scalar/utf8.h"
#include "sql/functions/scalar/value_access.h"

namespace pipeline::sql::scalar {

namespace {

const SqlType kString = T(TypeId::kString);
const SqlType kBytesType = T(TypeId::kBytes);
const SqlType kInt = T(TypeId::kInt);

// The text of a STRING or BYTES argument (the two share most functions).
const std::string& TextOf(const Value& v) { return v.is_bytes() ? v.as_bytes().data : v.as_string(); }
Value SameKind(bool bytes, std::string s) { return bytes ? Value(Bytes{std::move(s)}) : Value(std::move(s)); }

// ---- SUBSTRING ----------------------------------------------------------------------------------------

// ksqlDB's Substring: pos 0 behaves like 1, a negative pos counts from the end, a negative length is empty.
size_t SubstringStart(int64_t length, int64_t pos) {
  if (pos >= 0) return static_cast<size_t>(std::min(std::max<int64_t>(pos - 1, 0), length));
  return static_cast<size_t>(std::max<int64_t>(length + pos, 0));
}

Value Substring(const Args& a, bool with_length) {
  bool bytes = a[0].is_bytes();
  const std::string& s = TextOf(a[0]);
  bool by_byte = bytes || IsAscii(s);
  auto length = static_cast<int64_t>(by_byte ? s.size() : CodePointCount(s));
  size_t start = SubstringStart(length, AsInt(a[1]));
  size_t end = static_cast<size_t>(length);
  if (with_length) {
    int64_t len = AsInt(a[2]);
    if (len < 0) return SameKind(bytes, "");
    end = static_cast<size_t>(std::max<int64_t>(std::min<int64_t>(static_cast<int64_t>(start) + len, length),
                                                static_cast<int64_t>(start)));
  }
  if (!by_byte) {
    size_t b = ByteOffset(s, start);
    return SameKind(bytes, s.substr(b, ByteOffset(s, end) - b));
  }
  return SameKind(bytes, s.substr(start, end - start));
}

// ---- INSTR -------------------------------------------------------------------------------------------

// commons-lang's StringUtils.ordinalIndexOf: the n-th (possibly overlapping) occurrence, or -1.
template <class S>
int64_t OrdinalIndexOf(const S& s, const S& sub, int64_t n) {
  if (n <= 0) return -1;
  size_t found = static_cast<size_t>(-1);
  for (int64_t k = 0; k < n; ++k) {
    found = s.find(sub, found + 1);
    if (found == S::npos) return -1;
  }
  return static_cast<int64_t>(found);
}

// ksqlDB's Instr, step by step (a negative position searches the reversed strings, and the result is computed
// the way ksqlDB computes it, which is exact for two-character substrings and off for others).
template <class S>
int64_t InstrIn(S str, S sub, int64_t position, int64_t occurrence) {
  auto len = static_cast<int64_t>(str.size());
  if (std::abs(position) > len) return 0;
  if (position < 0) {
    std::reverse(str.begin(), str.end());
    std::reverse(sub.begin(), sub.end());
    int64_t p = -position;
    int64_t i = OrdinalIndexOf(S(str.substr(static_cast<size_t>(p - 1))), sub, occurrence);
    return i < 0 ? 0 : len - p - i;
  }
  // StringUtils.substring(str, -1) for position 0 is the last character.
  size_t from = position == 0 ? static_cast<size_t>(std::max<int64_t>(len - 1, 0)) : static_cast<size_t>(position - 1);
  int64_t i = OrdinalIndexOf(S(str.substr(from)), sub, occurrence);
  return i < 0 ? 0 : i + position;
}

int64_t Instr(const std::string& str, const std::string& sub, int64_t position, int64_t occurrence) {
  if (IsAscii(str) && IsAscii(sub)) return InstrIn(str, sub, position, occurrence);
  auto wide = [](const std::string& s) {
    std::u32string out;
    size_t i = 0;
    while (i < s.size()) out += NextCodePoint(s, i);
    return out;
  };
  return InstrIn(wide(str), wide(sub), position, occurrence);
}

// ---- small ones -------------------------------------------------------------------------------------

Value Trim(const Args& a, bool left, bool right) {
  const std::string& s = a[0].as_string();
  size_t b = 0, e = s.size();
  // Java String.trim(): everything <= ' ' counts as space.
  if (left)
    while (b < e && static_cast<unsigned char>(s[b]) <= ' ') ++b;
  if (right)
    while (e > b && static_cast<unsigned char>(s[e - 1]) <= ' ') --e;
  return Value(s.substr(b, e - b));
}

Value InitCap(const Args& a) {
  std::string lower = ToLower(a[0].as_string());
  std::string out;
  size_t i = 0;
  bool at_word_start = true;
  bool seen_word = false;
  while (i < lower.size()) {
    char32_t cp = NextCodePoint(lower, i);
    if (IsJavaWhitespace(cp)) {
      if (seen_word) AppendCodePoint(cp, out);  // ksqlDB drops leading whitespace
      at_word_start = true;
      continue;
    }
    AppendCodePoint(at_word_start ? ToUpperCodePoint(cp) : cp, out);
    at_word_start = false;
    seen_word = true;
  }
  return Value(std::move(out));
}

Value Replace(const Args& a) {
  const std::string& s = a[0].as_string();
  const std::string& from = a[1].as_string();
  const std::string& to = a[2].as_string();
  if (from.empty()) {  // Java inserts the replacement between every character
    std::string out = to;
    size_t i = 0;
    while (i < s.size()) {
      size_t start = i;
      NextCodePoint(s, i);
      out.append(s, start, i - start);
      out += to;
    }
    return Value(std::move(out));
  }
  std::string out;
  size_t pos = 0;
  for (size_t hit; (hit = s.find(from, pos)) != std::string::npos; pos = hit + from.size()) {
    out.append(s, pos, hit - pos);
    out += to;
  }
  out.append(s, pos);
  return Value(std::move(out));
}

Value ChrFromCode(const Args& a) {
  int64_t code = a[0].as_int();
  if (code < 0 || code > 0x10FFFF) return Value();
  std::string out;
  AppendCodePoint(static_cast<char32_t>(code), out);
  return Value(std::move(out));
}

// CHR('\u004b'): one \uXXXX escape, or a surrogate pair of two.
Value ChrFromEscape(const Args& a) {
  const std::string& s = a[0].as_string();
  auto unit = [&](size_t at, uint32_t& out) {
    if (s.size() < at + 6 || s[at] != '\\' || (s[at + 1] != 'u' && s[at + 1] != 'U')) return false;
    out = 0;
    for (size_t i = at + 2; i < at + 6; ++i) {
      char c = s[i];
      int d = (c >= '0' && c <= '9') ? c - '0' : (c >= 'a' && c <= 'f') ? c - 'a' + 10 : (c >= 'A' && c <= 'F') ? c - 'A' + 10 : -1;
      if (d < 0) return false;
      out = out * 16 + static_cast<uint32_t>(d);
    }
    return true;
  };
  uint32_t hi = 0, lo = 0;
  if (!unit(0, hi)) return Value();
  char32_t cp = hi;
  if (s.size() == 12 && hi >= 0xD800 && hi <= 0xDBFF && unit(6, lo) && lo >= 0xDC00 && lo <= 0xDFFF) {
    cp = 0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00);
  } else if (s.size() != 6) {
    return Value();
  }
  std::string out;
  AppendCodePoint(cp, out);
  return Value(std::move(out));
}

// SPLIT(STRING|BYTES, delimiter): an empty delimiter splits into characters (bytes).
Value Split(const Args& a) {
  bool bytes = a[0].is_bytes();
  const std::string& s = TextOf(a[0]);
  const std::string& delim = TextOf(a[1]);
  Array out;
  if (delim.empty()) {
    if (s.empty()) out.push_back(SameKind(bytes, ""));
    size_t i = 0;
    while (i < s.size()) {
      size_t start = i;
      if (bytes) ++i;
      else NextCodePoint(s, i);
      out.push_back(SameKind(bytes, s.substr(start, i - start)));
    }
    return Value(std::move(out));
  }
  size_t pos = 0;
  for (size_t hit; (hit = s.find(delim, pos)) != std::string::npos; pos = hit + delim.size())
    out.push_back(SameKind(bytes, s.substr(pos, hit - pos)));
  out.push_back(SameKind(bytes, s.substr(pos)));
  return Value(std::move(out));
}

Value SplitToMap(const Args& a) {
  const std::string& s = a[0].as_string();
  const std::string& entry_delim = a[1].as_string();
  const std::string& kv_delim = a[2].as_string();
  if (entry_delim.empty() || kv_delim.empty() || entry_delim == kv_delim) return Value();
  Map out;
  size_t pos = 0;
  while (pos <= s.size()) {
    size_t hit = s.find(entry_delim, pos);
    std::string entry = s.substr(pos, hit == std::string::npos ? std::string::npos : hit - pos);
    size_t kv = entry.find(kv_delim);
    if (!entry.empty() && kv != std::string::npos) {  // entries without the delimiter are skipped
      // Guava's Splitter: the value ends at a second kvDelimiter ("a=b=c" maps a to b).
      size_t value_end = entry.find(kv_delim, kv + kv_delim.size());
      Value key(entry.substr(0, kv));
      Value value(entry.substr(kv + kv_delim.size(),
                               value_end == std::string::npos ? std::string::npos : value_end - kv - kv_delim.size()));
      auto same = std::find_if(out.begin(), out.end(), [&](const auto& e) { return e.first == key; });
      if (same != out.end()) same->second = std::move(value);
      else out.emplace_back(std::move(key), std::move(value));
    }
    if (hit == std::string::npos) break;
    pos = hit + entry_delim.size();
  }
  return Value(std::move(out));
}

Value Uuid() {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  uint64_t hi = rng(), lo = rng();
  hi = (hi & 0xFFFFFFFFFFFF0FFFULL) | 0x0000000000004000ULL;  // version 4
  lo = (lo & 0x3FFFFFFFFFFFFFFFULL) | 0x8000000000000000ULL;  // IETF variant
  char buf[40];
  std::snprintf(buf, sizeof buf, "%08x-%04x-%04x-%04x-%012llx", static_cast<unsigned>(hi >> 32),
                static_cast<unsigned>((hi >> 16) & 0xFFFF), static_cast<unsigned>(hi & 0xFFFF),
                static_cast<unsigned>(lo >> 48), static_cast<unsigned long long>(lo & 0xFFFFFFFFFFFFULL));
  return Value(std::string(buf));
}

Value UuidFromBytes(const Args& a) {
  const std::string& b = a[0].as_bytes().data;
  if (b.size() != 16) return Value();
  static const char* hex = "0123456789abcdef";
  std::string out;
  for (size_t i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out += '-';
    out += hex[static_cast<unsigned char>(b[i]) >> 4];
    out += hex[static_cast<unsigned char>(b[i]) & 15];
  }
  return Value(std::move(out));
}

}  // namespace

void RegisterStringFunctions(ScalarFunctionRegistry& reg) {
  reg.Add(FunctionBuilder("CONCAT", "string", "Concatenates strings or bytes; NULL inputs count as empty.")
              .Overload("(args STRING...) -> STRING", ReturnsNullAware(kString, [](const Args& a, EvalContext&) {
                std::string out;
                for (const Value& v : a)
                  if (!v.is_null()) out += v.as_string();
                return Value(std::move(out));
              }))
              .Overload("(args BYTES...) -> BYTES", ReturnsNullAware(kBytesType, [](const Args& a, EvalContext&) {
                std::string out;
                for (const Value& v : a)
                  if (!v.is_null()) out += v.as_bytes().data;
                return Value(Bytes{std::move(out)});
              }))
              .Build());

  auto concat_ws = [](const Args& a, EvalContext&) -> Value {
    if (a[0].is_null()) return Value();
    bool bytes = a[0].is_bytes();
    const std::string& sep = TextOf(a[0]);
    std::string out;
    bool first = true;
    for (size_t i = 1; i < a.size(); ++i) {
      if (a[i].is_null()) continue;
      if (!first) out += sep;
      out += TextOf(a[i]);
      first = false;
    }
    return SameKind(bytes, std::move(out));
  };
  reg.Add(FunctionBuilder("CONCAT_WS", "string",
                          "Concatenates the non-NULL arguments with a separator; NULL if the separator is NULL.")
              .Overload("(separator STRING, args STRING...) -> STRING", ReturnsNullAware(kString, concat_ws))
              .Overload("(separator BYTES, args BYTES...) -> BYTES", ReturnsNullAware(kBytesType, concat_ws))
              .Build());

  reg.Add(FunctionBuilder("UCASE", "string", "Converts a string to upper case.")
              .Overload("(input STRING) -> STRING",
                        Returns(kString, [](const Args& a, EvalContext&) { return Value(ToUpper(a[0].as_string())); }))
              .Build());
  reg.Add(FunctionBuilder("LCASE", "string", "Converts a string to lower case.")
              .Overload("(input STRING) -> STRING",
                        Returns(kString, [](const Args& a, EvalContext&) { return Value(ToLower(a[0].as_string())); }))
              .Build());
  reg.Add(FunctionBuilder("TRIM", "string", "Removes leading and trailing whitespace.")
              .Overload("(input STRING) -> STRING",
                        Returns(kString, [](const Args& a, EvalContext&) { return Trim(a, true, true); }))
              .Build());
  reg.Add(FunctionBuilder("LTRIM", "string", "Removes leading whitespace.")
              .Overload("(input STRING) -> STRING",
                        Returns(kString, [](const Args& a, EvalContext&) { return Trim(a, true, false); }))
              .Build());
  reg.Add(FunctionBuilder("RTRIM", "string", "Removes trailing whitespace.")
              .Overload("(input STRING) -> STRING",
                        Returns(kString, [](const Args& a, EvalContext&) { return Trim(a, false, true); }))
              .Build());

  for (const char* name : {"LEN", "LENGTH"}) {
    reg.Add(FunctionBuilder(name, "string", "The number of characters of a string, or of bytes of a BYTES value.")
                .Overload("(input STRING) -> INTEGER", Returns(kInt, [](const Args& a, EvalContext&) {
                  return Value(static_cast<int64_t>(CodePointCount(a[0].as_string())));
                }))
                .Overload("(input BYTES) -> INTEGER", Returns(kInt, [](const Args& a, EvalContext&) {
                  return Value(static_cast<int64_t>(a[0].as_bytes().data.size()));
                }))
                .Build());
  }

  auto sub2 = [](const Args& a, EvalContext&) { return Substring(a, false); };
  auto sub3 = [](const Args& a, EvalContext&) { return Substring(a, true); };
  reg.Add(FunctionBuilder("SUBSTRING", "string",
                          "The part of str starting at pos (1-based; negative counts from the end) with at most len "
                          "characters, or to the end.")
              .Overload("(str STRING, pos INTEGER) -> STRING", Returns(kString, sub2))
              .Overload("(str STRING, pos INTEGER, len INTEGER) -> STRING", Returns(kString, sub3))
              .Overload("(bytes BYTES, pos INTEGER) -> BYTES", Returns(kBytesType, sub2))
              .Overload("(bytes BYTES, pos INTEGER, len INTEGER) -> BYTES", Returns(kBytesType, sub3))
              .Build());

  reg.Add(FunctionBuilder("REPLACE", "string", "Replaces every occurrence of a substring with another string.")
              .Overload("(str STRING, target STRING, replacement STRING) -> STRING",
                        Returns(kString, [](const Args& a, EvalContext&) { return Replace(a); }))
              .Build());

  // A NULL string or substring gives 0, as in ksqlDB; a NULL position or occurrence gives NULL.
  ImplFactory instr = ReturnsNullAware(kInt, [](const Args& a, EvalContext&) -> Value {
    if (a[0].is_null() || a[1].is_null()) return Value(int64_t{0});
    if ((a.size() > 2 && a[2].is_null()) || (a.size() > 3 && a[3].is_null())) return Value();
    int64_t position = a.size() > 2 ? AsInt(a[2]) : 1;
    int64_t occurrence = a.size() > 3 ? AsInt(a[3]) : 1;
    return Value(Instr(a[0].as_string(), a[1].as_string(), position, occurrence));
  });
  reg.Add(FunctionBuilder("INSTR", "string",
                          "The 1-based position of the occurrence-th substring in str, searching from position "
                          "(negative: backwards from the end); 0 if not found.")
              .Overload("(str STRING, substring STRING) -> INTEGER", instr)
              .Overload("(str STRING, substring STRING, position INTEGER) -> INTEGER", instr)
              .Overload("(str STRING, substring STRING, position INTEGER, occurrence INTEGER) -> INTEGER", instr)
              .Build());

  reg.Add(FunctionBuilder("INITCAP", "string",
                          "Capitalizes the first letter of every whitespace-separated word and lower-cases the rest.")
              .Overload("(input STRING) -> STRING",
                        Returns(kString, [](const Args& a, EvalContext&) { return InitCap(a); }))
              .Build());

  reg.Add(FunctionBuilder("CHR", "string",
                          "The character of a Unicode code point, given as a number or as a '\\uXXXX' string.")
              .Overload("(decimal_code INTEGER) -> STRING",
                        Returns(kString, [](const Args& a, EvalContext&) { return ChrFromCode(a); }))
              .Overload("(utf_string STRING) -> STRING",
                        Returns(kString, [](const Args& a, EvalContext&) { return ChrFromEscape(a); }))
              .Build());

  reg.Add(FunctionBuilder("ELT", "string", "The n-th of the string arguments (1-based); NULL when out of range.")
              .Overload("(n INTEGER, args STRING...) -> STRING", ReturnsNullAware(kString, [](const Args& a, EvalContext&) {
                if (a[0].is_null()) return Value();
                int64_t n = AsInt(a[0]);
                if (n < 1 || n >= static_cast<int64_t>(a.size())) return Value();
                return a[static_cast<size_t>(n)];
              }))
              .Build());

  reg.Add(FunctionBuilder("FIELD", "string", "The 1-based position of str among the arguments; 0 if absent or NULL.")
              .Overload("(str STRING, args STRING...) -> INTEGER", ReturnsNullAware(kInt, [](const Args& a, EvalContext&) {
                if (a[0].is_null()) return Value(int64_t{0});
                for (size_t i = 1; i < a.size(); ++i)
                  if (!a[i].is_null() && a[i].as_string() == a[0].as_string()) return Value(static_cast<int64_t>(i));
                return Value(int64_t{0});
              }))
              .Build());

  auto split = [](const Args& a, EvalContext&) { return Split(a); };
  reg.Add(FunctionBuilder("SPLIT", "string",
                          "Splits a string (or bytes) on a delimiter; an empty delimiter splits every character.")
              .Overload("(input STRING, delimiter STRING) -> ARRAY<STRING>", Returns(SqlType::Array(kString), split))
              .Overload("(input BYTES, delimiter BYTES) -> ARRAY<BYTES>", Returns(SqlType::Array(kBytesType), split))
              .Build());

  reg.Add(FunctionBuilder("SPLIT_TO_MAP", "string",
                          "Splits a string into entries on entryDelimiter and each entry into key and value on "
                          "kvDelimiter; later keys win.")
              .Overload("(input STRING, entryDelimiter STRING, kvDelimiter STRING) -> MAP<STRING, STRING>",
                        Returns(SqlType::Map(kString, kString), [](const Args& a, EvalContext&) { return SplitToMap(a); }))
              .Build());

  reg.Add(FunctionBuilder("UUID", "string", "A random (version 4) UUID, or the UUID of 16 bytes.")
              .Overload("() -> STRING", Returns(kString, [](const Args&, EvalContext&) { return Uuid(); }))
              .Overload("(bytes BYTES) -> STRING",
                        Returns(kString, [](const Args& a, EvalContext&) { return UuidFromBytes(a); }))
              .Build());
}

}  // namespace pipeline::sql::scalar
