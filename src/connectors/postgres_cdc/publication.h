// The publication a postgres_cdc source reads through: the `tables` patterns matched against the catalog, the
// publication created FOR TABLE them when missing (or told what to run, with create_publication: false), on an
// ordinary (not replication) connection, because CREATE PUBLICATION is SQL.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "connectors/cdc_event/table_patterns.h"
#include "connectors/postgres_client/postgres_dsn.h"
#include "core/result.h"

namespace pipeline::postgres_cdc {

using postgres_client::PostgresDsn;

// The primary-key columns of each table of a publication, in key order, by the table's OID.
using PrimaryKeys = std::map<uint32_t, std::vector<std::string>>;

// What the source asks of its publication.
struct PublicationSetup {
  std::string name;
  // `tables`: names or patterns (cdc_event/table_patterns.h), matched against the catalog here. Empty: the
  // publication's tables, as they are (it must exist).
  std::vector<std::string> table_patterns;
  // create_publication: create the publication when missing and add matched tables it lacks. false: never
  // create or alter it; a missing publication or table is a Config error with the statement to run.
  bool create = true;
};

struct CapturedTables {
  // The primary keys of the publication's tables: a change's key is its primary key, as in Debezium, whatever the
  // replica identity sends (with REPLICA IDENTITY FULL, pgoutput flags every column as part of the identity).
  PrimaryKeys primary_keys;
  std::vector<std::string> tables;  // "schema.table" the patterns matched, in catalog order; empty without patterns
};

// Retryable when the server cannot be reached; Config when a pattern matches no table, or the publication is
// missing (or lacks a table) and may not or cannot be created (or altered).
Result<CapturedTables> EnsurePublication(const PostgresDsn& dsn, const PublicationSetup& setup);

// The tables `patterns` match in the catalog, as "schema.table" (snapshot: initial_only, which needs no
// publication).
Result<std::vector<std::string>> MatchTables(const PostgresDsn& dsn, const std::vector<std::string>& patterns);

// The slot a checkpoint names: still usable, gone (dropped), or invalidated (wal_status 'lost': the server removed
// WAL it needed, max_slot_wal_keep_size). In the last two cases the changes after the checkpoint are lost.
enum class SlotState { kUsable, kMissing, kLost };
Result<SlotState> SlotStateOf(const PostgresDsn& dsn, const std::string& slot);

// Who holds a slot now, for a message: "process 1234 (application 'pipe', from 10.0.0.5)", or empty while no
// walsender streams from it.
Result<std::string> SlotHolder(const PostgresDsn& dsn, const std::string& slot);

}  // namespace pipeline::postgres_cdc
