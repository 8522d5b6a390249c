// Bytes and encodings: TO_BYTES, FROM_BYTES, ENCODE, INT/BIGINT/DOUBLE_FROM_BYTES, MD5.
#include <cstring>
#include <strings.h>

#include "sql/functions/scalar/families.h"
#include "sql/functions/scalar/md5.h"
#include "sql/functions/scalar/signature.h"
#include "sql/functions/scalar/text_encoding.h"
#include "sql/functions/scalar/value_access.h"

namespace pipeline::sql::scalar {

namespace {

const SqlType kString = T(TypeId::kString);

std::optional<TextEncoding> EncodingArg(const Value& v, EvalContext& ctx) {
  std::optional<TextEncoding> e = ParseTextEncoding(v.as_string());
  if (!e) ctx.Fail("Supported encodings are: hex, utf8, ascii and base64 (got '" + v.as_string() + "')");
  return e;
}

Value ToBytes(const Args& a, EvalContext& ctx) {
  std::optional<TextEncoding> e = EncodingArg(a[1], ctx);
  if (!e) return Value();
  std::optional<std::string> bytes = DecodeText(a[0].as_string(), *e);
  if (!bytes) {
    ctx.Fail("Invalid " + a[1].as_string() + " text for TO_BYTES");
    return Value();
  }
  return Value(Bytes{std::move(*bytes)});
}

Value FromBytes(const Args& a, EvalContext& ctx) {
  std::optional<TextEncoding> e = EncodingArg(a[1], ctx);
  if (!e) return Value();
  return Value(EncodeBytes(a[0].as_bytes().data, *e, /*upper_hex=*/true));
}

Value Encode(const Args& a, EvalContext& ctx) {
  std::optional<TextEncoding> in = EncodingArg(a[1], ctx);
  std::optional<TextEncoding> out = in ? EncodingArg(a[2], ctx) : std::nullopt;
  if (!in || !out) return Value();
  std::optional<std::string> bytes = DecodeText(a[0].as_string(), *in);
  if (!bytes) return Value();
  return Value(EncodeBytes(*bytes, *out));
}

// The byte order argument of *_FROM_BYTES; nullopt when invalid (the function then returns NULL).
std::optional<bool> IsBigEndian(const Args& a) {
  if (a.size() < 2) return true;
  const std::string& order = a[1].as_string();
  if (strcasecmp(order.c_str(), "BIG_ENDIAN") == 0) return true;
  if (strcasecmp(order.c_str(), "LITTLE_ENDIAN") == 0) return false;
  return std::nullopt;
}

std::optional<uint64_t> ReadUnsigned(const Args& a, size_t width) {
  const std::string& b = a[0].as_bytes().data;
  std::optional<bool> big = IsBigEndian(a);
  if (b.size() != width || !big) return std::nullopt;
  uint64_t v = 0;
  for (size_t i = 0; i < width; ++i) {
    auto byte = static_cast<unsigned char>(b[*big ? i : width - 1 - i]);
    v = (v << 8) | byte;
  }
  return v;
}

}  // namespace

void RegisterBytesFunctions(ScalarFunctionRegistry& reg) {
  const SqlType bytes = T(TypeId::kBytes);
  reg.Add(FunctionBuilder("TO_BYTES", "string", "Converts a string in the given encoding (hex, utf8, ascii, base64) to BYTES.")
              .Overload("(str STRING, encoding STRING) -> BYTES", Returns(bytes, ToBytes))
              .Build());
  reg.Add(FunctionBuilder("FROM_BYTES", "string", "Converts BYTES to a string in the given encoding (hex, utf8, ascii, base64).")
              .Overload("(bytes BYTES, encoding STRING) -> STRING", Returns(kString, FromBytes))
              .Build());
  reg.Add(FunctionBuilder("ENCODE", "string",
                          "Re-encodes a string from input_encoding to output_encoding (hex, utf8, ascii, base64).")
              .Overload("(str STRING, input_encoding STRING, output_encoding STRING) -> STRING", Returns(kString, Encode))
              .Build());

  auto int_from = [](const Args& a, EvalContext&) -> Value {
    std::optional<uint64_t> v = ReadUnsigned(a, 4);
    return v ? Value(static_cast<int64_t>(static_cast<int32_t>(static_cast<uint32_t>(*v)))) : Value();
  };
  auto bigint_from = [](const Args& a, EvalContext&) -> Value {
    std::optional<uint64_t> v = ReadUnsigned(a, 8);
    return v ? Value(static_cast<int64_t>(*v)) : Value();
  };
  auto double_from = [](const Args& a, EvalContext&) -> Value {
    std::optional<uint64_t> v = ReadUnsigned(a, 8);
    if (!v) return Value();
    double d;
    std::memcpy(&d, &*v, sizeof d);
    return Value(d);
  };
  reg.Add(FunctionBuilder("INT_FROM_BYTES", "string", "Reads a 4-byte INT (BIG_ENDIAN by default, or LITTLE_ENDIAN).")
              .Overload("(bytes BYTES) -> INTEGER", Returns(T(TypeId::kInt), int_from))
              .Overload("(bytes BYTES, byteOrder STRING) -> INTEGER", Returns(T(TypeId::kInt), int_from))
              .Build());
  reg.Add(FunctionBuilder("BIGINT_FROM_BYTES", "string", "Reads an 8-byte BIGINT (BIG_ENDIAN by default, or LITTLE_ENDIAN).")
              .Overload("(bytes BYTES) -> BIGINT", Returns(T(TypeId::kBigInt), bigint_from))
              .Overload("(bytes BYTES, byteOrder STRING) -> BIGINT", Returns(T(TypeId::kBigInt), bigint_from))
              .Build());
  reg.Add(FunctionBuilder("DOUBLE_FROM_BYTES", "string", "Reads an 8-byte IEEE DOUBLE (BIG_ENDIAN by default, or LITTLE_ENDIAN).")
              .Overload("(bytes BYTES) -> DOUBLE", Returns(T(TypeId::kDouble), double_from))
              .Overload("(bytes BYTES, byteOrder STRING) -> DOUBLE", Returns(T(TypeId::kDouble), double_from))
              .Build());

  reg.Add(FunctionBuilder("MD5", "hash", "The MD5 digest of the UTF-8 string, as 32 lower-case hex digits.")
              .Overload("(input STRING) -> STRING", Returns(kString, [](const Args& a, EvalContext&) {
                std::array<uint8_t, 16> digest = Md5(a[0].as_string());
                return Value(HexEncode(std::string_view(reinterpret_cast<const char*>(digest.data()), digest.size()), false));
              }))
              .Build());
}

}  // namespace pipeline::sql::scalar
