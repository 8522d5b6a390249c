// The publication a postgres_cdc source reads through: created FOR TABLE the configured tables when missing, on
// an ordinary (not replication) connection, because CREATE PUBLICATION is SQL.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "connectors/postgres_client/postgres_dsn.h"
#include "core/result.h"

namespace pipeline::postgres_cdc {

using postgres_client::PostgresDsn;

// The primary-key columns of each table of a publication, in key order, by the table's OID.
using PrimaryKeys = std::map<uint32_t, std::vector<std::string>>;

// `tables` are "schema.table" or "table" (schema public). An existing publication is used as it is. Retryable
// when the server cannot be reached; Config when the tables do not exist or the user may not create it. Returns
// the primary keys of the publication's tables: a change's key is its primary key, as in Debezium, whatever the
// replica identity sends (with REPLICA IDENTITY FULL, pgoutput flags every column as part of the identity).
Result<PrimaryKeys> EnsurePublication(const PostgresDsn& dsn, const std::string& publication,
                                      const std::vector<std::string>& tables);

// The slot a checkpoint names: still usable, gone (dropped), or invalidated (wal_status 'lost': the server removed
// WAL it needed, max_slot_wal_keep_size). In the last two cases the changes after the checkpoint are lost.
enum class SlotState { kUsable, kMissing, kLost };
Result<SlotState> SlotStateOf(const PostgresDsn& dsn, const std::string& slot);

}  // namespace pipeline::postgres_cdc
