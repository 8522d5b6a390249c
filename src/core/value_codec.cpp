#include "core/value_codec.h"

#include <cstring>

namespace pipeline {

namespace {

void PutVarint(uint64_t n, std::string& out) {
  while (n >= 0x80) {
    out += static_cast<char>((n & 0x7f) | 0x80);
    n >>= 7;
  }
  out += static_cast<char>(n);
}

void PutSigned(int64_t n, std::string& out) {  // zigzag, so small negative numbers stay short
  PutVarint((static_cast<uint64_t>(n) << 1) ^ static_cast<uint64_t>(n >> 63), out);
}

void PutText(std::string_view s, std::string& out) {
  PutVarint(s.size(), out);
  out.append(s);
}

template <class T>
void PutRaw(const T& v, std::string& out) {
  char buf[sizeof(T)];
  std::memcpy(buf, &v, sizeof(T));
  out.append(buf, sizeof(T));
}

// Reads from the front of a buffer; every read checks the bounds and reports truncation once.
class Reader {
 public:
  explicit Reader(std::string_view& in) : in_(in) {}
  bool ok() const { return ok_; }

  uint64_t Varint() {
    uint64_t n = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (in_.empty()) return Fail();
      auto byte = static_cast<unsigned char>(in_.front());
      in_.remove_prefix(1);
      n |= static_cast<uint64_t>(byte & 0x7f) << shift;
      if (!(byte & 0x80)) return n;
    }
    return Fail();
  }
  int64_t Signed() {
    uint64_t z = Varint();
    return static_cast<int64_t>((z >> 1) ^ (~(z & 1) + 1));
  }
  std::string Text() {
    uint64_t n = Varint();
    if (!ok_ || n > in_.size()) return Fail(), std::string();
    std::string s(in_.substr(0, n));
    in_.remove_prefix(n);
    return s;
  }
  template <class T>
  T Raw() {
    T v{};
    if (in_.size() < sizeof(T)) return Fail(), v;
    std::memcpy(&v, in_.data(), sizeof(T));
    in_.remove_prefix(sizeof(T));
    return v;
  }
  uint64_t Count() {  // an element count: each element takes at least one byte
    uint64_t n = Varint();
    return n > in_.size() ? Fail() : n;
  }
  uint64_t Fail() {
    ok_ = false;
    in_ = {};
    return 0;
  }

 private:
  std::string_view& in_;
  bool ok_ = true;
};

Value Decode(Reader& r, int depth);

Value DecodeContainer(Value::Kind kind, Reader& r, int depth) {
  uint64_t n = r.Count();
  if (kind == Value::Kind::kArray) {
    Array a;
    a.reserve(n);
    for (uint64_t i = 0; i < n && r.ok(); ++i) a.push_back(Decode(r, depth + 1));
    return Value(std::move(a));
  }
  if (kind == Value::Kind::kMap) {
    Map m;
    m.reserve(n);
    for (uint64_t i = 0; i < n && r.ok(); ++i) {
      Value k = Decode(r, depth + 1);
      m.emplace_back(std::move(k), Decode(r, depth + 1));
    }
    return Value(std::move(m));
  }
  auto names = std::make_shared<FieldNames>();
  Struct s;
  for (uint64_t i = 0; i < n && r.ok(); ++i) {
    names->names.push_back(r.Text());
    s.values.push_back(Decode(r, depth + 1));
  }
  s.names = std::move(names);
  return Value(std::move(s));
}

Value Decode(Reader& r, int depth) {
  if (depth > 200) return r.Fail(), Value();
  auto kind = static_cast<Value::Kind>(r.Raw<uint8_t>());
  if (!r.ok()) return {};
  switch (kind) {
    case Value::Kind::kNull: return {};
    case Value::Kind::kBool: return Value(r.Raw<uint8_t>() != 0);
    case Value::Kind::kInt: return Value(r.Signed());
    case Value::Kind::kDouble: return Value(r.Raw<double>());
    case Value::Kind::kDecimal: {
      Decimal d;
      d.unscaled = r.Raw<__int128>();
      d.precision = static_cast<int32_t>(r.Signed());
      d.scale = static_cast<int32_t>(r.Signed());
      return Value(d);
    }
    case Value::Kind::kString: return Value(r.Text());
    case Value::Kind::kBytes: return Value(Bytes{r.Text()});
    case Value::Kind::kDate: return Value(Date{static_cast<int32_t>(r.Signed())});
    case Value::Kind::kTime: return Value(Time{r.Signed()});
    case Value::Kind::kTimestamp: return Value(Timestamp{r.Signed()});
    case Value::Kind::kArray:
    case Value::Kind::kMap:
    case Value::Kind::kStruct: return DecodeContainer(kind, r, depth);
  }
  return r.Fail(), Value();
}

}  // namespace

void EncodeValue(const Value& v, std::string& out) {
  out += static_cast<char>(v.kind());
  switch (v.kind()) {
    case Value::Kind::kNull: break;
    case Value::Kind::kBool: out += static_cast<char>(v.as_bool() ? 1 : 0); break;
    case Value::Kind::kInt: PutSigned(v.as_int(), out); break;
    case Value::Kind::kDouble: PutRaw(v.as_double(), out); break;
    case Value::Kind::kDecimal:
      PutRaw(v.as_decimal().unscaled, out);
      PutSigned(v.as_decimal().precision, out);
      PutSigned(v.as_decimal().scale, out);
      break;
    case Value::Kind::kString: PutText(v.as_string(), out); break;
    case Value::Kind::kBytes: PutText(v.as_bytes().data, out); break;
    case Value::Kind::kDate: PutSigned(v.as_date().days, out); break;
    case Value::Kind::kTime: PutSigned(v.as_time().millis, out); break;
    case Value::Kind::kTimestamp: PutSigned(v.as_timestamp().millis, out); break;
    case Value::Kind::kArray:
      PutVarint(v.as_array().size(), out);
      for (const auto& e : v.as_array()) EncodeValue(e, out);
      break;
    case Value::Kind::kMap:
      PutVarint(v.as_map().size(), out);
      for (const auto& [k, e] : v.as_map()) {
        EncodeValue(k, out);
        EncodeValue(e, out);
      }
      break;
    case Value::Kind::kStruct: {
      const Struct& s = v.as_struct();
      PutVarint(s.size(), out);
      for (size_t i = 0; i < s.size(); ++i) {
        PutText(s.name(i), out);
        EncodeValue(s.values[i], out);
      }
      break;
    }
  }
}

Result<Value> DecodeValue(std::string_view& in) {
  Reader r(in);
  Value v = Decode(r, 0);
  if (!r.ok()) return DataError("truncated or damaged state data");
  return v;
}

}  // namespace pipeline
