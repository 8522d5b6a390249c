#include "connectors/syslog/syslog_record.h"

#include <memory>

namespace pipeline::syslog {
namespace {

const std::vector<std::string> kFields = {"timestamp",      "host",     "app",           "procid",        "msgid",
                                          "facility",       "severity", "facility_name", "severity_name", "message",
                                          "structured_data"};

Value OptionalString(std::optional<std::string>& s) { return s ? Value(std::move(*s)) : Value(); }

// {"exampleSDID@32473": {"iut": "3", ...}, ...}; null when the message has none.
Value StructuredData(std::vector<StructuredElement>& elements) {
  if (elements.empty()) return Value();
  Map out;
  out.reserve(elements.size());
  for (auto& element : elements) {
    Map params;
    params.reserve(element.params.size());
    for (auto& [name, value] : element.params) params.emplace_back(Value(std::move(name)), Value(std::move(value)));
    out.emplace_back(Value(std::move(element.id)), Value(std::move(params)));
  }
  return Value(std::move(out));
}

}  // namespace

SyslogRecordBuilder::SyslogRecordBuilder() {
  names_ = std::make_shared<const FieldNames>(FieldNames{kFields});
  auto with_error = kFields;
  with_error.push_back("parse_error");
  malformed_names_ = std::make_shared<const FieldNames>(FieldNames{std::move(with_error)});
}

void SyslogRecordBuilder::Build(SyslogMessage&& m, int64_t received_ms, Record& out) const {
  const int64_t time = m.timestamp_ms.value_or(received_ms);
  Struct s{names_, {}};
  s.values.reserve(kFields.size());
  s.values.emplace_back(Timestamp{time});
  s.values.push_back(OptionalString(m.host));
  s.values.push_back(OptionalString(m.app));
  s.values.push_back(OptionalString(m.procid));
  s.values.push_back(OptionalString(m.msgid));
  s.values.emplace_back(int64_t{m.facility});
  s.values.emplace_back(int64_t{m.severity});
  s.values.emplace_back(FacilityName(m.facility));
  s.values.emplace_back(SeverityName(m.severity));
  s.values.emplace_back(std::move(m.message));
  s.values.push_back(StructuredData(m.structured_data));
  out.value = Value(std::move(s));
  out.timestamp = time;
}

void SyslogRecordBuilder::BuildMalformed(std::string_view raw, const std::string& parse_error, int64_t received_ms,
                                         Record& out) const {
  Struct s{malformed_names_, std::vector<Value>(kFields.size() + 1)};
  s.values[0] = Value(Timestamp{received_ms});
  s.values[9] = Value(raw);
  s.values[kFields.size()] = Value(parse_error);
  out.value = Value(std::move(s));
  out.timestamp = received_ms;
}

}  // namespace pipeline::syslog
