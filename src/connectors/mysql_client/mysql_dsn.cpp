#include "connectors/mysql_client/mysql_dsn.h"

#include <charconv>

namespace pipeline::mysql_client {
namespace {

// %XX escapes, so that a password may hold '@', ':' or '/'.
std::string Unescape(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    unsigned byte = 0;
    if (s[i] == '%' && i + 2 < s.size() &&
        std::from_chars(s.data() + i + 1, s.data() + i + 3, byte, 16).ptr == s.data() + i + 3) {
      out += static_cast<char>(byte);
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

}  // namespace

Result<MysqlDsn> MysqlDsn::Parse(std::string_view dsn) {
  constexpr std::string_view kScheme = "mysql://";
  if (dsn.substr(0, kScheme.size()) != kScheme)
    return ConfigError("a mysql dsn has the form mysql://user:password@host:port/database");
  std::string_view rest = dsn.substr(kScheme.size());
  MysqlDsn out;
  if (size_t at = rest.rfind('@'); at != std::string_view::npos) {
    std::string_view credentials = rest.substr(0, at);
    size_t colon = credentials.find(':');
    out.user = Unescape(credentials.substr(0, colon));
    if (colon != std::string_view::npos) out.password = Unescape(credentials.substr(colon + 1));
    rest = rest.substr(at + 1);
  }
  if (size_t query = rest.find('?'); query != std::string_view::npos) rest = rest.substr(0, query);
  std::string_view host_port = rest.substr(0, rest.find('/'));
  if (size_t slash = rest.find('/'); slash != std::string_view::npos) out.database = Unescape(rest.substr(slash + 1));
  if (size_t colon = host_port.rfind(':'); colon != std::string_view::npos) {
    std::string_view port = host_port.substr(colon + 1);
    if (std::from_chars(port.data(), port.data() + port.size(), out.port).ptr != port.data() + port.size() ||
        out.port == 0 || out.port > 65535)
      return ConfigError("the dsn's port '" + std::string(port) + "' is not a port number");
    host_port = host_port.substr(0, colon);
  }
  if (!host_port.empty()) out.host = std::string(host_port);
  if (out.user.empty()) return ConfigError("the dsn names no user: mysql://user:password@host:port/database");
  return out;
}

std::string MysqlDsn::label() const { return user + "@" + host + ":" + std::to_string(port) + "/" + database; }

std::string MysqlDsn::Redact(std::string_view text) const {
  std::string out(text);
  if (password.empty()) return out;
  for (size_t at = out.find(password); at != std::string::npos; at = out.find(password, at + 10))
    out.replace(at, password.size(), "<redacted>");
  return out;
}

}  // namespace pipeline::mysql_client
