#include "connectors/syslog/syslog_parser.h"

#include <doctest/doctest.h>

#include <random>
#include <string>

#include "connectors/syslog/syslog_framing.h"

namespace pipeline::syslog {
namespace {

const ReceptionTime kUtc2026{2026, 0};

SyslogMessage Parsed(std::string_view input, SyslogFormat format = SyslogFormat::kAuto,
                     ReceptionTime reception = kUtc2026) {
  SyslogParse p = ParseSyslog(input, format, reception);
  INFO(p.error.ToString());
  REQUIRE(p.ok());
  return *p.message;
}

TEST_SUITE("connectors.syslog.parser") {
  TEST_CASE("RFC 5424 example 1: no structured data, a BOM before the message") {
    auto m = Parsed(
        "<34>1 2003-10-11T22:14:15.003Z mymachine.example.com su - ID47 - \xEF\xBB\xBF'su root' failed for lonvick on "
        "/dev/pts/8");
    CHECK(m.rfc5424);
    CHECK(m.facility == 4);
    CHECK(m.severity == 2);
    CHECK(FacilityName(m.facility) == "auth");
    CHECK(SeverityName(m.severity) == "crit");
    CHECK(*m.timestamp_ms == 1065910455003);
    CHECK(*m.host == "mymachine.example.com");
    CHECK(*m.app == "su");
    CHECK_FALSE(m.procid.has_value());
    CHECK(*m.msgid == "ID47");
    CHECK(m.structured_data.empty());
    CHECK(m.message == "'su root' failed for lonvick on /dev/pts/8");
  }

  TEST_CASE("RFC 5424 example 2: microseconds and a negative offset, no MSGID") {
    auto m =
        Parsed("<165>1 2003-08-24T05:14:15.000003-07:00 192.0.2.1 myproc 8710 - - %% It's time to make the do-nuts.");
    CHECK(m.facility == 20);
    CHECK(FacilityName(m.facility) == "local4");
    CHECK(SeverityName(m.severity) == "notice");
    CHECK(*m.timestamp_ms == 1061727255000);  // 12:14:15 UTC
    CHECK(*m.procid == "8710");
    CHECK_FALSE(m.msgid.has_value());
    CHECK(m.message == "%% It's time to make the do-nuts.");
  }

  TEST_CASE("RFC 5424 examples 3 and 4: structured data, several elements, escapes") {
    auto m = Parsed(
        "<165>1 2003-10-11T22:14:15.003Z mymachine.example.com evntslog - ID47 [exampleSDID@32473 iut=\"3\" "
        "eventSource=\"Application\" eventID=\"1011\"][examplePriority@32473 class=\"high\" q=\"a \\\"b\\\" \\] c\"] "
        "An application event log entry...");
    REQUIRE(m.structured_data.size() == 2);
    CHECK(m.structured_data[0].id == "exampleSDID@32473");
    REQUIRE(m.structured_data[0].params.size() == 3);
    CHECK(m.structured_data[0].params[1] == std::pair<std::string, std::string>{"eventSource", "Application"});
    CHECK(m.structured_data[1].params[1].second == "a \"b\" ] c");
    CHECK(m.message == "An application event log entry...");
    auto only_sd =
        Parsed("<165>1 2003-10-11T22:14:15.003Z mymachine.example.com evntslog - ID47 [exampleSDID@32473 iut=\"3\"]");
    CHECK(only_sd.message.empty());
    CHECK(only_sd.structured_data.size() == 1);
  }

  TEST_CASE("RFC 5424: a NILVALUE timestamp and positive offsets") {
    CHECK_FALSE(Parsed("<13>1 - host app - - - hi").timestamp_ms.has_value());
    CHECK(*Parsed("<13>1 2026-01-01T01:30:00+01:30 h a - - - x").timestamp_ms == 1767225600000);
  }

  TEST_CASE("RFC 3164: the example of RFC 3164, the receiver's year and offset") {
    auto m = Parsed("<34>Oct 11 22:14:15 mymachine su: 'su root' failed for lonvick on /dev/pts/8");
    CHECK_FALSE(m.rfc5424);
    CHECK(m.facility == 4);
    CHECK(m.severity == 2);
    CHECK(*m.host == "mymachine");
    CHECK(*m.app == "su");
    CHECK_FALSE(m.procid.has_value());
    CHECK(m.message == "'su root' failed for lonvick on /dev/pts/8");
    CHECK(*m.timestamp_ms == 1791756855000);  // 2026-10-11T22:14:15Z
    auto in_berlin = Parsed("<34>Oct 11 22:14:15 mymachine su: x", SyslogFormat::kAuto, {2026, 7200});
    CHECK(*in_berlin.timestamp_ms == 1791756855000 - 7200 * 1000);
  }

  TEST_CASE("RFC 3164: tag with a pid, a padded day, no hostname, fractions, years where rsyslog reads them") {
    auto m = Parsed("<86>Dec  5 05:30:01 web1 sshd[4242]: Invalid user admin from 203.0.113.9 port 22");
    CHECK(*m.host == "web1");
    CHECK(*m.app == "sshd");
    CHECK(*m.procid == "4242");
    CHECK(m.message == "Invalid user admin from 203.0.113.9 port 22");
    auto no_host = Parsed("<13>Dec  5 05:30:01 sshd[7]: hello");
    CHECK_FALSE(no_host.host.has_value());
    CHECK(*no_host.app == "sshd");
    CHECK(*Parsed("<13>Jan  1 00:00:00.250 h t: x").timestamp_ms == 1767225600250);
    CHECK(*Parsed("<13>2024 Jan  1 00:00:00 h t: x").timestamp_ms == 1704067200000);
    CHECK(*Parsed("<13>Jan  1 2024 00:00:00: h t: x").timestamp_ms == 1704067200000);  // Cisco
  }

  TEST_CASE("format: forced rfc3164 or rfc5424") {
    CHECK_FALSE(ParseSyslog("<13>Oct 11 22:14:15 h t: x", SyslogFormat::kRfc5424, kUtc2026).ok());
    CHECK(ParseSyslog("<13>1 2003-10-11T22:14:15Z h a - - - x", SyslogFormat::kRfc3164, kUtc2026).ok() == false);
  }

  TEST_CASE("malformed input: located errors, never a crash") {
    auto no_pri = ParseSyslog("hello world", SyslogFormat::kAuto, kUtc2026);
    CHECK_FALSE(no_pri.ok());
    CHECK(no_pri.error.ToString() == "byte 0: expected '<' and a priority");
    auto big_pri = ParseSyslog("<192>1 - - - - - -", SyslogFormat::kAuto, kUtc2026);
    CHECK(big_pri.error.reason == "expected a priority from 0 to 191");
    auto bad_month = ParseSyslog("<13>Foo 11 22:14:15 h t: x", SyslogFormat::kAuto, kUtc2026);
    CHECK(bad_month.error.offset == 4);
    auto open_sd = ParseSyslog("<13>1 - h a - - [id x=\"y", SyslogFormat::kAuto, kUtc2026);
    CHECK(open_sd.error.reason == "unterminated parameter value");
    CHECK_FALSE(ParseSyslog("<13>1 2003-02-30T00:00:00Z h a - - - x", SyslogFormat::kAuto, kUtc2026).ok());
    CHECK_FALSE(ParseSyslog("", SyslogFormat::kAuto, kUtc2026).ok());
    CHECK_FALSE(ParseSyslog("<", SyslogFormat::kAuto, kUtc2026).ok());
    CHECK_FALSE(ParseSyslog("<1>", SyslogFormat::kAuto, kUtc2026).ok());
    CHECK_FALSE(ParseSyslog("<13>1 ", SyslogFormat::kAuto, kUtc2026).ok());
    // Every prefix of a valid message parses or fails cleanly.
    const std::string full = "<165>1 2003-10-11T22:14:15.003Z mymachine evntslog - ID47 [a@1 b=\"c\"] msg";
    for (size_t n = 0; n <= full.size(); ++n) (void)ParseSyslog(full.substr(0, n), SyslogFormat::kAuto, kUtc2026);
  }

  TEST_CASE("mangled messages (bytes changed, cut, inserted) parse or fail with a located error, never crash") {
    // The seed of a fuzz harness until `make fuzz` exists: the same mutations through the parser and the framing.
    const std::vector<std::string> seeds = {
        "<165>1 2003-10-11T22:14:15.003Z mymachine.example.com evntslog - ID47 [exampleSDID@32473 iut=\"3\" "
        "eventSource=\"App\\\"lication\"][x@1 a=\"b\"] \xEF\xBB\xBF"
        "An application event",
        "<34>Oct 11 22:14:15 mymachine su[12]: 'su root' failed for lonvick on /dev/pts/8",
        "<13>2024 Jan  1 2024 00:00:00.123: h t: x"};
    std::mt19937 rng(26);
    int parsed = 0;
    for (int i = 0; i < 20000; ++i) {
      std::string m = seeds[i % seeds.size()];
      for (int k = 0, edits = 1 + static_cast<int>(rng() % 4); k < edits && !m.empty(); ++k) {
        size_t at = rng() % m.size();
        switch (rng() % 3) {
          case 0:
            m[at] = static_cast<char>(rng() % 256);
            break;
          case 1:
            m.resize(at);
            break;
          default:
            m.insert(at, 1, "<>[]\" 0-: 9Z"[rng() % 13]);
            break;
        }
      }
      SyslogParse p = ParseSyslog(m, SyslogFormat::kAuto, kUtc2026);
      if (p.ok())
        ++parsed;
      else
        CHECK(p.error.offset <= m.size());
      FrameSplitter splitter(64);
      std::vector<Frame> frames;
      splitter.Feed(m, frames);
      splitter.Finish(frames);
      for (const Frame& f : frames) CHECK(f.bytes.size() <= 64);
    }
    CHECK(parsed > 0);
  }
}

}  // namespace
}  // namespace pipeline::syslog
