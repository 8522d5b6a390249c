// Engine: executes statements (catalog changes, persistent queries) and routes records between topics. Records
// a query writes are delivered to every query that reads that topic, as ksqlDB chains queries through Kafka.
#include "sql/engine.h"
#include "sql/identifier.h"

#include <algorithm>
#include <utility>

#include "sql/binder/catalog.h"
#include "sql/exec/sink_writer.h"
#include "sql/parser/parser.h"
#include "sql/planner/query_planner.h"
#include "sql/repartition.h"

namespace pipeline::sql {

namespace {

bool SameTopic(const std::string& a, const std::string& b) { return AsciiUpper(a) == AsciiUpper(b); }

void CollectColumns(const ExprPtr& e, PlannedQuery& q) {
  if (!e) return;
  if (e->kind == ExprKind::kColumn) q.columns_used.insert(AsciiUpper(e->name));
  if (e->kind == ExprKind::kStar) q.uses_all_columns = true;
  for (const auto& child : e->children) CollectColumns(child, q);
}

// Records which columns a query mentions anywhere, so its sources need decode no others.
void CollectColumns(const Select& select, PlannedQuery& q) {
  for (const auto& item : select.items) CollectColumns(item.expr, q);
  for (const auto& join : select.joins) CollectColumns(join.on, q);
  CollectColumns(select.where, q);
  CollectColumns(select.having, q);
  for (const auto& e : select.group_by) CollectColumns(e, q);
  for (const auto& e : select.partition_by) CollectColumns(e, q);
}

SinkWriter* WriterOf(const PlannedQuery& q) {
  return q.operators.empty() ? nullptr : dynamic_cast<SinkWriter*>(q.operators.back().get());
}

}  // namespace

struct Engine::Impl {
  EngineOptions options;
  Catalog catalog;
  TypeAliases types;  // CREATE TYPE
  std::vector<std::unique_ptr<PlannedQuery>> queries;
  std::map<std::string, std::vector<SourceReader*>> subscribers;  // topic -> readers
  std::vector<std::string> errors;
  InputDrops drops;  // of the last call that pushed records
  std::vector<WrittenRow> written;  // rows of the records being pushed out, until they are encoded
  std::vector<std::string> unread_topics;  // see Engine::SetUnreadTopics
  std::vector<char> drop;                  // scratch: which records of `out` leave before returning
  std::map<std::string, RepartitionTargets> repartition_targets;  // query name -> its GROUP BY and joins

  void Resubscribe() {
    subscribers.clear();
    repartition_targets.clear();
    for (auto& q : queries) repartition_targets[q->name] = RepartitionTargets::Of(*q);
    last_found = {};
    for (auto& q : queries) {
      for (auto& [topic, reader] : q->readers) subscribers[topic].push_back(reader.get());
      if (SinkWriter* writer = WriterOf(*q)) {
        writer->ForgetMappings();
        writer->unread = std::any_of(unread_topics.begin(), unread_topics.end(),
                                     [&](const std::string& t) { return SameTopic(t, q->output.topic); });
      }
    }
  }

  // The readers of a topic. Asked once per record a query writes (FeedChained), mostly for the same topic, which
  // nobody reads: the last answer is kept.
  const std::vector<SourceReader*>* Find(const std::string& topic) const {
    if (last_found.valid && topic == last_found.topic) return last_found.readers;
    last_found = {true, topic, Lookup(topic)};
    return last_found.readers;
  }

  const std::vector<SourceReader*>* Lookup(const std::string& topic) const {
    auto it = subscribers.find(topic);
    if (it != subscribers.end()) return &it->second;
    for (const auto& [t, readers] : subscribers)  // topic names are case-insensitive in the test suites
      if (t.size() == topic.size() && std::equal(t.begin(), t.end(), topic.begin(), [](char a, char b) {
            return std::toupper(static_cast<unsigned char>(a)) == std::toupper(static_cast<unsigned char>(b));
          }))
        return &readers;
    return nullptr;
  }
  mutable struct {
    bool valid = false;
    std::string topic;
    const std::vector<SourceReader*>* readers = nullptr;
  } last_found;  // see Find; cleared by Resubscribe

  void Bind(std::vector<Emitted>& out) {
    drops.current = -1;
    drops.dropped.clear();
    for (auto& q : queries) {
      q->ctx->out = &out;
      q->ctx->written = &written;
      q->ctx->processing_errors = &errors;
      q->ctx->drops = &drops;
    }
  }

  Status ExecuteStatement(const Statement& st);
  void FeedChained(size_t first, std::vector<Emitted>& out);
  void Feed(SourceReader& reader, size_t index, std::vector<Emitted>& out, bool last_reader);
  WrittenRow* WrittenAt(size_t index);
  void EncodeWritten(std::vector<Emitted>& out, size_t first);
};

Status Engine::Impl::ExecuteStatement(const Statement& st) {
  switch (st.kind) {
    case StatementKind::kOther: return {};
    case StatementKind::kCreateSource: {
      if (const SourceDef* existing = catalog.Find(st.name)) {
        if (st.if_not_exists) return {};
        if (st.or_replace && (st.is_source != existing->read_only))
          return ConfigError("Cannot add " + std::string(st.is_table ? "table" : "stream") + " '" + st.name +
                             "': CREATE OR REPLACE is not supported on source " + (existing->is_table ? "tables" : "streams") + ".");
        if (!st.or_replace)
          return ConfigError("Cannot add " + std::string(st.is_table ? "table" : "stream") + " '" + st.name + "': A " +
                             (existing->is_table ? "table" : "stream") + " with the same name already exists");
      }
      auto def = PlanSourceDefinition(st, options);
      if (!def) return def.error();
      catalog.Put(std::move(*def));
      return {};
    }
    case StatementKind::kCreateAsSelect:
    case StatementKind::kInsertInto: {
      const SourceDef* target = nullptr;
      if (st.kind == StatementKind::kInsertInto) {
        target = catalog.Find(st.name);
        if (!target) return ConfigError("Sink does not exist: " + st.name);
        if (target->read_only) return ConfigError("Cannot insert into read-only " + std::string(target->is_table ? "table" : "stream") + ": " + st.name);
      } else if (const SourceDef* existing = catalog.Find(st.name)) {
        if (st.if_not_exists) return {};
        if (!st.or_replace)
          return ConfigError("Cannot add " + std::string(st.is_table ? "table" : "stream") + " '" + st.name + "': A " +
                             (existing->is_table ? "table" : "stream") + " with the same name already exists");
      }
      auto plan = PlanQuery(st, catalog, options, target);
      if (!plan) return plan.error();
      CollectColumns(*st.select, *plan);
      if (!plan->uses_all_columns)
        for (auto& [topic, reader] : plan->readers) reader->DecodeOnly(plan->columns_used);
      plan->ctx->coalesce_table_changes = options.coalesce_table_changes;
      if (st.kind == StatementKind::kCreateAsSelect) {
        if (st.or_replace) {
          queries.erase(std::remove_if(queries.begin(), queries.end(),
                                       [&](const auto& q) { return q->name == st.name; }),
                        queries.end());
        }
        catalog.Put(plan->output);
      }
      queries.push_back(std::make_unique<PlannedQuery>(std::move(*plan)));
      Resubscribe();
      return {};
    }
    case StatementKind::kDrop: {
      const SourceDef* def = catalog.Find(st.name);
      if (!def) {
        if (st.if_exists) return {};
        return ConfigError("Source " + st.name + " does not exist.");
      }
      if (st.delete_topic && !def->from_query) return ConfigError("Cannot delete topic for read-only source: " + st.name);
      for (const auto& q : queries)
        for (const auto& [topic, reader] : q->readers)
          if (topic == def->topic && q->name != st.name)
            return ConfigError("Cannot drop " + st.name + ".\nThe following streams and/or tables read from this source: [" +
                               q->name + "].\nYou need to drop them before dropping " + st.name + ".");
      queries.erase(std::remove_if(queries.begin(), queries.end(), [&](const auto& q) { return q->name == st.name; }),
                    queries.end());
      catalog.Remove(st.name);
      Resubscribe();
      return {};
    }
    case StatementKind::kAlter: {
      const SourceDef* def = catalog.Find(st.name);
      if (!def) return ConfigError("Source " + st.name + " does not exist.");
      if (def->read_only) return ConfigError("Cannot alter " + std::string(def->is_table ? "table" : "stream") + " '" + st.name + "': ALTER operations are not supported on source " + (def->is_table ? "tables" : "streams") + ".");
      return ConfigError("ALTER is not supported by pipe");
    }
    case StatementKind::kCreateType: {
      auto existing = types.find(st.name);
      if (existing != types.end() && !st.if_not_exists)
        return ConfigError("Cannot register custom type '" + st.name + "' since it is already registered with type: " +
                           existing->second.ToString());
      if (existing == types.end()) types[st.name] = st.declared_type;
      return {};
    }
    case StatementKind::kDropType:
      if (!types.erase(st.name) && !st.if_exists) return ConfigError("Type " + st.name + " does not exist.");
      return {};
    case StatementKind::kInsertValues:
      return ConfigError("INSERT INTO ... VALUES is not supported by pipe; write records to the topic instead");
  }
  return {};
}

Engine::Engine(EngineOptions options) : impl_(std::make_unique<Impl>()) { impl_->options = std::move(options); }
Engine::~Engine() = default;

Status Engine::Execute(const std::string& sql_text) {
  auto statements = ParseStatements(sql_text, impl_->types);
  if (!statements) return statements.error();
  for (const auto& st : *statements) {
    Status s = impl_->ExecuteStatement(st);
    if (!s.ok()) return s;
  }
  return {};
}

std::vector<std::string> Engine::InputTopics() const {
  std::vector<std::string> out;
  for (const auto& [name, def] : impl_->catalog.all()) {
    if (def.from_query) continue;
    if (std::find(out.begin(), out.end(), def.topic) == out.end()) out.push_back(def.topic);
  }
  return out;
}

FieldDemand Engine::ValueDemand(const std::string& topic) const {
  FieldDemand demand = FieldDemand::OfIgnoringCase({});
  // A query's output topic counts too: records pushed to it from outside (another stage, a source) are read by
  // the queries over that stream like any input.
  for (const auto& [name, def] : impl_->catalog.all()) {
    if (!SameTopic(def.topic, topic)) continue;
    // Only JSON objects can be decoded in part; an unwrapped single value is the whole payload.
    if (def.formats.value != "JSON" || (def.formats.wrap_single_value && !*def.formats.wrap_single_value))
      return FieldDemand::All();
    if (!def.timestamp_column.empty()) demand.Add(def.timestamp_column);
    for (const auto& q : impl_->queries) {
      bool reads = std::any_of(q->readers.begin(), q->readers.end(), [&](const auto& r) { return SameTopic(r.first, topic); });
      if (!reads) continue;
      if (q->uses_all_columns) return FieldDemand::All();
      for (const auto& c : def.columns)
        if (!c.key && !c.headers && q->columns_used.count(AsciiUpper(c.name))) demand.Add(c.name);
    }
  }
  return demand;
}

std::vector<OutputTopic> Engine::OutputTopics() const {
  std::vector<OutputTopic> out;
  for (const auto& q : impl_->queries) {
    bool seen = false;
    for (const auto& o : out) seen |= o.topic == q->output.topic;
    if (seen) continue;
    out.push_back({q->output.topic, q->output.name, q->output.is_table, q->output.window_type != WindowType::kNone, {}});
    for (const auto& c : q->output.columns)
      if (c.key) out.back().key_columns.push_back(c.name);
  }
  return out;
}

Status Engine::Push(const std::string& topic, Record record, std::vector<Emitted>& out) {
  std::vector<Record> one;
  one.push_back(std::move(record));
  return PushAll(topic, one, out, true);
}

Status Engine::PushAll(const std::string& topic, std::span<Record> records, std::vector<Emitted>& out,
                       bool consume) {
  impl_->Bind(out);
  const size_t start = out.size();
  const auto* readers = impl_->Find(topic);
  if (!readers) return {};
  for (size_t i = 0; i < records.size(); ++i) {
    Record& record = records[i];
    const size_t first = out.size();
    const pipeline::Position position = record.position;  // the record may be taken apart below
    impl_->drops.current = static_cast<int64_t>(i);
    // The last reader may take the record apart when the caller gave it up.
    for (size_t r = 0; r < readers->size(); ++r) {
      if (consume && r + 1 == readers->size()) (*readers)[r]->Ingest(std::move(record));
      else (*readers)[r]->Ingest(record);
    }
    impl_->FeedChained(first, out);
    // Everything the record caused carries its position, whatever the operators did on the way (an aggregate's
    // update, a window its time closed, a join's result): a sink keyed by position then overwrites on a replay.
    for (size_t o = first; o < out.size(); ++o) out[o].record.position = position;
  }
  impl_->drops.current = -1;
  impl_->EncodeWritten(out, start);
  return {};
}

const std::vector<DroppedInput>& Engine::dropped_inputs() const { return impl_->drops.dropped; }

void Engine::SetUnreadTopics(const std::vector<std::string>& topics) {
  impl_->unread_topics = topics;
  impl_->Resubscribe();
}

// Chained queries: what a query wrote (out[first...]) is input for the queries reading that topic.
void Engine::Impl::FeedChained(size_t first, std::vector<Emitted>& out) {
  for (size_t i = first; i < out.size(); ++i) {
    const auto* readers = Find(out[i].topic);
    if (!readers) continue;
    for (size_t r = 0; r < readers->size(); ++r) Feed(*(*readers)[r], i, out, r + 1 == readers->size());
  }
}

// One reader gets out[index]: the written row itself when the layouts allow it, else the record. Feeding may
// append to `out` and `written`, so both are indexed anew each time. The last reader of a topic nobody else
// reads takes the row apart: it is dropped afterwards (EncodeWritten).
void Engine::Impl::Feed(SourceReader& reader, size_t index, std::vector<Emitted>& out, bool last_reader) {
  WrittenRow* w = WrittenAt(index);
  if (w && !w->encoded) {
    if (const RowMapping* mapping = w->writer->MappingTo(reader)) {
      Change c;
      c.tombstone = w->tombstone;
      const bool take = last_reader && w->writer->unread;
      const Record& record = out[index].record;
      if (take ? mapping->ApplyTaking(w->row, w->tombstone, record, c.row)
               : mapping->Apply(w->row, w->tombstone, record, c.row)) {
        reader.IngestDecoded(std::move(c));
        return;
      }
    }
    w->writer->Encode(*w, out[index].record, false);  // the row stays for the readers still to come
  }
  Record copy = out[index].record;
  reader.Ingest(copy);
}

WrittenRow* Engine::Impl::WrittenAt(size_t index) {
  auto it = std::lower_bound(written.begin(), written.end(), index,
                             [](const WrittenRow& w, size_t i) { return w.index < i; });
  return it != written.end() && it->index == index ? &*it : nullptr;
}

// The records of the rows written since out[first] go to the caller, their values moved into them; those of
// unread topics and table changes superseded in the same batch are left out.
void Engine::Impl::EncodeWritten(std::vector<Emitted>& out, size_t first) {
  drop.assign(out.size() - first, 0);
  bool any_dropped = false;
  for (WrittenRow& w : written) {
    if (w.writer->unread || w.superseded) {
      drop[w.index - first] = 1;
      any_dropped = true;
    } else if (!w.encoded) {
      w.writer->Encode(w, out[w.index].record, true);
    }
  }
  written.clear();
  // The batch ends here for the record cache: a table's next change supersedes none written so far.
  for (auto& q : queries)
    if (SinkWriter* writer = WriterOf(*q)) writer->EndBatch();
  if (!any_dropped) return;
  size_t kept = first;
  for (size_t i = first; i < out.size(); ++i)
    if (!drop[i - first]) {
      if (kept != i) out[kept] = std::move(out[i]);
      ++kept;
    }
  out.resize(kept);
}

Status Engine::Advance(int64_t now_ms, std::vector<Emitted>& out) {
  impl_->Bind(out);
  const size_t first = out.size();
  for (auto& q : impl_->queries)
    for (auto& [topic, reader] : q->readers)
      if (reader->next) reader->next->Advance(now_ms);
  impl_->FeedChained(first, out);
  impl_->EncodeWritten(out, first);
  return {};
}

Status Engine::EndOfInput(std::vector<Emitted>& out) {
  impl_->Bind(out);
  const size_t first = out.size();
  // Query by query in plan order, each one's results fed on at once: a query reading another's EMIT FINAL results
  // gets them before its own windows close.
  for (auto& q : impl_->queries) {
    const size_t from = out.size();
    for (auto& [topic, reader] : q->readers)
      if (reader->next) reader->next->EndOfInput();
    impl_->FeedChained(from, out);
  }
  impl_->EncodeWritten(out, first);
  return {};
}

bool Engine::HasState() const {
  for (const auto& q : impl_->queries) {
    for (const auto& [topic, reader] : q->readers)
      if (reader->HasState()) return true;
    for (const auto& op : q->operators)
      if (op->HasState()) return true;
  }
  return false;
}

// [[query name, [reader states], [operator states]], ...] in plan order; stateless operators give null.
Value Engine::SaveState() const {
  Array queries;
  for (const auto& q : impl_->queries) {
    Array readers, operators;
    for (const auto& [topic, reader] : q->readers) readers.push_back(reader->SaveState());
    for (const auto& op : q->operators) operators.push_back(op->HasState() ? op->SaveState() : Value());
    queries.push_back(Value(Array{Value(q->name), Value(std::move(readers)), Value(std::move(operators))}));
  }
  return Value(std::move(queries));
}

Status Engine::RestoreState(const Value& state) {
  auto mismatch = [] { return ConfigError("the saved SQL state belongs to other statements"); };
  if (!state.is_array() || state.as_array().size() != impl_->queries.size()) return mismatch();
  // The snapshot is pipe's own output, so its shape is checked by the accessors: a damaged one throws.
  try {
    for (size_t i = 0; i < impl_->queries.size(); ++i) {
      PlannedQuery& q = *impl_->queries[i];
      const Array& saved = state.as_array()[i].as_array();
      const Array& readers = saved.at(1).as_array();
      const Array& operators = saved.at(2).as_array();
      if (saved.at(0).as_string() != q.name || readers.size() != q.readers.size() || operators.size() != q.operators.size())
        return mismatch();
      for (size_t r = 0; r < readers.size(); ++r) q.readers[r].second->RestoreState(readers[r]);
      for (size_t o = 0; o < operators.size(); ++o)
        if (q.operators[o]->HasState()) q.operators[o]->RestoreState(operators[o]);
    }
  } catch (const std::exception& e) {
    return ConfigError(std::string("the saved SQL state is damaged (") + e.what() + ")");
  }
  return {};
}

void Engine::SetRepartition() {
  for (auto& q : impl_->queries) RepartitionQuery(*q, kRepartitionTopic);
}

std::optional<std::string> Engine::ScaleOutProblem() const {
  for (const auto& q : impl_->queries)
    if (auto problem = ScaleOutProblemOf(*q)) return problem;
  return std::nullopt;
}

bool Engine::KeepsStateBeforeRepartition(const std::string& topic) const {
  for (const auto& q : impl_->queries)
    for (const auto& [t, reader] : q->readers)
      if (SameTopic(t, topic) && reader->HasState()) return true;
  return false;
}

Status Engine::PushRepartitioned(std::vector<Record>& records, std::vector<Emitted>& out) {
  impl_->Bind(out);
  const size_t start = out.size();
  for (const Record& record : records) {
    auto change = ChangeFromRepartition(record);
    if (!change.ok()) {
      impl_->errors.push_back(change.error().message() + " (partition " + std::to_string(record.partition) +
                              ", offset " + std::to_string(record.offset) + "): dropped");
      continue;
    }
    auto targets = impl_->repartition_targets.find(change->query);
    size_t first = out.size();
    if (targets == impl_->repartition_targets.end() || !targets->second.Feed(*change)) {
      impl_->errors.push_back("a repartition record names no GROUP BY or join of these statements (" + change->query +
                              ", target " + std::to_string(change->target) + "): dropped");
      continue;
    }
    impl_->FeedChained(first, out);
  }
  impl_->EncodeWritten(out, start);
  return {};
}

int64_t Engine::LateRecords() const {
  int64_t late = 0;
  for (const auto& q : impl_->queries)
    for (const auto& op : q->operators) late += op->late_records();
  return late;
}

std::vector<std::string> Engine::TakeProcessingErrors() { return std::exchange(impl_->errors, {}); }

const std::vector<std::string>& Engine::processing_errors() const { return impl_->errors; }

}  // namespace pipeline::sql
