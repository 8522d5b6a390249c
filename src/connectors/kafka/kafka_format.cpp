#include "connectors/kafka/kafka_format.h"

#include <bit>
#include <cstdint>
#include <cstring>

namespace pipeline::kafka {

namespace {

struct FormatName {
  KafkaFormat format;
  const char* name;
};
constexpr FormatName kFormats[] = {
    {KafkaFormat::kJson, "json"},        {KafkaFormat::kLines, "lines"},
    {KafkaFormat::kBytes, "bytes"},      {KafkaFormat::kInt, "KAFKA_INT"},
    {KafkaFormat::kBigint, "KAFKA_BIGINT"}, {KafkaFormat::kDouble, "KAFKA_DOUBLE"},
    {KafkaFormat::kString, "KAFKA_STRING"},
};

template <class T>
T ReadBigEndian(const void* p) {
  T v;
  std::memcpy(&v, p, sizeof(T));
  if constexpr (std::endian::native == std::endian::little) {
    if constexpr (sizeof(T) == 4) v = __builtin_bswap32(v);
    if constexpr (sizeof(T) == 8) v = __builtin_bswap64(v);
  }
  return v;
}

template <class T>
void AppendBigEndian(T v, std::string& out) {
  if constexpr (std::endian::native == std::endian::little) {
    if constexpr (sizeof(T) == 4) v = __builtin_bswap32(v);
    if constexpr (sizeof(T) == 8) v = __builtin_bswap64(v);
  }
  out.append(reinterpret_cast<const char*>(&v), sizeof(T));
}

// ksqlDB's KAFKA format serializes a single-column key struct as that column.
const Value& UnwrapSingleField(const Value& v) {
  if (v.is_struct() && v.as_struct().size() == 1) return v.as_struct().values[0];
  return v;
}

Error Mismatch(KafkaFormat format, const Value& v) {
  return DataError(std::string(KafkaFormatName(format)) + " cannot encode a " +
                   std::string(Value::KindName(v.kind())) + " value");
}

}  // namespace

std::vector<std::string> KafkaFormatNames() {
  std::vector<std::string> names;
  for (const auto& f : kFormats) names.push_back(f.name);
  return names;
}

Result<KafkaFormat> ParseKafkaFormat(const std::string& name) {
  for (const auto& f : kFormats)
    if (name == f.name) return f.format;
  std::string choices;
  for (const auto& f : kFormats) choices += (choices.empty() ? "" : ", ") + std::string(f.name);
  return ConfigError("unknown kafka format '" + name + "' (choose one of: " + choices + ")");
}

std::string_view KafkaFormatName(KafkaFormat format) {
  for (const auto& f : kFormats)
    if (f.format == format) return f.name;
  return "?";
}

PayloadDecoder::PayloadDecoder(KafkaFormat format) : format_(format) {
  auto names = std::make_shared<FieldNames>();
  names->names = {"message"};
  lines_names_ = std::move(names);
}

Status PayloadDecoder::Decode(const void* payload, size_t size, Value& out, size_t readable_after) {
  if (payload == nullptr) {
    out = Value();
    return {};
  }
  const char* text = static_cast<const char*>(payload);
  switch (format_) {
    case KafkaFormat::kJson: {
      auto parsed = json_.Parse(std::string_view(text, size), readable_after);
      if (!parsed.ok()) return DataError("invalid JSON: " + parsed.error().message());
      out = std::move(*parsed);
      return {};
    }
    case KafkaFormat::kLines:
      out = Value(Struct{lines_names_, {Value(std::string(text, size))}});
      return {};
    case KafkaFormat::kBytes:
      out = Value(Bytes{std::string(text, size)});
      return {};
    case KafkaFormat::kString:
      out = Value(std::string(text, size));
      return {};
    case KafkaFormat::kInt:
      if (size != 4) return DataError("KAFKA_INT needs 4 bytes, got " + std::to_string(size));
      out = Value(int64_t{static_cast<int32_t>(ReadBigEndian<uint32_t>(payload))});
      return {};
    case KafkaFormat::kBigint:
      if (size != 8) return DataError("KAFKA_BIGINT needs 8 bytes, got " + std::to_string(size));
      out = Value(static_cast<int64_t>(ReadBigEndian<uint64_t>(payload)));
      return {};
    case KafkaFormat::kDouble:
      if (size != 8) return DataError("KAFKA_DOUBLE needs 8 bytes, got " + std::to_string(size));
      out = Value(std::bit_cast<double>(ReadBigEndian<uint64_t>(payload)));
      return {};
  }
  return DataError("unknown kafka format");
}

Status EncodePayload(KafkaFormat format, const Value& value, std::string& out, bool* is_null) {
  *is_null = value.is_null();
  if (value.is_null()) return {};
  switch (format) {
    case KafkaFormat::kJson:
      AppendJson(value, out);
      return {};
    case KafkaFormat::kLines: {
      const Value* message = value.Field("message");
      const Value& v = message ? *message : value;
      out += v.is_string() ? v.as_string() : v.ToString();
      return {};
    }
    case KafkaFormat::kBytes:
    case KafkaFormat::kString: {
      const Value& v = UnwrapSingleField(value);
      if (v.is_bytes()) out += v.as_bytes().data;
      else if (v.is_string()) out += v.as_string();
      else if (v.is_null()) *is_null = true;
      else out += v.ToString();
      return {};
    }
    case KafkaFormat::kInt: {
      const Value& v = UnwrapSingleField(value);
      if (!v.is_int()) return Mismatch(format, v);
      if (v.as_int() < INT32_MIN || v.as_int() > INT32_MAX)
        return DataError("KAFKA_INT cannot hold " + std::to_string(v.as_int()));
      AppendBigEndian(static_cast<uint32_t>(static_cast<int32_t>(v.as_int())), out);
      return {};
    }
    case KafkaFormat::kBigint: {
      const Value& v = UnwrapSingleField(value);
      if (!v.is_int()) return Mismatch(format, v);
      AppendBigEndian(static_cast<uint64_t>(v.as_int()), out);
      return {};
    }
    case KafkaFormat::kDouble: {
      const Value& v = UnwrapSingleField(value);
      if (!v.is_number()) return Mismatch(format, v);
      AppendBigEndian(std::bit_cast<uint64_t>(v.ToDouble()), out);
      return {};
    }
  }
  return DataError("unknown kafka format");
}

}  // namespace pipeline::kafka
