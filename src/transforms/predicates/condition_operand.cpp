#include "transforms/predicates/condition_operand.h"

#include <charconv>

namespace pipeline {
namespace {

// A string holding a whole number (int or double), for comparing "404" with 404 (lines/CSV text input).
std::optional<Scalar> NumberInString(std::string_view s) {
  if (s.empty()) return std::nullopt;
  Scalar n;
  const char* first = s.data();
  const char* last = s.data() + s.size();
  auto r = std::from_chars(first, last, n.i);
  if (r.ec == std::errc() && r.ptr == last) {
    n.kind = Scalar::Kind::kInt;
    return n;
  }
  auto rd = std::from_chars(first, last, n.d);
  if (rd.ec == std::errc() && rd.ptr == last) {
    n.kind = Scalar::Kind::kDouble;
    return n;
  }
  return std::nullopt;
}

double AsDouble(const Scalar& s) { return s.kind == Scalar::Kind::kInt ? static_cast<double>(s.i) : s.d; }

template <class T>
int Order(const T& a, const T& b) {
  return a < b ? -1 : (b < a ? 1 : 0);
}

}  // namespace

Scalar Scalar::Of(const Value* v) {
  Scalar s;
  if (!v) return s;
  switch (v->kind()) {
    case Value::Kind::kNull:
      break;
    case Value::Kind::kBool:
      s.kind = Kind::kBool;
      s.b = v->as_bool();
      break;
    case Value::Kind::kInt:
      s.kind = Kind::kInt;
      s.i = v->as_int();
      break;
    case Value::Kind::kDouble:
      s.kind = Kind::kDouble;
      s.d = v->as_double();
      break;
    case Value::Kind::kDecimal:
      s.kind = Kind::kDouble;
      s.d = v->as_decimal().ToDouble();
      break;
    case Value::Kind::kString:
      s.kind = Kind::kString;
      s.s = v->as_string();
      break;
    case Value::Kind::kBytes:
      s.kind = Kind::kString;
      s.s = v->as_bytes().data;
      break;
    case Value::Kind::kDate:
      s.kind = Kind::kInt;
      s.i = v->as_date().days;
      break;
    case Value::Kind::kTime:
      s.kind = Kind::kInt;
      s.i = v->as_time().millis;
      break;
    case Value::Kind::kTimestamp:
      s.kind = Kind::kInt;
      s.i = v->as_timestamp().millis;
      break;
    case Value::Kind::kArray:
    case Value::Kind::kMap:
    case Value::Kind::kStruct:
      s.kind = Kind::kComposite;
      s.value = v;
      break;
  }
  return s;
}

std::optional<int> CompareScalars(const Scalar& a, const Scalar& b) {
  using K = Scalar::Kind;
  if (a.is_number() && b.is_number()) {
    if (a.kind == K::kInt && b.kind == K::kInt) return Order(a.i, b.i);
    double x = AsDouble(a), y = AsDouble(b);
    if (x != x || y != y) return std::nullopt;  // NaN
    return Order(x, y);
  }
  if (a.is_number() && b.kind == K::kString) {
    auto n = NumberInString(b.s);
    return n ? CompareScalars(a, *n) : std::nullopt;
  }
  if (a.kind == K::kString && b.is_number()) {
    auto n = NumberInString(a.s);
    return n ? CompareScalars(*n, b) : std::nullopt;
  }
  if (a.kind != b.kind) return std::nullopt;
  switch (a.kind) {
    case K::kString:
      return a.s.compare(b.s) < 0 ? -1 : (a.s == b.s ? 0 : 1);
    case K::kBool:
      return Order(a.b, b.b);
    default:
      return std::nullopt;  // nulls and composites have no order
  }
}

bool ScalarsEqual(const Scalar& a, const Scalar& b) {
  using K = Scalar::Kind;
  if (a.kind == K::kNull || b.kind == K::kNull) return a.kind == b.kind;
  if (a.kind == K::kComposite || b.kind == K::kComposite) return a.kind == b.kind && *a.value == *b.value;
  auto order = CompareScalars(a, b);
  return order && *order == 0;
}

FieldPath::FieldPath(std::vector<std::string> segments) {
  segments_.reserve(segments.size());
  for (auto& s : segments) segments_.emplace_back(std::move(s));
}

const Value* FieldPath::Resolve(const Value& root) {
  const Value* v = &root;
  for (auto& segment : segments_) {
    v = segment.FindIn(*v);
    if (!v) return nullptr;
  }
  return v;
}

std::string FieldPath::ToString() const {
  std::string out;
  for (const auto& s : segments_) {
    if (!out.empty()) out += '.';
    out += s.name();
  }
  return out;
}

Operand Operand::Literal(Value v) {
  Operand o;
  o.source_ = Source::kLiteral;
  o.literal_ = std::move(v);
  return o;
}

Operand Operand::Field(Source source, std::vector<std::string> path) {
  Operand o;
  o.source_ = source;
  o.path_.emplace(std::move(path));
  return o;
}

Operand Operand::Attribute(Source source, std::string header) {
  Operand o;
  o.source_ = source;
  o.header_ = std::move(header);
  return o;
}

Scalar Operand::Resolve(const Record& record) {
  Scalar s;
  switch (source_) {
    case Source::kLiteral:
      return Scalar::Of(&literal_);
    case Source::kValueField:
      return Scalar::Of(path_->Resolve(record.value));
    case Source::kKeyField:
      return Scalar::Of(path_->Resolve(record.key));
    case Source::kKey:
      return Scalar::Of(&record.key);
    case Source::kTopic:
      s.kind = Scalar::Kind::kString;
      s.s = record.topic;
      return s;
    case Source::kTimestamp:
      s.kind = Scalar::Kind::kInt;
      s.i = record.timestamp;
      return s;
    case Source::kPartition:
      if (record.partition < 0) return s;
      s.kind = Scalar::Kind::kInt;
      s.i = record.partition;
      return s;
    case Source::kOffset:
      if (record.offset < 0) return s;
      s.kind = Scalar::Kind::kInt;
      s.i = record.offset;
      return s;
    case Source::kHeader:
      if (const std::string* h = record.FindHeader(header_)) {
        s.kind = Scalar::Kind::kString;
        s.s = *h;
      }
      return s;
  }
  return s;
}

}  // namespace pipeline
