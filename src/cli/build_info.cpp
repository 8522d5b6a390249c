#include "cli/build_info.h"

#include <curl/curl.h>
#include <libpq-fe.h>
#include <librdkafka/rdkafka.h>
#include <mysql.h>
#include <simdjson.h>

#include "build_info_generated.h"

#define PIPE_STRINGIFY_TOKENS(x) #x
#define PIPE_STRINGIFY(x) PIPE_STRINGIFY_TOKENS(x)

namespace pipeline::cli {
namespace {

// PQlibVersion() is major * 10000 + minor from PostgreSQL 10 on (150005 is 15.5).
std::string LibpqVersion() {
  int v = PQlibVersion();
  return std::to_string(v / 10000) + "." + std::to_string(v % 10000);
}

std::string BuildType() {
#ifdef NDEBUG
  return PIPE_BUILD_TYPE;
#else
  return std::string(PIPE_BUILD_TYPE) + ", assertions on";
#endif
}

}  // namespace

std::string VersionLine() {
  return std::string("pipe ") + PIPE_VERSION + " (commit " + PIPE_COMMIT + ", " + BuildType() + ")";
}

// Runtime versions where the library can say (the shared library loaded, which may be newer than the headers);
// simdjson and yaml-cpp report the version pipe was compiled against: neither has a runtime call for it.
std::string VersionReport() {
  std::string out = VersionLine() + "\n";
  out += std::string("  librdkafka ") + rd_kafka_version_str() + "\n";
  out += "  libpq " + LibpqVersion() + "\n";
  out += std::string("  libmariadb ") + mysql_get_client_info() + "\n";
  out += std::string("  libcurl ") + curl_version_info(CURLVERSION_NOW)->version + "\n";
  out += std::string("  simdjson ") + PIPE_STRINGIFY(SIMDJSON_VERSION) + " (built with)\n";
  out += std::string("  yaml-cpp ") + PIPE_YAML_CPP_VERSION + " (built with)\n";
  return out;
}

}  // namespace pipeline::cli
