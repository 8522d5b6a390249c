// The postgres_cdc source's reading of its replication stream (connectors/postgres_cdc/postgres_cdc_source.cpp,
// Apply): pgoutput messages decoded (pgoutput_message.h), relations remembered, changes inside a transaction made
// records as the source makes them. The input is a sequence of messages, each preceded by its length (2 bytes,
// big-endian); its first byte chooses the envelope. Each message is also read as the CopyData around it would be
// (replication_protocol.h). Every record must come out as JSON that pipe reads back.
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "connectors/postgres_cdc/change_records.h"
#include "connectors/postgres_cdc/pgoutput_message.h"
#include "connectors/postgres_cdc/replication_protocol.h"
#include "decode_lines.h"

namespace {

using namespace pipeline::postgres_cdc;

void Apply(const PgOutputMessage& message, ChangeRecords& records, std::optional<TransactionInfo>& txn) {
  std::vector<pipeline::Record> out;
  if (auto* begin = std::get_if<BeginMessage>(&message)) {
    txn = TransactionInfo{begin->final_lsn, begin->commit_time, begin->xid};
  } else if (auto* relation = std::get_if<RelationMessage>(&message)) {
    records.AddRelation(*relation);
    (void)records.TakeUnmappedColumns();
  } else if (std::holds_alternative<CommitMessage>(message)) {
    txn.reset();
  } else if (!txn) {
    return;  // the source stops: a change outside a transaction
  } else if (auto* change = std::get_if<ChangeMessage>(&message)) {
    (void)records.Add(*change, *txn, out);
  } else if (auto* truncate = std::get_if<TruncateMessage>(&message)) {
    (void)records.Add(*truncate, *txn, out);
  }
  for (const auto& record : out) pipeline::fuzz::CheckWritesReadableJson(record);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  ChangeRecords records(data[0] & 1 ? pipeline::cdc::Envelope::kDebezium : pipeline::cdc::Envelope::kRow, "pg",
                        "shop");
  std::optional<TransactionInfo> txn;
  std::string_view rest(reinterpret_cast<const char*>(data) + 1, size - 1);
  while (rest.size() >= 2) {
    const size_t length = static_cast<uint8_t>(rest[0]) << 8 | static_cast<uint8_t>(rest[1]);
    rest.remove_prefix(2);
    const std::string_view bytes = rest.substr(0, length);
    rest.remove_prefix(bytes.size());
    (void)ParseServerMessage(bytes);
    auto message = ParsePgOutput(bytes);
    if (!message.ok()) continue;  // the source stops at it; the next message may still find something
    Apply(*message, records, txn);
  }
  return 0;
}
