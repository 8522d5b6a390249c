// A parsed syslog message as a record: the fields every syslog record has (README.md), the message's time as
// the record's event time. A message that did not parse keeps its text in `message`, the reception time, and
// says why in `parse_error` (its other fields are null).
#pragma once

#include <string>
#include <string_view>

#include "connectors/syslog/syslog_parser.h"
#include "core/record.h"

namespace pipeline::syslog {

class SyslogRecordBuilder {
 public:
  SyslogRecordBuilder();
  // Moves the message's strings into the record.
  void Build(SyslogMessage&& m, int64_t received_ms, Record& out) const;
  void BuildMalformed(std::string_view raw, const std::string& parse_error, int64_t received_ms, Record& out) const;

 private:
  FieldNamesPtr names_;            // the fields of a parsed message
  FieldNamesPtr malformed_names_;  // the same and parse_error
};

}  // namespace pipeline::syslog
