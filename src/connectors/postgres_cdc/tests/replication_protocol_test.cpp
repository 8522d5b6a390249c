// The replication protocol's byte formats, the DSN's redaction and the errors of a stream that cannot open,
// without a server (replication_stream_test.cpp runs against a real one).
#include "connectors/postgres_cdc/replication_protocol.h"

#include <doctest/doctest.h>

#include "connectors/postgres_client/postgres_dsn.h"
#include "connectors/postgres_cdc/replication_stream.h"

namespace pipeline::postgres_cdc {
namespace {

std::string Uint64Bytes(uint64_t v) {
  std::string out;
  for (int shift = 56; shift >= 0; shift -= 8) out.push_back(static_cast<char>((v >> shift) & 0xff));
  return out;
}

TEST_CASE("replication_protocol: LSNs print and parse as PostgreSQL writes them") {
  CHECK(FormatLsn(0) == "0/0");
  CHECK(FormatLsn((uint64_t{0x16} << 32) | 0xB374D848) == "16/B374D848");
  CHECK(ParseLsn("16/B374D848") == ((uint64_t{0x16} << 32) | 0xB374D848));
  CHECK(ParseLsn("0/1a") == 0x1a);
  CHECK_FALSE(ParseLsn("16B374D848").has_value());
  CHECK_FALSE(ParseLsn("/1").has_value());
  CHECK_FALSE(ParseLsn("1/123456789").has_value());
  CHECK_FALSE(ParseLsn("1/xyz").has_value());
}

TEST_CASE("replication_protocol: XLogData and keepalive headers") {
  std::string w = "w" + Uint64Bytes(0x100) + Uint64Bytes(0x200) + Uint64Bytes(12345) + "Bpayload";
  auto data = ParseServerMessage(w);
  REQUIRE(data.ok());
  auto& x = std::get<XLogData>(*data);
  CHECK(x.wal_start == 0x100);
  CHECK(x.wal_end == 0x200);
  CHECK(x.send_time == 12345);
  CHECK(x.payload == "Bpayload");

  std::string k = "k" + Uint64Bytes(0x300) + Uint64Bytes(99) + std::string(1, '\1');
  auto keepalive = ParseServerMessage(k);
  REQUIRE(keepalive.ok());
  CHECK(std::get<PrimaryKeepalive>(*keepalive).wal_end == 0x300);
  CHECK(std::get<PrimaryKeepalive>(*keepalive).reply_requested);

  CHECK_FALSE(ParseServerMessage(k.substr(0, 17)).ok());
  CHECK_FALSE(ParseServerMessage(w.substr(0, 24)).ok());
  CHECK_FALSE(ParseServerMessage("").ok());
  CHECK(ParseServerMessage("x123").error().message().find("unknown message type 'x'") != std::string::npos);
}

TEST_CASE("replication_protocol: a standby status update is 34 bytes in network order") {
  std::string r = EncodeStandbyStatus({0x10, 0x20, 0x30, 0x40, true});
  REQUIRE(r.size() == 34);
  CHECK(r[0] == 'r');
  CHECK(r.substr(1, 8) == Uint64Bytes(0x10));
  CHECK(r.substr(9, 8) == Uint64Bytes(0x20));
  CHECK(r.substr(17, 8) == Uint64Bytes(0x30));
  CHECK(r.substr(25, 8) == Uint64Bytes(0x40));
  CHECK(r[33] == 1);
  auto epoch = std::chrono::system_clock::time_point(std::chrono::seconds(946'684'800));
  CHECK(ToPgTimestamp(epoch) == 0);
  CHECK(FromPgTimestamp(5'000'000) == epoch + std::chrono::seconds(5));
}

TEST_CASE("replication_protocol: wal_sender_timeout as SHOW prints it") {
  using std::chrono::milliseconds;
  CHECK(ParsePgDuration("60s") == milliseconds(60'000));
  CHECK(ParsePgDuration("2min") == milliseconds(120'000));
  CHECK(ParsePgDuration("500ms") == milliseconds(500));
  CHECK(ParsePgDuration("0") == milliseconds(0));
  CHECK_FALSE(ParsePgDuration("soon").has_value());
  CHECK_FALSE(ParsePgDuration("5 weeks").has_value());
}

TEST_CASE("replication_protocol: a DSN's label leaves the password out, and Redact scrubs it") {
  auto dsn = PostgresDsn::Parse("postgres://alice:s3cr3t-pw@db.example:6543/shop?sslmode=disable");
  REQUIRE(dsn.ok());
  CHECK(dsn->label() == "alice@db.example:6543/shop");
  CHECK(dsn->Redact("auth for s3cr3t-pw failed; s3cr3t-pw") == "auth for <redacted> failed; <redacted>");
  auto keywords = PostgresDsn::Parse("host=h port=1 dbname=d user=u password=pw1");
  REQUIRE(keywords.ok());
  CHECK(keywords->label() == "u@h:1/d");
  auto bad = PostgresDsn::Parse("postgres://alice:s3cr3t%zz@h/d");
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().kind() == ErrorKind::kConfig);
  CHECK(bad.error().message().find("s3cr3t") == std::string::npos);
}

TEST_CASE("replication_stream: options are checked before connecting; an unreachable server is retryable") {
  ReplicationOptions options{"postgres://alice:s3cr3t-pw@127.0.0.1:1/shop", "Bad-Slot", {"p"}};
  auto bad_slot = ReplicationStream::Open(options);
  REQUIRE_FALSE(bad_slot.ok());
  CHECK(bad_slot.error().kind() == ErrorKind::kConfig);

  options.slot = "pipe_slot";
  auto unreachable = ReplicationStream::Open(options);
  REQUIRE_FALSE(unreachable.ok());
  CHECK(unreachable.error().kind() == ErrorKind::kRetryable);
  CHECK(unreachable.error().message().find("alice@127.0.0.1:1/shop") != std::string::npos);
  CHECK(unreachable.error().message().find("s3cr3t") == std::string::npos);
}

}  // namespace
}  // namespace pipeline::postgres_cdc
