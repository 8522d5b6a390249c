// Padding (LPAD, RPAD for strings and bytes) and masking (MASK, MASK_KEEP_LEFT/RIGHT, MASK_LEFT/RIGHT).
#include "sql/functions/scalar/case_mapping.h"
#include "sql/functions/scalar/families.h"
#include "sql/functions/scalar/signature.h"
#include "sql/functions/scalar/utf8.h"
#include "sql/functions/scalar/value_access.h"

namespace pipeline::sql::scalar {

namespace {

const SqlType kString = T(TypeId::kString);

// Splits a string into code points (or a BYTES value into bytes) so padding and masking can count units.
std::vector<std::string> Units(const std::string& s, bool bytes) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i < s.size()) {
    size_t start = i;
    if (bytes || IsAscii(std::string_view(&s[i], 1))) ++i;
    else NextCodePoint(s, i);
    out.push_back(s.substr(start, i - start));
  }
  return out;
}

Value Pad(const Args& a, bool left) {
  if (a[0].is_null() || a[1].is_null() || a[2].is_null()) return Value();
  bool bytes = a[0].is_bytes();
  const std::string& input = bytes ? a[0].as_bytes().data : a[0].as_string();
  const std::string& padding = bytes ? a[2].as_bytes().data : a[2].as_string();
  int64_t target = AsInt(a[1]);
  if (padding.empty() || target < 0) return Value();
  std::vector<std::string> in = Units(input, bytes);
  std::vector<std::string> pad = Units(padding, bytes);
  auto target_len = static_cast<size_t>(target);
  std::string out;
  if (in.size() >= target_len) {
    for (size_t i = 0; i < target_len; ++i) out += in[i];
  } else {
    std::string fill;
    for (size_t i = 0; i < target_len - in.size(); ++i) fill += pad[i % pad.size()];
    out = left ? fill + input : input + fill;
  }
  return bytes ? Value(Bytes{std::move(out)}) : Value(std::move(out));
}

// ---- masking ---------------------------------------------------------------------------------------------

constexpr char32_t kNoMask = 0xFFFFFFFF;

struct Masker {
  char32_t upper = 'X', lower = 'x', digit = 'n', other = '-';

  char32_t Mask(char32_t c) const {
    char32_t m;
    if (ToLowerCodePoint(c) != c) m = upper;
    else if (ToUpperCodePoint(c) != c) m = lower;
    else if (c >= '0' && c <= '9') m = digit;
    else m = other;
    return m == kNoMask ? c : m;
  }
};

// Mask characters start at argument `first`; a NULL (or empty) one leaves that class unmasked.
Masker MaskerFrom(const Args& a, size_t first) {
  Masker m;
  char32_t* slots[] = {&m.upper, &m.lower, &m.digit, &m.other};
  for (size_t k = 0; k < 4 && first + k < a.size(); ++k) {
    const Value& v = a[first + k];
    if (v.is_null() || v.as_string().empty()) {
      *slots[k] = kNoMask;
    } else {
      size_t i = 0;
      *slots[k] = NextCodePoint(v.as_string(), i);
    }
  }
  return m;
}

enum class MaskRegion { kAll, kKeepLeft, kKeepRight, kOnlyLeft, kOnlyRight };

Value MaskImpl(const Args& a, MaskRegion region) {
  if (a[0].is_null()) return Value();
  size_t first_mask_arg = region == MaskRegion::kAll ? 1 : 2;
  int64_t n = 0;
  if (region != MaskRegion::kAll) {
    if (a[1].is_null()) return Value();
    n = AsInt(a[1]);
    if (n < 0) n = 0;
  }
  Masker masker = MaskerFrom(a, first_mask_arg);
  const std::string& s = a[0].as_string();
  auto count = static_cast<int64_t>(CodePointCount(s));
  std::string out;
  size_t i = 0;
  for (int64_t index = 0; i < s.size(); ++index) {
    char32_t c = NextCodePoint(s, i);
    bool mask = true;
    switch (region) {
      case MaskRegion::kAll: break;
      case MaskRegion::kKeepLeft: mask = index >= n; break;
      case MaskRegion::kKeepRight: mask = index < count - n; break;
      case MaskRegion::kOnlyLeft: mask = index < n; break;
      case MaskRegion::kOnlyRight: mask = index >= count - n; break;
    }
    AppendCodePoint(mask ? masker.Mask(c) : c, out);
  }
  return Value(std::move(out));
}

void RegisterMask(ScalarFunctionRegistry& reg, const char* name, MaskRegion region, const char* description) {
  ScalarImpl impl = [region](const Args& a, EvalContext&) { return MaskImpl(a, region); };
  FunctionBuilder f(name, "string", description);
  const char* masks[] = {"upper STRING", "lower STRING", "digit STRING", "other STRING"};
  std::string prefix = region == MaskRegion::kAll ? "(input STRING" : "(input STRING, numChars INTEGER";
  for (int k = 0; k <= 4; ++k) {
    std::string sig = prefix;
    for (int j = 0; j < k; ++j) sig += std::string(", ") + masks[j];
    f.Overload(sig + ") -> STRING", ReturnsNullAware(kString, impl));
  }
  reg.Add(f.Build());
}

}  // namespace

void RegisterPaddingAndMaskFunctions(ScalarFunctionRegistry& reg) {
  auto lpad = [](const Args& a, EvalContext&) { return Pad(a, true); };
  auto rpad = [](const Args& a, EvalContext&) { return Pad(a, false); };
  const SqlType bytes = T(TypeId::kBytes);
  reg.Add(FunctionBuilder("LPAD", "string",
                          "Pads input on the left with padding up to length (truncates when longer); NULL when "
                          "padding is empty or length negative.")
              .Overload("(input STRING, length INTEGER, padding STRING) -> STRING", Returns(kString, lpad))
              .Overload("(input BYTES, length INTEGER, padding BYTES) -> BYTES", Returns(bytes, lpad))
              .Build());
  reg.Add(FunctionBuilder("RPAD", "string",
                          "Pads input on the right with padding up to length (truncates when longer); NULL when "
                          "padding is empty or length negative.")
              .Overload("(input STRING, length INTEGER, padding STRING) -> STRING", Returns(kString, rpad))
              .Overload("(input BYTES, length INTEGER, padding BYTES) -> BYTES", Returns(bytes, rpad))
              .Build());

  RegisterMask(reg, "MASK", MaskRegion::kAll,
               "Masks upper-case letters (default 'X'), lower-case ('x'), digits ('n') and others ('-'); a NULL "
               "mask character leaves that class as it is.");
  RegisterMask(reg, "MASK_KEEP_LEFT", MaskRegion::kKeepLeft, "Like MASK, but keeps the first numChars characters.");
  RegisterMask(reg, "MASK_KEEP_RIGHT", MaskRegion::kKeepRight, "Like MASK, but keeps the last numChars characters.");
  RegisterMask(reg, "MASK_LEFT", MaskRegion::kOnlyLeft, "Like MASK, but masks only the first numChars characters.");
  RegisterMask(reg, "MASK_RIGHT", MaskRegion::kOnlyRight, "Like MASK, but masks only the last numChars characters.");
}

}  // namespace pipeline::sql::scalar
