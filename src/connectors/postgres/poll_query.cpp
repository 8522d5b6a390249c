#include "connectors/postgres/poll_query.h"

#include "connectors/postgres/table_catalog.h"

namespace pipeline::postgres {

using postgres_client::QuotedIdentifier;

bool UsesTimestamp(PollMode mode) {
  return mode == PollMode::kTimestamp || mode == PollMode::kTimestampIncrementing;
}
bool UsesIncrementing(PollMode mode) {
  return mode == PollMode::kIncrementing || mode == PollMode::kTimestampIncrementing;
}

PollQuery BuildPollQuery(const PollQuerySettings& settings, const Position& last) {
  PollQuery out;
  auto param = [&out](int64_t v) {
    out.params.emplace_back(std::to_string(v));
    return "$" + std::to_string(out.params.size()) + "::int8";
  };
  const std::string base = settings.query.empty() ? "SELECT * FROM " + QuotedTableName(settings.table) : settings.query;
  const std::string inc = "pipe_q." + QuotedIdentifier(settings.incrementing_column);
  const std::string ts = "pipe_q." + QuotedIdentifier(settings.timestamp_column);
  std::string select = "SELECT pipe_q.*";
  std::vector<std::string> where;
  std::vector<std::string> order;
  if (UsesTimestamp(settings.mode)) {
    out.has_ts_column = true;
    select += ", (extract(epoch FROM " + ts + ") * 1000000)::int8 AS pipe_ts_us";
    where.push_back(ts + " < now() - " + param(settings.timestamp_delay_ms) + " * interval '1 millisecond'");
    order.push_back(ts);
  }
  if (UsesIncrementing(settings.mode)) order.push_back(inc);
  if (last.valid() && settings.mode != PollMode::kBulk) {
    // Timestamps compared as µs after the epoch: integer arithmetic on both sides, nothing rounded.
    auto after_epoch = [&](int64_t us) {
      return "(timestamptz 'epoch' + " + param(us) + " * interval '1 microsecond')";
    };
    switch (settings.mode) {
      case PollMode::kBulk: break;
      case PollMode::kIncrementing: where.push_back(inc + " > " + param(last.major)); break;
      case PollMode::kTimestamp: where.push_back(ts + " > " + after_epoch(last.major)); break;
      case PollMode::kTimestampIncrementing: {
        const std::string at = after_epoch(last.major);
        where.push_back("(" + ts + " > " + at + " OR (" + ts + " = " + at + " AND " + inc + " > " + param(last.minor) +
                        "))");
        break;
      }
    }
  }
  out.sql = select + " FROM (" + base + ") AS pipe_q";
  for (size_t i = 0; i < where.size(); ++i) out.sql += (i ? " AND " : " WHERE ") + where[i];
  for (size_t i = 0; i < order.size(); ++i) out.sql += (i ? ", " : " ORDER BY ") + order[i];
  return out;
}

}  // namespace pipeline::postgres
