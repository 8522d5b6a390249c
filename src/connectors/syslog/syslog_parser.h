// The syslog parser: one message's bytes (a datagram, or one frame of a TCP stream) to its parts, or an error
// that says where it stopped. Pure: no clock, no allocation beyond the result, no state; the caller passes what
// an RFC 3164 timestamp needs from the receiver (its local year and UTC offset), so it is unit-tested and fuzzed
// as a plain function.
//
// RFC 5424: <PRI>1 TIMESTAMP HOST APP PROCID MSGID [SD-ID name="value" ...] MSG (NILVALUE "-" for absent parts;
// a UTF-8 BOM before MSG is removed). RFC 3164 ("BSD syslog"): <PRI>Mmm dd hh:mm:ss HOST TAG[PID]: MSG, read as
// rsyslog reads it: the year and the UTC offset are the receiver's at reception (RFC 3164 carries neither); a
// year before the month ("2024 Oct 11 ...") or in place of the hour ("Oct 11 2024 22:14:15", Cisco) and
// fractional seconds are accepted; a missing hostname (the token after the time ends in ':') leaves host empty.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace pipeline::syslog {

enum class SyslogFormat { kAuto, kRfc3164, kRfc5424 };

struct StructuredElement {
  std::string id;                                           // "exampleSDID@32473"
  std::vector<std::pair<std::string, std::string>> params;  // in order; escapes (\" \\ \]) resolved
};

struct SyslogMessage {
  int facility = 1;                     // user
  int severity = 5;                     // notice
  std::optional<int64_t> timestamp_ms;  // UTC; absent for NILVALUE
  std::optional<std::string> host, app, procid, msgid;
  std::vector<StructuredElement> structured_data;
  std::string message;
  bool rfc5424 = false;
};

struct SyslogParseError {
  size_t offset = 0;  // where in the input the parser stopped (0-based byte)
  std::string reason;
  std::string ToString() const;  // "byte 12: expected a space after the version"
};

// What an RFC 3164 timestamp lacks, taken from the receiver at reception.
struct ReceptionTime {
  int year = 1970;
  int utc_offset_seconds = 0;  // local time minus UTC
};

struct SyslogParse {
  std::optional<SyslogMessage> message;  // set when the input parsed
  SyslogParseError error;                // otherwise
  bool ok() const { return message.has_value(); }
};

SyslogParse ParseSyslog(std::string_view input, SyslogFormat format, const ReceptionTime& reception);

// "kern", "user", ... "local7"; "" outside 0..23.
std::string_view FacilityName(int facility);
// "emerg", "alert", "crit", "err", "warning", "notice", "info", "debug".
std::string_view SeverityName(int severity);

}  // namespace pipeline::syslog
