// ReplicationStream against a real PostgreSQL 15: run by tests/e2e/test_databases.py, which starts the server and
// sets PIPE_TEST_POSTGRES_URL (with wal_sender_timeout=2s in its options); skipped when that variable is unset.
#include "connectors/postgres_cdc/replication_stream.h"

#include <doctest/doctest.h>
#include <libpq-fe.h>
#include <unistd.h>

#include <cstdlib>
#include <string>
#include <thread>

namespace pipeline::postgres_cdc {
namespace {

using namespace std::chrono_literals;
using std::chrono::steady_clock;

const char* ServerUrl() { return std::getenv("PIPE_TEST_POSTGRES_URL"); }
const bool kNoServer = ServerUrl() == nullptr;

// Runs SQL on an ordinary connection; returns the first value of the last result ("" if none).
std::string Sql(const std::string& sql) {
  PGconn* conn = PQconnectdb(ServerUrl());
  REQUIRE_MESSAGE(PQstatus(conn) == CONNECTION_OK, PQerrorMessage(conn));
  PGresult* r = PQexec(conn, sql.c_str());
  auto status = PQresultStatus(r);
  INFO(sql << ": " << PQresultErrorMessage(r));
  REQUIRE((status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK));
  std::string first = status == PGRES_TUPLES_OK && PQntuples(r) > 0 ? PQgetvalue(r, 0, 0) : "";
  PQclear(r);
  PQfinish(conn);
  return first;
}

// A table in a publication, named for this process and case; dropped at the end.
struct CapturedTable {
  std::string table, publication, slot;
  explicit CapturedTable(const std::string& tag) {
    std::string suffix = tag + "_" + std::to_string(::getpid());
    table = "rs_table_" + suffix;
    publication = "rs_pub_" + suffix;
    slot = "rs_slot_" + suffix;
    Sql("CREATE TABLE " + table + " (id int PRIMARY KEY, note text)");
    Sql("CREATE PUBLICATION " + publication + " FOR TABLE " + table);
  }
  ~CapturedTable() {
    Sql("DROP PUBLICATION IF EXISTS " + publication);
    Sql("DROP TABLE IF EXISTS " + table);
  }
  ReplicationOptions Options() const { return {ServerUrl(), slot, {publication}, true}; }
};

std::unique_ptr<ReplicationStream> OpenStream(const ReplicationOptions& options) {
  auto stream = ReplicationStream::Open(options);
  REQUIRE_MESSAGE(stream.ok(), stream.error().message());
  // The e2e test sets 2 s; a much longer timeout would make the survival checks below slow and meaningless.
  REQUIRE((*stream)->wal_sender_timeout() > 0ms);
  REQUIRE((*stream)->wal_sender_timeout() <= 5s);
  return std::move(stream).value();
}

// Reads changes until a Commit arrives; returns the pgoutput message types seen ('B', 'R', 'I', 'C', ...).
std::string ReadTransaction(ReplicationStream& stream, Lsn* commit_end = nullptr) {
  std::string types;
  const auto deadline = steady_clock::now() + 20s;
  while (steady_clock::now() < deadline) {
    auto next = stream.Next(200ms);
    REQUIRE_MESSAGE(next.ok(), next.error().message());
    if (!next->has_value()) continue;
    const XLogData& data = **next;
    REQUIRE(!data.payload.empty());
    // Relation ('R') and type ('Y') messages describe what follows and carry no WAL location.
    if (data.payload[0] != 'R' && data.payload[0] != 'Y') CHECK_MESSAGE(data.wal_start > 0, data.payload[0]);
    types += data.payload[0];
    if (data.payload[0] == 'C') {
      // Commit: flags (1 byte), commit LSN, end LSN of the transaction, commit time.
      if (commit_end) {
        Lsn end = 0;
        for (size_t i = 10; i < 18; ++i) end = (end << 8) | static_cast<unsigned char>(data.payload[i]);
        *commit_end = end;
      }
      return types;
    }
  }
  FAIL("no Commit within 20 s; saw " << types);
  return types;
}

TEST_CASE("replication_stream server: changes arrive as XLogData and feedback moves the slot" *
          doctest::skip(kNoServer)) {
  CapturedTable captured("changes");
  auto stream = OpenStream(captured.Options());
  CHECK(stream->slot_created());
  Sql("INSERT INTO " + captured.table + " VALUES (1, 'a'), (2, 'b'), (3, 'c')");
  Lsn commit_end = 0;
  CHECK(ReadTransaction(*stream, &commit_end) == "BRIIIC");
  REQUIRE(commit_end > 0);

  REQUIRE(stream->SendFeedback(commit_end).ok());
  std::string query = "SELECT confirmed_flush_lsn >= '" + FormatLsn(commit_end) +
                      "'::pg_lsn FROM pg_replication_slots WHERE slot_name = '" + captured.slot + "'";
  const auto deadline = steady_clock::now() + 10s;
  while (Sql(query) != "t" && steady_clock::now() < deadline) REQUIRE(stream->Service(100ms).ok());
  CHECK(Sql(query) == "t");
}

TEST_CASE("replication_stream server: keepalives are answered, the connection outlives 3x wal_sender_timeout" *
          doctest::skip(kNoServer)) {
  CapturedTable captured("keepalive");
  ReplicationOptions options = captured.Options();
  options.status_interval = 1h;  // no unasked status updates: only answers to keepalives keep the connection
  auto stream = OpenStream(options);
  const auto until = steady_clock::now() + 3 * stream->wal_sender_timeout();
  while (steady_clock::now() < until) {
    Status serviced = stream->Service(100ms);
    REQUIRE_MESSAGE(serviced.ok(), serviced.message());
  }
  CHECK(stream->keepalives_answered() >= 2);
  Sql("INSERT INTO " + captured.table + " VALUES (1, 'after the wait')");
  CHECK(ReadTransaction(*stream) == "BRIC");
}

TEST_CASE("replication_stream server: a caller that takes nothing keeps the connection while changes wait" *
          doctest::skip(kNoServer)) {
  CapturedTable captured("backpressure");
  ReplicationOptions options = captured.Options();
  options.max_pending_bytes = 1;  // full after the first message: the socket is then left unread
  auto stream = OpenStream(options);
  Sql("INSERT INTO " + captured.table + " SELECT i, repeat('x', 100) FROM generate_series(1, 20000) i");
  const auto until = steady_clock::now() + 3 * stream->wal_sender_timeout();
  while (steady_clock::now() < until) {
    Status serviced = stream->Service(100ms);
    REQUIRE_MESSAGE(serviced.ok(), serviced.message());
  }
  CHECK(stream->pending_bytes() > 0);
  CHECK(stream->status_updates_sent() >= 6);
  std::string types = ReadTransaction(*stream);
  CHECK(types.size() == 20003);
  CHECK(types.substr(0, 3) == "BRI");
}

TEST_CASE("replication_stream server: a silent client is dropped after wal_sender_timeout (the control case)" *
          doctest::skip(kNoServer)) {
  CapturedTable captured("silent");
  auto stream = OpenStream(captured.Options());
  std::this_thread::sleep_for(3 * stream->wal_sender_timeout());
  Status serviced = Status::Ok();
  const auto deadline = steady_clock::now() + 10s;
  while (serviced.ok() && steady_clock::now() < deadline) serviced = stream->Service(100ms);
  REQUIRE_FALSE(serviced.ok());
  CHECK(serviced.error().kind() == ErrorKind::kRetryable);
  CHECK(serviced.message().find(stream->label()) != std::string::npos);
  CHECK(serviced.message().find("pipe-test-pw") == std::string::npos);
}

TEST_CASE("replication_stream server: a wrong password is a config error that does not show the password" *
          doctest::skip(kNoServer)) {
  std::string url = ServerUrl();
  size_t at = url.find('@');
  size_t colon = url.rfind(':', at);
  REQUIRE(at != std::string::npos);
  url = url.substr(0, colon + 1) + "wrong-pw-1234" + url.substr(at);
  auto stream = ReplicationStream::Open({url, "rs_never_created", {"p"}, true});
  REQUIRE_FALSE(stream.ok());
  CHECK(stream.error().kind() == ErrorKind::kConfig);
  CHECK(stream.error().message().find("password authentication failed") != std::string::npos);
  CHECK(stream.error().message().find("wrong-pw-1234") == std::string::npos);
}

}  // namespace
}  // namespace pipeline::postgres_cdc
