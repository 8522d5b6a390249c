#include "connectors/mysql_cdc/column_decoder.h"

#include <cstring>
#include <limits>

#include "connectors/mysql_cdc/binlog_bytes.h"

namespace pipeline::mysql_cdc {
namespace {

Value Unsigned(uint64_t v) {
  if (v <= static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) return Value(static_cast<int64_t>(v));
  return Value(Decimal{static_cast<__int128>(v), 20, 0});
}

// DECIMAL's binary form: groups of nine digits in four big-endian bytes, shorter groups at both ends, the sign in
// the first bit (set for positive numbers; a negative number has every byte inverted).
bool DecodeDecimal(const TableColumn& column, std::string_view data, size_t& at, Value& out) {
  static constexpr int kDigitBytes[10] = {0, 1, 1, 2, 2, 3, 3, 4, 4, 4};
  const int precision = column.meta >> 8, scale = column.meta & 0xff;
  const int integral = precision - scale;
  const int int_full = integral / 9, int_rest = integral % 9, frac_full = scale / 9, frac_rest = scale % 9;
  // DECIMAL(M, D) has 1 <= M <= 65 and D <= min(M, 30); other metadata is not a decimal (found by fuzzing).
  if (precision < 1 || precision > 65 || scale > 30 || scale > precision) return false;
  const size_t size = int_full * 4 + kDigitBytes[int_rest] + frac_full * 4 + kDigitBytes[frac_rest];
  if (at + size > data.size()) return false;
  std::string bytes(data.substr(at, size));
  at += size;
  const bool negative = (static_cast<uint8_t>(bytes[0]) & 0x80) == 0;
  bytes[0] = static_cast<char>(bytes[0] ^ 0x80);
  if (negative)
    for (char& b : bytes) b = static_cast<char>(~b);
  size_t pos = 0;
  // Up to 38 digits the groups add up in 128 bits; wider decimals are kept as their text.
  const bool wide = precision > 38;
  unsigned __int128 unscaled = 0;
  std::string digits;
  // A group holding more digits than its width allows is not a decimal: its digits would shift the point, and
  // overflow 128 bits. Digits written by hand: snprintf was a tenth of the source's time (bench/mariadb).
  bool fits = true;
  auto take = [&](int width, int digit_count) {
    const uint64_t value = BigEndian(bytes, pos, width);
    pos += width;
    uint64_t limit = 1;
    for (int i = 0; i < digit_count; ++i) limit *= 10;
    fits = fits && value < limit;
    if (!fits) return;
    if (!wide) {
      unscaled = unscaled * limit + value;
      return;
    }
    // Every group padded to its digit count: leading zeros of the integral part are dropped below.
    const size_t end = digits.size() + digit_count;
    digits.resize(end);
    uint64_t rest = value;
    for (size_t i = end; i-- > end - digit_count; rest /= 10) digits[i] = static_cast<char>('0' + rest % 10);
  };
  if (int_rest > 0) take(kDigitBytes[int_rest], int_rest);
  for (int i = 0; i < int_full; ++i) take(4, 9);
  const size_t integral_digits = digits.size();
  for (int i = 0; i < frac_full; ++i) take(4, 9);
  if (frac_rest > 0) take(kDigitBytes[frac_rest], frac_rest);
  if (!fits) return false;
  if (!wide) {
    const auto signed_value = static_cast<__int128>(unscaled);
    out = Value(Decimal{negative ? -signed_value : signed_value, precision, scale});
    return true;
  }
  std::string integral_part = digits.substr(0, integral_digits);
  integral_part.erase(0, std::min(integral_part.find_first_not_of('0'), integral_part.size()));
  std::string text = (negative ? "-" : "") + (integral_part.empty() ? "0" : integral_part);
  if (scale > 0) text += "." + digits.substr(integral_digits);
  out = Value(std::move(text));
  return true;
}

std::string Latin1ToUtf8(std::string_view s) {
  std::string out;
  for (unsigned char c : s) {
    if (c < 0x80) {
      out += static_cast<char>(c);
    } else {
      out += static_cast<char>(0xc0 | c >> 6);
      out += static_cast<char>(0x80 | (c & 0x3f));
    }
  }
  return out;
}

bool IsLatin1(uint32_t collation) {
  switch (collation) {
    case 5:
    case 8:
    case 15:
    case 31:
    case 47:
    case 48:
    case 49:
    case 94:
      return true;
    default:
      return false;
  }
}

Value Text(const TableColumn& column, std::string_view bytes) {
  if (column.collation == kBinaryCollation) return Value(Bytes{std::string(bytes)});
  if (IsLatin1(column.collation)) return Value(Latin1ToUtf8(bytes));
  return Value(bytes);
}

bool DecodeString(const TableColumn& column, std::string_view data, size_t& at, Value& out) {
  size_t prefix = 1;
  switch (column.type) {
    case kVarchar:
    case kVarString:
    case kString:
      prefix = column.meta > 255 ? 2 : 1;
      break;
    case kJson:
    case kGeometry:
    case kBlob:
    case kTinyBlob:
    case kMediumBlob:
    case kLongBlob:
      prefix = column.meta;  // the number of length bytes: 1 to 4
      break;
  }
  if (prefix < 1 || prefix > 4 || at + prefix > data.size()) return false;
  const size_t length = LittleEndian(data, at, prefix);
  at += prefix;
  if (length > data.size() - at) return false;
  const std::string_view bytes = data.substr(at, length);
  at += length;
  if (column.type == kJson || column.type == kGeometry) {
    out = Value(Bytes{std::string(bytes)});
  } else {
    out = Text(column, bytes);
  }
  return true;
}

bool DecodeEnumOrSet(const TableColumn& column, std::string_view data, size_t& at, Value& out) {
  const size_t width = column.meta & 0xff;
  if (width < 1 || width > 8 || at + width > data.size()) return false;
  const uint64_t v = LittleEndian(data, at, width);
  at += width;
  if (column.type == kEnum) {
    out = Value(v >= 1 && v <= column.members.size() ? column.members[v - 1] : std::string());
    return true;
  }
  std::string names;
  for (size_t i = 0; i < column.members.size() && i < 64; ++i) {
    if (!((v >> i) & 1)) continue;
    if (!names.empty()) names += ',';
    names += column.members[i];
  }
  out = Value(std::move(names));
  return true;
}

bool DecodeBit(const TableColumn& column, std::string_view data, size_t& at, Value& out) {
  const size_t bits = (column.meta & 0xff) * 8 + (column.meta >> 8);  // (bits % 8) << 8 | bytes
  const size_t width = (bits + 7) / 8;
  if (width < 1 || width > 8 || at + width > data.size()) return false;
  const uint64_t v = BigEndian(data, at, width);
  at += width;
  out = bits == 1 ? Value(v != 0) : Unsigned(v);
  return true;
}

}  // namespace

bool DecodeColumn(const TableColumn& column, std::string_view data, size_t& at, Value& out, bool& zero_date) {
  auto integer = [&](size_t width) {
    if (at + width > data.size()) return false;
    const uint64_t raw = LittleEndian(data, at, width);
    at += width;
    out = column.is_unsigned ? Unsigned(raw) : Value(SignExtend(raw, width));
    return true;
  };
  switch (column.type) {
    case kTiny:
      return integer(1);
    case kShort:
      return integer(2);
    case kInt24:
      return integer(3);
    case kLong:
      return integer(4);
    case kLongLong:
      return integer(8);
    case kFloat: {
      if (at + 4 > data.size()) return false;
      float f;
      std::memcpy(&f, data.data() + at, 4);
      at += 4;
      out = Value(static_cast<double>(f));
      return true;
    }
    case kDouble: {
      if (at + 8 > data.size()) return false;
      double d;
      std::memcpy(&d, data.data() + at, 8);
      at += 8;
      out = Value(d);
      return true;
    }
    case kNewDecimal:
      return DecodeDecimal(column, data, at, out);
    case kBit:
      return DecodeBit(column, data, at, out);
    case kEnum:
    case kSet:
      return DecodeEnumOrSet(column, data, at, out);
    case kVarchar:
    case kVarString:
    case kString:
    case kBlob:
    case kTinyBlob:
    case kMediumBlob:
    case kLongBlob:
    case kJson:
    case kGeometry:
      return DecodeString(column, data, at, out);
    default:
      return DecodeTemporal(column, data, at, out, zero_date);
  }
}

}  // namespace pipeline::mysql_cdc
