// The `dsn` and `tls` options as one libpq connection string: what TLS asks of libpq, and what is refused before
// any connection (tests/e2e/test_database_tls.py connects over TLS to a real PostgreSQL).
#include "connectors/postgres_client/postgres_dsn.h"

#include <doctest/doctest.h>
#include <libpq-fe.h>

#include <map>

#include "plugin/registry.h"

namespace pipeline::postgres_client {
namespace {

// The keywords a connection string sets, as libpq reads them.
std::map<std::string, std::string> Keywords(const std::string& conninfo) {
  std::map<std::string, std::string> out;
  PQconninfoOption* options = PQconninfoParse(conninfo.c_str(), nullptr);
  REQUIRE(options != nullptr);
  for (PQconninfoOption* o = options; o->keyword; ++o)
    if (o->val) out[o->keyword] = o->val;
  PQconninfoFree(options);
  return out;
}

TlsSettings Tls(bool verify, std::string ca_file = "") {
  TlsSettings tls;
  tls.configured = true;
  tls.verify = verify;
  tls.ca_file = std::move(ca_file);
  return tls;
}

Result<std::string> FromYaml(const std::string& yaml) {
  const ComponentSpec* spec = BuiltinRegistry().FindSpec(ComponentKind::kSource, "postgres_cdc");
  REQUIRE(spec != nullptr);
  return DsnOption(Options(spec, YAML::Load(yaml), "p.yaml"));
}

TEST_CASE("postgres dsn with tls: verify is verify-full against ca_file, verify false is require") {
  const std::string dsn = "postgres://alice:pw'q\\uote@db.example:6543/shop?application_name=x";
  auto verified = WithTls(dsn, Tls(true, "/certs/ca.pem"));
  REQUIRE(verified.ok());
  auto k = Keywords(*verified);
  CHECK(k["sslmode"] == "verify-full");
  CHECK(k["sslrootcert"] == "/certs/ca.pem");
  CHECK(k["password"] == "pw'q\\uote");  // quoting keeps every character of every value
  CHECK(k["host"] == "db.example");
  CHECK(k["application_name"] == "x");
  CHECK(PostgresDsn::Parse(*verified)->label() == "alice@db.example:6543/shop");

  auto unverified = WithTls(dsn, Tls(false));
  REQUIRE(unverified.ok());
  CHECK(Keywords(*unverified)["sslmode"] == "require");
  CHECK(Keywords(*unverified).count("sslrootcert") == 0);

  TlsSettings client = Tls(true, "/certs/ca.pem");
  client.cert_file = "/certs/pipe.crt";
  client.key_file = "/certs/pipe.key";
  auto mutual = WithTls("host=h dbname=d", client);
  REQUIRE(mutual.ok());
  CHECK(Keywords(*mutual)["sslcert"] == "/certs/pipe.crt");
  CHECK(Keywords(*mutual)["sslkey"] == "/certs/pipe.key");

  CHECK(*WithTls(dsn, TlsSettings{}) == dsn);  // no tls option: the DSN as written, libpq's defaults
}

TEST_CASE("postgres dsn with tls: verify without ca_file trusts the system's CA bundle") {
  auto system = WithTls("host=h", Tls(true));
  if (system.ok()) {
    CHECK(Keywords(*system)["sslrootcert"].rfind("/etc/", 0) == 0);
  } else {
    CHECK(system.error().message().find("give ca_file") != std::string::npos);
  }
}

TEST_CASE("postgres dsn with tls: TLS keywords in the dsn as well, or server_name, are refused") {
  for (const char* dsn : {"postgres://alice:s3cr3t@h/d?sslmode=disable", "host=h password=s3cr3t sslrootcert=/x",
                          "host=h password=s3cr3t sslcert=/c sslkey=/k"}) {
    auto both = WithTls(dsn, Tls(false));
    REQUIRE_FALSE(both.ok());
    CHECK(both.error().kind() == ErrorKind::kConfig);
    CHECK(both.error().message().find("say TLS in one place") != std::string::npos);
    CHECK(both.error().message().find("s3cr3t") == std::string::npos);
  }
  CHECK(WithTls("postgres://h/d?sslmode=verify-full", TlsSettings{}).ok());  // the dsn alone may carry TLS
  TlsSettings named = Tls(false);
  named.server_name = "db.internal";
  auto server_name = WithTls("host=10.0.0.1", named);
  REQUIRE_FALSE(server_name.ok());
  CHECK(server_name.error().message().find("server_name is not supported") != std::string::npos);
}

TEST_CASE("postgres dsn with tls: the options' errors are located at the option") {
  auto at_tls = FromYaml("dsn: postgres://alice:s3cr3t@h/d?sslmode=require\ntls: {verify: false}");
  REQUIRE_FALSE(at_tls.ok());
  CHECK(at_tls.error().message().find("p.yaml:2:") == 0);
  CHECK(at_tls.error().message().find("s3cr3t") == std::string::npos);
  auto combined = FromYaml("dsn: postgres://alice:s3cr3t@h/d\ntls: {verify: false}");
  REQUIRE(combined.ok());
  CHECK(Keywords(*combined)["sslmode"] == "require");
  auto plain = FromYaml("dsn: postgres://alice:s3cr3t@h/d");
  REQUIRE(plain.ok());
  CHECK(*plain == "postgres://alice:s3cr3t@h/d");
}

TEST_CASE("postgres dsn: failed connections that retrying cannot fix, TLS ones among them") {
  CHECK(IsRefusedConnection("SSL error: certificate verify failed"));
  CHECK(IsRefusedConnection("server does not support SSL, but SSL was required"));
  CHECK(IsRefusedConnection("password authentication failed for user \"pipe\""));
  CHECK(IsRefusedConnection("FATAL:  connection requires a valid client certificate"));
  CHECK(WithTlsHint("SSL error: certificate verify failed").find("(check tls: ca_file") != std::string::npos);
  CHECK(WithTlsHint("password authentication failed") == "password authentication failed");
  CHECK_FALSE(IsRefusedConnection("connection to server at \"127.0.0.1\", port 1 failed: Connection refused"));
}

}  // namespace
}  // namespace pipeline::postgres_client
