// The publication a postgres_cdc source reads through: created FOR TABLE the configured tables when missing, on
// an ordinary (not replication) connection, because CREATE PUBLICATION is SQL.
#pragma once

#include <string>
#include <vector>

#include "connectors/postgres_client/postgres_dsn.h"
#include "core/result.h"

namespace pipeline::postgres_cdc {

using postgres_client::PostgresDsn;

// `tables` are "schema.table" or "table" (schema public). An existing publication is used as it is. Retryable
// when the server cannot be reached; Config when the tables do not exist or the user may not create it.
Status EnsurePublication(const PostgresDsn& dsn, const std::string& publication,
                         const std::vector<std::string>& tables);

}  // namespace pipeline::postgres_cdc
