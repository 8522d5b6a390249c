// The source's pieces that need no server: DSN parsing, the server checks, the default replica id, the position
// packing and the registration (tests/e2e/test_mysql_cdc.py runs it against a real MariaDB).
#include "connectors/mysql_cdc/mysql_cdc_source.h"

#include <doctest/doctest.h>

#include "connectors/mysql_client/mysql_tls.h"
#include "plugin/registry.h"

namespace pipeline::mysql_cdc {

using namespace mysql_client;  // the DSN and the tls option
namespace {

Result<TlsSettings> TlsFromYaml(const std::string& yaml) {
  const ComponentSpec* spec = BuiltinRegistry().FindSpec(ComponentKind::kSource, "mysql_cdc");
  REQUIRE(spec != nullptr);
  return MysqlTlsOption(Options(spec, YAML::Load(yaml), "p.yaml"));
}

TEST_CASE("mysql_cdc dsn with tls: the option is read; server_name and TLS parameters in the dsn are refused") {
  auto tls = TlsFromYaml("dsn: mysql://app:s3cr3t@h/shop\ntls: {verify: false}");
  REQUIRE(tls.ok());
  CHECK(tls->configured);
  CHECK_FALSE(tls->verify);
  CHECK_FALSE(TlsFromYaml("dsn: mysql://app:s3cr3t@h/shop")->configured);
  auto named = TlsFromYaml("dsn: mysql://app:s3cr3t@h/shop\ntls: {server_name: db.internal}");
  REQUIRE_FALSE(named.ok());
  CHECK(named.error().message().find("p.yaml:2:") == 0);
  CHECK(named.error().message().find("server_name is not supported") != std::string::npos);
  auto in_dsn = TlsFromYaml("dsn: mysql://app:s3cr3t@h/shop?ssl-mode=REQUIRED\ntls: {verify: false}");
  REQUIRE_FALSE(in_dsn.ok());
  CHECK(in_dsn.error().message().find("p.yaml:1:") == 0);
  CHECK(in_dsn.error().message().find("write them in the tls option") != std::string::npos);
  CHECK(in_dsn.error().message().find("s3cr3t") == std::string::npos);
}

TEST_CASE("mysql_cdc dsn: parts, escapes, and a label without the password") {
  auto dsn = MysqlDsn::Parse("mysql://app:s%40cret:x@db.example:3307/shop");
  REQUIRE(dsn.ok());
  CHECK(dsn->user == "app");
  CHECK(dsn->password == "s@cret:x");
  CHECK(dsn->host == "db.example");
  CHECK(dsn->port == 3307);
  CHECK(dsn->database == "shop");
  CHECK(dsn->label() == "app@db.example:3307/shop");
  CHECK(dsn->Redact("Access denied for s@cret:x") == "Access denied for <redacted>");
  auto bad_port = MysqlDsn::Parse("mysql://app:pw@host:99999/shop");
  REQUIRE_FALSE(bad_port.ok());
  CHECK(bad_port.error().message().find("pw") == std::string::npos);
  CHECK_FALSE(MysqlDsn::Parse("postgres://app@host/shop").ok());
  auto defaults = MysqlDsn::Parse("mysql://root@/");
  REQUIRE(defaults.ok());
  CHECK(defaults->port == 3306);
  CHECK(defaults->host == "127.0.0.1");
}

TEST_CASE("mysql_cdc server checks: each missing setting named with the value to set, on one line") {
  CHECK(
      CheckServerSettings(
          {{"log_bin", "ON"}, {"binlog_format", "ROW"}, {"binlog_row_image", "FULL"}, {"binlog_row_metadata", "FULL"}})
          .ok());
  Status s = CheckServerSettings({{"log_bin", "ON"},
                                  {"binlog_format", "MIXED"},
                                  {"binlog_row_image", "FULL"},
                                  {"binlog_row_metadata", "MINIMAL"}});
  REQUIRE_FALSE(s.ok());
  const std::string m = s.error().message();
  CHECK(m.find("binlog_format is 'MIXED', set binlog_format=ROW") != std::string::npos);
  CHECK(m.find("binlog_row_metadata is 'MINIMAL', set binlog_row_metadata=FULL") != std::string::npos);
  CHECK(m.find("binlog_row_image") == std::string::npos);
  CHECK(m.find('\n') == std::string::npos);
  CHECK(s.error().kind() == ErrorKind::kConfig);
  Status old = CheckServerSettings({{"log_bin", "OFF"}, {"binlog_format", "ROW"}, {"binlog_row_image", "FULL"}});
  CHECK(old.error().message().find("binlog_row_metadata is not a variable of this server") != std::string::npos);
  CHECK(old.error().message().find("set log_bin=ON") != std::string::npos);
}

TEST_CASE("mysql_cdc: the default replica id differs per stream and per state dir and stays clear of small ids") {
  const uint32_t id = DefaultServerId("orders", "/var/lib/pipe/a");
  CHECK(id >= 0x40000000u);
  CHECK(id == DefaultServerId("orders", "/var/lib/pipe/a"));
  CHECK(id != DefaultServerId("orders", "/var/lib/pipe/b"));
  CHECK(id != DefaultServerId("customers", "/var/lib/pipe/a"));
}

TEST_CASE("mysql_cdc: positions order by file, then offset") {
  CHECK(PackPosition(3, 4) > PackPosition(2, 0xffffffffu));
  CHECK(PackPosition(3, 1000) > PackPosition(3, 999));
  CHECK((PackPosition(7, 1234) >> 32) == 7);
  CHECK((PackPosition(7, 1234) & 0xffffffff) == 1234);
}

TEST_CASE("mysql_cdc: registered as a source whose dsn is secret") {
  const ComponentSpec* spec = BuiltinRegistry().FindSpec(ComponentKind::kSource, "mysql_cdc");
  REQUIRE(spec != nullptr);
  bool dsn_secret = false;
  for (const auto& option : spec->options) dsn_secret |= option.name == "dsn" && option.secret && option.required;
  CHECK(dsn_secret);
}

}  // namespace
}  // namespace pipeline::mysql_cdc
