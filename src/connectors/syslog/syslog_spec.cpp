// The `syslog` source: options (reference docs come from here) and factory.
#include <charconv>

#include "connectors/connectors.h"
#include "connectors/syslog/syslog_source.h"
#include "plugin/dead_letter.h"
#include "plugin/registry.h"
#include "plugin/tls_options.h"

namespace pipeline {
namespace {

ComponentSpec SyslogSpec() {
  ComponentSpec spec;
  spec.type = "syslog";
  spec.kind = ComponentKind::kSource;
  spec.summary =
      "Receives syslog messages (RFC 5424 and RFC 3164) over TCP (newline or octet-counted framing, detected per "
      "connection), optionally with TLS (RFC 5425), or UDP; one record per message with host, app, procid, msgid, "
      "facility, severity, facility_name, severity_name, timestamp (also the event time), message and "
      "structured_data. A message that does not parse is kept with its text in message and the reason in "
      "parse_error, unless on_error says otherwise. A full pipeline stops reading TCP connections (the senders slow "
      "down); UDP datagrams that arrive meanwhile are dropped and counted in pipe_syslog_dropped_datagrams_total. "
      "Not replayable: what was received and not yet delivered when pipe is killed is lost, as with any syslog "
      "receiver.";
  spec.options = {
      {"address", OptionType::kString, "HOST:PORT to listen on ([::1]:PORT for IPv6; 0.0.0.0 for every interface).",
       "127.0.0.1:5514"},
      {"protocol",
       OptionType::kEnum,
       "tcp (with backpressure) or udp (datagrams; dropped and counted when full).",
       "tcp",
       false,
       {"tcp", "udp"}},
      {"format",
       OptionType::kEnum,
       "auto (RFC 5424 when the version 1 follows the priority, else RFC 3164), rfc3164 or rfc5424.",
       "auto",
       false,
       {"auto", "rfc3164", "rfc5424"}},
      TlsOption("Syslog over TLS (RFC 5425), with protocol: tcp: cert_file and key_file are the server's certificate "
                "and key; ca_file makes every sender present a certificate signed by it (mutual TLS). verify and "
                "server_name are client settings and are not used. A handshake that fails or does not finish within "
                "10 s closes that connection only (counted in pipe_syslog_tls_handshake_failures_total)."),
      {"max_message_bytes", OptionType::kInt,
       "Longest message kept; a longer one is cut there and kept with a parse_error saying so.", "65536"},
      {"max_connections", OptionType::kInt,
       "Most TCP connections open at once; one more is closed at once (counted in "
       "pipe_syslog_refused_connections_total).",
       "256"},
  };
  spec.example = "sources:\n  syslog:\n    type: syslog\n    address: 0.0.0.0:5514\n    protocol: tcp\n";
  return spec;
}

// "host:port" or "[v6]:port".
bool SplitAddress(const std::string& address, syslog::ServerSettings& s) {
  const size_t colon = address.rfind(':');
  if (colon == std::string::npos || colon == 0) return false;
  std::string host = address.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  int port = -1;
  const char* end = address.data() + address.size();
  auto [ptr, ec] = std::from_chars(address.data() + colon + 1, end, port);
  if (ec != std::errc() || ptr != end || port < 0 || port > 65535) return false;
  s.host = host;
  s.port = port;
  return true;
}

Result<std::unique_ptr<Source>> BuildSyslog(const Options& options, const BuildContext&) {
  syslog::SyslogSettings s;
  if (!SplitAddress(options.GetString("address"), s.server))
    return options.ErrorAt("address", "expected HOST:PORT with a port from 0 to 65535");
  s.server.udp = options.GetString("protocol") == "udp";
  auto tls = ParseTlsOptions(options);
  if (!tls.ok()) return tls.error();
  if (tls->configured && s.server.udp)
    return options.ErrorAt("tls", "TLS needs protocol: tcp (syslog over DTLS, RFC 6012, is not supported)");
  if (tls->configured && (tls->cert_file.empty() || tls->key_file.empty()))
    return options.ErrorAt("tls", "a server needs cert_file and key_file");
  s.server.tls = *tls;
  const std::string format = options.GetString("format");
  s.format = format == "rfc3164"   ? syslog::SyslogFormat::kRfc3164
             : format == "rfc5424" ? syslog::SyslogFormat::kRfc5424
                                   : syslog::SyslogFormat::kAuto;
  if (options.GetInt("max_message_bytes") < 64 || options.GetInt("max_message_bytes") > (64 << 20))
    return options.ErrorAt("max_message_bytes", "must be from 64 to 67108864");
  s.server.max_message_bytes = static_cast<size_t>(options.GetInt("max_message_bytes"));
  if (options.GetInt("max_connections") <= 0) return options.ErrorAt("max_connections", "must be positive");
  s.server.max_connections = static_cast<int>(options.GetInt("max_connections"));
  // Without on_error a malformed message is kept (a log receiver should not stop on one bad line); with it, it
  // follows on_error as in every other source. The loader checked the value.
  if (options.Has("on_error")) {
    switch (ParseOnError(options.GetString("on_error")).value_or(OnError::kFail)) {
      case OnError::kFail:
        s.on_malformed = syslog::MalformedPolicy::kFail;
        break;
      case OnError::kSkip:
        s.on_malformed = syslog::MalformedPolicy::kSkip;
        break;
      case OnError::kDeadLetter:
        s.on_malformed = syslog::MalformedPolicy::kDeadLetter;
        s.dead_letter_path = options.GetString("dead_letter_path");
        break;
    }
  }
  return std::unique_ptr<Source>(std::make_unique<syslog::SyslogSource>(std::move(s)));
}

}  // namespace

void RegisterSyslogSource(Registry& registry) { registry.AddSource(SyslogSpec(), BuildSyslog); }

}  // namespace pipeline
