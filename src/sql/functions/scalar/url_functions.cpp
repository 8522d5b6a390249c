// URL functions: URL_EXTRACT_FRAGMENT/HOST/PARAMETER/PATH/PORT/PROTOCOL/QUERY, URL_ENCODE_PARAM,
// URL_DECODE_PARAM. URLs are split as RFC 3986 (java.net.URI) does; components come back percent-decoded;
// an invalid URL gives NULL. Encoding follows application/x-www-form-urlencoded (space <-> '+').
#include <cctype>
#include <optional>

#include "sql/functions/scalar/families.h"
#include "sql/functions/scalar/signature.h"

namespace pipeline::sql::scalar {

namespace {

const SqlType kString = T(TypeId::kString);

struct UrlParts {
  std::optional<std::string> scheme, user_info, host, port, path, query, fragment;
};

bool IsSchemeChar(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '-' || c == '.'; }

// Characters java.net.URI rejects outright.
bool HasIllegalChars(const std::string& s) {
  for (unsigned char c : s)
    if (c <= ' ' || c == '"' || c == '<' || c == '>' || c == '\\' || c == '^' || c == '`' || c == '{' || c == '|' ||
        c == '}' || c == 0x7F)
      return true;
  return false;
}

std::optional<UrlParts> ParseUrl(const std::string& url) {
  if (url.empty() || HasIllegalChars(url)) return std::nullopt;
  UrlParts p;
  std::string rest = url;
  if (size_t hash = rest.find('#'); hash != std::string::npos) {
    p.fragment = rest.substr(hash + 1);
    rest.erase(hash);
  }
  size_t colon = rest.find(':');
  if (colon != std::string::npos && colon > 0 && std::isalpha(static_cast<unsigned char>(rest[0])) &&
      std::all_of(rest.begin(), rest.begin() + static_cast<std::ptrdiff_t>(colon), IsSchemeChar) &&
      rest.find_first_of("/?") > colon) {
    p.scheme = rest.substr(0, colon);
    rest.erase(0, colon + 1);
  }
  if (size_t q = rest.find('?'); q != std::string::npos) {
    p.query = rest.substr(q + 1);
    rest.erase(q);
  }
  if (rest.rfind("//", 0) == 0) {
    size_t slash = rest.find('/', 2);
    std::string authority = rest.substr(2, slash == std::string::npos ? std::string::npos : slash - 2);
    rest = slash == std::string::npos ? "" : rest.substr(slash);
    if (size_t at = authority.rfind('@'); at != std::string::npos) {
      p.user_info = authority.substr(0, at);
      authority.erase(0, at + 1);
    }
    size_t port_colon = authority.rfind(':');
    if (port_colon != std::string::npos && authority.find(']', port_colon) == std::string::npos) {
      std::string port = authority.substr(port_colon + 1);
      if (!std::all_of(port.begin(), port.end(), ::isdigit)) return std::nullopt;
      if (!port.empty()) p.port = port;
      authority.erase(port_colon);
    }
    if (!authority.empty()) p.host = authority;
  }
  p.path = rest;
  return p;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Percent-decoding; `plus_is_space` for form encoding (URLDecoder) but not for URI components.
std::optional<std::string> Decode(const std::string& s, bool plus_is_space) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%') {
      if (i + 2 >= s.size()) return std::nullopt;
      int hi = HexValue(s[i + 1]);
      int lo = HexValue(s[i + 2]);
      if (hi < 0 || lo < 0) return std::nullopt;
      out += static_cast<char>(hi * 16 + lo);
      i += 2;
    } else if (plus_is_space && s[i] == '+') {
      out += ' ';
    } else {
      out += s[i];
    }
  }
  return out;
}

// java.net.URLEncoder with UTF-8: letters, digits and ".-*_" stay, space becomes '+', the rest %XX.
std::string FormEncode(const std::string& s) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '.' || c == '-' || c == '*' || c == '_') {
      out += static_cast<char>(c);
    } else if (c == ' ') {
      out += '+';
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

Value DecodedOrNull(const std::optional<std::string>& component) {
  if (!component) return Value();
  std::optional<std::string> decoded = Decode(*component, false);
  return decoded ? Value(std::move(*decoded)) : Value();
}

using Extractor = Value (*)(const UrlParts&);

ImplFactory UrlPart(Extractor extract, SqlType type = kString) {
  return Returns(std::move(type), [extract](const Args& a, EvalContext&) -> Value {
    std::optional<UrlParts> parts = ParseUrl(a[0].as_string());
    return parts ? extract(*parts) : Value();
  });
}

Value Parameter(const Args& a) {
  std::optional<UrlParts> parts = ParseUrl(a[0].as_string());
  if (!parts || !parts->query) return Value();
  const std::string& wanted = a[1].as_string();
  const std::string& query = *parts->query;
  size_t pos = 0;
  while (pos <= query.size()) {
    size_t amp = query.find('&', pos);
    std::string pair = query.substr(pos, amp == std::string::npos ? std::string::npos : amp - pos);
    size_t eq = pair.find('=');
    std::optional<std::string> key = Decode(pair.substr(0, eq), true);
    if (key && *key == wanted) {
      if (eq == std::string::npos) return Value();
      std::optional<std::string> value = Decode(pair.substr(eq + 1), true);
      return value ? Value(std::move(*value)) : Value();
    }
    if (amp == std::string::npos) break;
    pos = amp + 1;
  }
  return Value();
}

}  // namespace

void RegisterUrlFunctions(ScalarFunctionRegistry& reg) {
  reg.Add(FunctionBuilder("URL_ENCODE_PARAM", "url", "Escapes a value for use in a URL query parameter.")
              .Overload("(input STRING) -> STRING",
                        Returns(kString, [](const Args& a, EvalContext&) { return Value(FormEncode(a[0].as_string())); }))
              .Build());
  reg.Add(FunctionBuilder("URL_DECODE_PARAM", "url", "Unescapes a URL-parameter-encoded value.")
              .Overload("(input STRING) -> STRING", Returns(kString, [](const Args& a, EvalContext& ctx) -> Value {
                std::optional<std::string> decoded = Decode(a[0].as_string(), true);
                if (!decoded) ctx.Fail("Invalid URL encoding: " + a[0].as_string());
                return decoded ? Value(std::move(*decoded)) : Value();
              }))
              .Build());
  reg.Add(FunctionBuilder("URL_EXTRACT_FRAGMENT", "url", "The decoded fragment of a URL; NULL if none.")
              .Overload("(url STRING) -> STRING", UrlPart([](const UrlParts& p) { return DecodedOrNull(p.fragment); }))
              .Build());
  reg.Add(FunctionBuilder("URL_EXTRACT_HOST", "url", "The host of a URL; NULL if none.")
              .Overload("(url STRING) -> STRING", UrlPart([](const UrlParts& p) { return p.host ? Value(*p.host) : Value(); }))
              .Build());
  reg.Add(FunctionBuilder("URL_EXTRACT_PATH", "url", "The decoded path of a URL (empty when there is none).")
              .Overload("(url STRING) -> STRING", UrlPart([](const UrlParts& p) { return DecodedOrNull(p.path); }))
              .Build());
  reg.Add(FunctionBuilder("URL_EXTRACT_PORT", "url", "The explicit port of a URL; NULL if none.")
              .Overload("(url STRING) -> INTEGER", UrlPart([](const UrlParts& p) {
                return p.port ? Value(static_cast<int64_t>(std::stol(*p.port))) : Value();
              }, T(TypeId::kInt)))
              .Build());
  reg.Add(FunctionBuilder("URL_EXTRACT_PROTOCOL", "url", "The scheme of a URL; NULL if none.")
              .Overload("(url STRING) -> STRING", UrlPart([](const UrlParts& p) { return p.scheme ? Value(*p.scheme) : Value(); }))
              .Build());
  reg.Add(FunctionBuilder("URL_EXTRACT_QUERY", "url", "The decoded query string of a URL; NULL if none.")
              .Overload("(url STRING) -> STRING", UrlPart([](const UrlParts& p) { return DecodedOrNull(p.query); }))
              .Build());
  reg.Add(FunctionBuilder("URL_EXTRACT_PARAMETER", "url",
                          "The decoded value of a query parameter; NULL if absent or without a value.")
              .Overload("(url STRING, parameter_name STRING) -> STRING",
                        Returns(kString, [](const Args& a, EvalContext&) { return Parameter(a); }))
              .Build());
}

}  // namespace pipeline::sql::scalar
