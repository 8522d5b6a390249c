// Scale-out's repartition records (Engine::SetRepartition / PushRepartitioned): as ksqlDB repartitions a GROUP BY
// or a join through an internal topic, each change a GROUP BY or a join side gets leaves the engine as a record
// keyed by its group or join key, and the engine owning the key's partition feeds it to the same operator of its
// own copy of the statements. The record's value names the query and the operator, and holds the change.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/record.h"
#include "core/result.h"
#include "sql/engine_options.h"
#include "sql/exec/operator.h"

namespace pipeline::sql {

struct PlannedQuery;
class AggregateOperator;
class JoinOperator;

// A change read back from a repartition record, and where in its query it goes.
struct RepartitionedChange {
  std::string query;
  int64_t target = -1;  // the GROUP BY (-1), or a side of the query's n-th join (2n + side)
  Change change;
};

Result<RepartitionedChange> ChangeFromRepartition(const Record& record);

// The operators of a query that repartitioned changes go to.
struct RepartitionTargets {
  AggregateOperator* aggregate = nullptr;
  std::vector<JoinOperator*> joins;

  static RepartitionTargets Of(const PlannedQuery& query);
  // Feeds a repartitioned change to the operator it names; false when the query has no such operator.
  bool Feed(RepartitionedChange& c) const;
};

// Makes the query's GROUP BY and join sides write the changes they get to `topic` (Engine::kRepartitionTopic)
// instead of aggregating or joining them.
void RepartitionQuery(PlannedQuery& query, std::string_view topic);

// Why the query cannot be scaled out, if it cannot.
std::optional<std::string> ScaleOutProblemOf(const PlannedQuery& query);

}  // namespace pipeline::sql
