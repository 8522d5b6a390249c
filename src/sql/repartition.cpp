#include "sql/repartition.h"

#include <exception>

#include "core/value_codec.h"
#include "sql/exec/aggregate.h"
#include "sql/exec/join.h"
#include "sql/exec/row_state.h"
#include "sql/planner/query_planner.h"

namespace pipeline::sql {

namespace {

constexpr int64_t kToAggregate = -1;
int64_t ToJoinSide(size_t join, int side) { return static_cast<int64_t>(join) * 2 + side; }

AggregateOperator* AggregateOf(const PlannedQuery& q) {
  for (const auto& op : q.operators)
    if (auto* aggregate = dynamic_cast<AggregateOperator*>(op.get())) return aggregate;
  return nullptr;
}

std::vector<JoinOperator*> JoinsOf(const PlannedQuery& q) {
  std::vector<JoinOperator*> joins;
  for (const auto& op : q.operators)
    if (auto* join = dynamic_cast<JoinOperator*>(op.get())) joins.push_back(join);
  return joins;
}

// A change on its way to the partition of its key (group key or join key): [query, row, tombstone, old row or
// null, target].
Emitted RepartitionRecord(std::string_view topic, const std::string& query, int64_t target, const std::string& key,
                          const Change& change) {
  Emitted e;
  e.topic = topic;
  e.record.key = Value(Bytes{key});
  std::string value;
  EncodeValue(Value(Array{Value(query), RowState(change.row), Value(change.tombstone),
                          change.old ? RowState(*change.old) : Value(), Value(target)}),
              value);
  e.record.value = Value(Bytes{std::move(value)});
  e.record.timestamp = change.row.rowtime;
  return e;
}

}  // namespace

Result<RepartitionedChange> ChangeFromRepartition(const Record& record) {
  auto bad = [] { return DataError("a repartition record is damaged"); };
  if (!record.value.is_bytes()) return bad();
  std::string_view bytes = record.value.as_bytes().data;
  auto decoded = DecodeValue(bytes);
  if (!decoded.ok() || !decoded->is_array() || decoded->as_array().size() != 5) return bad();
  try {
    const Array& a = decoded->as_array();
    RepartitionedChange c;
    c.query = a[0].as_string();
    c.change.row = RowFromState(a[1]);
    c.change.tombstone = a[2].as_bool();
    if (!a[3].is_null()) c.change.old = RowFromState(a[3]);
    c.target = a[4].as_int();
    return c;
  } catch (const std::exception&) {
    return bad();
  }
}

RepartitionTargets RepartitionTargets::Of(const PlannedQuery& query) { return {AggregateOf(query), JoinsOf(query)}; }

bool RepartitionTargets::Feed(RepartitionedChange& c) const {
  if (c.target == kToAggregate) {
    if (aggregate) aggregate->Aggregate(std::move(c.change));
    return aggregate != nullptr;
  }
  size_t join = static_cast<size_t>(c.target / 2);
  if (c.target < 0 || join >= joins.size()) return false;
  joins[join]->Join(static_cast<int>(c.target % 2), std::move(c.change));
  return true;
}

void RepartitionQuery(PlannedQuery& query, std::string_view topic) {
  auto emit = [ctx = query.ctx.get(), name = query.name, topic](int64_t target, const std::string& key,
                                                                 const Change& change) {
    ctx->out->push_back(RepartitionRecord(topic, name, target, key, change));
  };
  if (AggregateOperator* aggregate = AggregateOf(query))
    aggregate->RepartitionTo([emit](const std::string& key, const Change& change) { emit(kToAggregate, key, change); });
  std::vector<JoinOperator*> joins = JoinsOf(query);
  for (size_t n = 0; n < joins.size(); ++n)
    joins[n]->RepartitionTo([emit, n](int side, const std::string& key, const Change& change) {
      emit(ToJoinSide(n, side), key, change);
    });
}

std::optional<std::string> ScaleOutProblemOf(const PlannedQuery& query) {
  for (JoinOperator* join : JoinsOf(query))
    if (join->foreign_key())
      return "query " + query.name + " joins two tables on a foreign key, which scale_out cannot split by key yet "
             "(the old and new results of a left row may live in different processes): remove scale_out";
  return std::nullopt;
}

}  // namespace pipeline::sql
