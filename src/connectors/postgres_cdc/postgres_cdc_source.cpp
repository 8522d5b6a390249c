#include "connectors/postgres_cdc/postgres_cdc_source.h"

#include <cstdio>
#include <functional>

#include "connectors/postgres_cdc/publication.h"
#include "observability/log.h"

namespace pipeline::postgres_cdc {
namespace {

using std::chrono::milliseconds;
using std::chrono::steady_clock;

// Read() returns within this when nothing arrives (plugin/source.h); Service() waits at most this for the server.
constexpr milliseconds kReadWait{100};
constexpr milliseconds kServiceWait{5};

void SetProgress(Batch& out, Position position) {
  for (Position& p : out.progress) {
    if (p.lane == position.lane) {
      p = position;
      return;
    }
  }
  out.progress.push_back(position);
}

std::string DatabaseOf(const std::string& label) { return label.substr(label.rfind('/') + 1); }

}  // namespace

std::string DefaultSlotName(const std::string& stream, const std::string& state_dir) {
  std::string reduced;
  for (char c : stream) {
    char lower = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    bool allowed = (lower >= 'a' && lower <= 'z') || (lower >= '0' && lower <= '9') || lower == '_';
    reduced += allowed ? lower : '_';
  }
  char hash[16];
  std::snprintf(hash, sizeof hash, "%08x", static_cast<unsigned>(std::hash<std::string>{}(state_dir)&0xffffffffu));
  return "pipe_" + reduced.substr(0, 63 - 5 - 9) + "_" + hash;
}

Status PostgresCdcSource::Open(SourceContext& ctx) {
  ctx_ = &ctx;
  slot_named_ = !settings_.slot.empty();
  if (settings_.slot.empty()) settings_.slot = DefaultSlotName(ctx.name, ctx.state_dir);
  if (settings_.publication.empty()) settings_.publication = settings_.slot;
  if (settings_.topic_prefix.empty()) settings_.topic_prefix = ctx.name;
  lane_ = Lanes::Intern("postgres " + settings_.slot);
  if (settings_.transaction_metadata) txn_metadata_.emplace(settings_.topic_prefix);
  if (ctx.metrics) {
    const Labels labels{{"source", ctx.name}, {"slot", settings_.slot}};
    slot_lag_bytes_ = ctx.metrics->GetGauge("pipe_cdc_slot_lag_bytes", labels,
                                            "WAL bytes between the server's end of WAL and the slot's confirmed LSN");
    lag_seconds_ = ctx.metrics->GetGauge("pipe_cdc_lag_seconds", labels,
                                         "Seconds since the commit of the last transaction read; 0 while caught up");
  }
  // initial_only keeps no checkpoint: every run reads the tables anew, as a scheduled export expects.
  if (settings_.snapshot_only) {
    snapshot_pending_ = true;
    return Connect();
  }
  if (auto saved = ctx.LoadCheckpoint()) {
    auto lsn = ParseLsn(*saved);
    if (!lsn) return ConfigError("checkpoint " + ctx.CheckpointFile() + " holds '" + *saved + "', not an LSN");
    delivered_ = confirmed_ = progress_ = *lsn;
    has_checkpoint_ = true;
  }
  // A checkpoint exists only once a snapshot was delivered whole (see initial_snapshot.h).
  snapshot_pending_ = settings_.snapshot_initial && confirmed_ == 0;
  return Connect();
}

Status PostgresCdcSource::Connect() {
  auto dsn = PostgresDsn::Parse(settings_.dsn);
  if (!dsn.ok()) return dsn.error();
  auto captured = CapturedTablesOf(*dsn);
  if (!captured.ok()) return captured.error();
  if (confirmed_ > 0 && !snapshot_pending_) PIPE_RETURN_IF_ERROR(CheckSlotStillHolds(*dsn));
  if (!slot_named_ && !has_checkpoint_ && !settings_.snapshot_only) PIPE_RETURN_IF_ERROR(RefuseAStrangersSlot(*dsn));
  ReplicationOptions options{.dsn = settings_.dsn, .slot = settings_.slot, .publications = {settings_.publication}};
  options.snapshot = snapshot_pending_;
  options.snapshot_only = settings_.snapshot_only;
  auto stream = ReplicationStream::Open(options);
  if (!stream.ok()) return stream.error();
  stream_ = std::move(stream).value();
  if (stream_->slot_created() && !has_checkpoint_) PIPE_RETURN_IF_ERROR(ClaimNewSlot());
  records_ = std::make_unique<ChangeRecords>(settings_.envelope, settings_.topic_prefix, DatabaseOf(dsn->label()),
                                             std::move(captured->primary_keys), settings_.column_rules);
  txn_.reset();
  uncaptured_.clear();
  if (snapshot_pending_)
    snapshot_ = std::make_unique<InitialSnapshot>(settings_.publication, std::move(captured->tables),
                                                  settings_.batch_size);
  // The slot may lag what we committed if the last feedback did not reach the server before a crash.
  if (confirmed_ > 0) PIPE_RETURN_IF_ERROR(stream_->SendFeedback(confirmed_));
  last_heartbeat_ = steady_clock::now();
  if (settings_.snapshot_only) return Status::Ok();
  LogInfo("postgres_cdc_connected", "streaming changes from slot " + settings_.slot,
          {{"source", ctx_->name},
           {"server", stream_->label()},
           {"slot_created", stream_->slot_created() ? "yes" : "no"},
           {"resume_lsn", FormatLsn(confirmed_)}});
  return Status::Ok();
}

// The tables `tables` matches and the publication that covers them. initial_only over listed tables needs no
// publication: it reads them in a plain transaction.
Result<CapturedTables> PostgresCdcSource::CapturedTablesOf(const PostgresDsn& dsn) const {
  if (!settings_.snapshot_only || settings_.tables.empty())
    return EnsurePublication(dsn, {settings_.publication, settings_.tables, settings_.create_publication});
  auto tables = MatchTables(dsn, settings_.tables);
  if (!tables.ok()) return tables.error();
  return CapturedTables{{}, std::move(tables).value()};
}

// A checkpoint names a position in the slot. A slot that is gone or invalidated lost the changes since, and a new
// slot would start after them without a word: that is an error, or with snapshot: when_needed a new snapshot.
Status PostgresCdcSource::CheckSlotStillHolds(const PostgresDsn& dsn) {
  auto state = SlotStateOf(dsn, settings_.slot);
  if (!state.ok()) return state.error();
  if (*state == SlotState::kUsable) return Status::Ok();
  const std::string what =
      "replication slot '" + settings_.slot + "' " +
      (*state == SlotState::kMissing ? "is gone (dropped)"
                                     : "was invalidated (the server removed WAL it needed: max_slot_wal_keep_size)") +
      ", although the checkpoint " + ctx_->CheckpointFile() + " resumes from it at " + FormatLsn(confirmed_) +
      ": the changes since are lost";
  if (!settings_.snapshot_when_needed)
    return ConfigError(what + ". Set snapshot: when_needed to take a new snapshot, or start over with pipe reset");
  LogWarn("postgres_cdc_resnapshot", what + "; taking a new snapshot (snapshot: when_needed)",
          {{"source", ctx_->name}, {"slot", settings_.slot}});
  // Until the new snapshot is acknowledged whole, a restart must take it again: the checkpoint goes back to none.
  PIPE_RETURN_IF_ERROR(ctx_->SaveCheckpoint(FormatLsn(0)));
  confirmed_ = delivered_ = progress_ = 0;
  snapshot_pending_ = true;
  return Status::Ok();
}

// The derived slot name exists, but this source has no checkpoint: the slot is left from a state dir that was
// reset or deleted, or belongs to another pipeline. Streaming from it (or dropping it for a snapshot) could lose
// or repeat someone's changes without a word.
Status PostgresCdcSource::RefuseAStrangersSlot(const PostgresDsn& dsn) {
  auto state = SlotStateOf(dsn, settings_.slot);
  if (!state.ok()) return state.error();
  if (*state == SlotState::kMissing) return Status::Ok();
  auto holder = SlotHolder(dsn, settings_.slot);
  if (!holder.ok()) return holder.error();
  const std::string whose = holder->empty() ? "no one streams from it now; it may be left from this pipeline "
                                              "before its state dir was reset, or be another pipeline's"
                                            : "it is in use by " + *holder;
  return ConfigError("replication slot '" + settings_.slot + "' exists in " + dsn.label() +
                     ", but this source has no checkpoint naming it (" + ctx_->CheckpointFile() + "): " + whose +
                     ". Set slot: " + settings_.slot + " to stream from where it stands, or drop it (SELECT "
                     "pg_drop_replication_slot('" + settings_.slot + "')) to start anew");
}

// The source just created its slot: a checkpoint at 0/0 marks it as this source's, so a restart before the first
// acknowledgement reuses it rather than refusing it.
Status PostgresCdcSource::ClaimNewSlot() {
  PIPE_RETURN_IF_ERROR(ctx_->SaveCheckpoint(FormatLsn(0)));
  has_checkpoint_ = true;
  return Status::Ok();
}

Error PostgresCdcSource::Disconnected(const Error& error) {
  stream_.reset();
  txn_.reset();
  if (txn_metadata_) txn_metadata_->Reset();
  LogWarn("postgres_cdc_disconnected", error.message(), {{"source", ctx_->name}, {"slot", settings_.slot}});
  return error;
}

Result<ReadStatus> PostgresCdcSource::Read(Batch& out, std::stop_token stop) {
  if (ended_) return ReadStatus::kEnd;
  if (!stream_) PIPE_RETURN_IF_ERROR(Connect());
  if (snapshot_pending_) return ReadSnapshot(out);
  const auto deadline = steady_clock::now() + kReadWait;
  while (!stop.stop_requested() && out.records.size() < settings_.batch_size) {
    const auto now = steady_clock::now();
    if (now >= deadline) break;
    auto next = stream_->Next(std::chrono::ceil<milliseconds>(deadline - now));
    if (!next.ok()) return Disconnected(next.error());
    if (!*next) break;
    auto completed = Apply(**next, out);
    if (!completed.ok()) return completed.error();
    // A whole transaction and nothing more waiting: hand it on now rather than at the deadline.
    if (*completed && stream_->pending_bytes() == 0) break;
  }
  if (out.records.empty() && out.progress.empty()) PublishIdleProgress(out);
  UpdateLag();
  return out.records.empty() ? ReadStatus::kIdle : ReadStatus::kMore;
}

Result<ReadStatus> PostgresCdcSource::ReadSnapshot(Batch& out) {
  auto done = snapshot_->Read(*stream_, *records_, lane_, out);
  if (!done.ok()) return done.error().kind() == ErrorKind::kRetryable ? Disconnected(done.error()) : done.error();
  if (*done && settings_.snapshot_only) return EndAfterSnapshot(out);
  if (*done) {
    if (Status s = stream_->FinishSnapshot(); !s.ok()) return Disconnected(s.error());
    snapshot_pending_ = false;
    snapshot_.reset();
    // Acknowledged once every snapshot row is: the first checkpoint, and the slot may move past it.
    progress_ = stream_->consistent_point();
    SetProgress(out, {lane_, static_cast<int64_t>(progress_), 0});
    LogInfo("postgres_cdc_snapshot_read", "the initial snapshot is read; streaming from " + FormatLsn(progress_),
            {{"source", ctx_->name}, {"slot", settings_.slot}});
  }
  return out.records.empty() ? ReadStatus::kIdle : ReadStatus::kMore;
}

// snapshot: initial_only: the transaction ends and so does the source; the runtime flushes every sink and exits.
Result<ReadStatus> PostgresCdcSource::EndAfterSnapshot(Batch& out) {
  if (Status s = stream_->FinishSnapshot(); !s.ok()) return Disconnected(s.error());
  stream_.reset();
  snapshot_.reset();
  snapshot_pending_ = false;
  ended_ = true;
  LogInfo("postgres_cdc_snapshot_read", "the snapshot is read; the source ends (snapshot: initial_only)",
          {{"source", ctx_->name}});
  return out.records.empty() ? ReadStatus::kEnd : ReadStatus::kMore;
}

Result<bool> PostgresCdcSource::Apply(const XLogData& data, Batch& out) {
  auto message = ParsePgOutput(data.payload);
  if (!message.ok()) return Error(ErrorKind::kFatal, "slot " + settings_.slot + ": " + message.error().message());
  if (auto* begin = std::get_if<BeginMessage>(&*message)) {
    txn_ = TransactionInfo{begin->final_lsn, begin->commit_time, begin->xid};
    txn_index_ = 0;
    last_commit_time_ = begin->commit_time;  // Begin carries the commit time already
    // Delivered before: its commit record lies below a position every sink acknowledged.
    skipping_txn_ = begin->final_lsn < delivered_;
    return false;
  }
  if (auto* relation = std::get_if<RelationMessage>(&*message)) {
    // A publication may hold more than `tables` selects (FOR ALL TABLES, or one a user made).
    const bool selected = settings_.tables.empty() ||
                          cdc::AnyTablePatternMatches(settings_.tables, "public", {relation->schema, relation->table});
    if (!selected) uncaptured_.insert(relation->relation);
    else uncaptured_.erase(relation->relation);
    records_->AddRelation(std::move(*relation));
    for (const auto& column : records_->TakeUnmappedColumns())
      LogWarn("postgres_cdc_unmapped_type", "column " + column + " has no type mapping: its values arrive as text",
              {{"source", ctx_->name}});
    return false;
  }
  if (std::holds_alternative<IgnoredMessage>(*message)) return false;
  if (!txn_) return FatalError("slot " + settings_.slot + ": pgoutput sent a change outside a transaction");
  if (auto* commit = std::get_if<CommitMessage>(&*message)) {
    if (txn_metadata_ && txn_metadata_->open()) {
      out.records.push_back(txn_metadata_->End(UnixMillisFromPgTimestamp(txn_->commit_time)));
      out.records.back().position = {lane_, static_cast<int64_t>(txn_->final_lsn), txn_index_++};
    }
    if (!skipping_txn_ && commit->end_lsn > progress_) {
      progress_ = commit->end_lsn;
      SetProgress(out, {lane_, static_cast<int64_t>(commit->end_lsn), 0});
    }
    txn_.reset();
    return true;
  }
  if (!skipping_txn_) PIPE_RETURN_IF_ERROR(AddChange(*message, out));
  return false;
}

// A change or truncate of a captured table as records, positioned; with transaction_metadata, the BEGIN marker
// before the transaction's first one and each numbered.
Status PostgresCdcSource::AddChange(const PgOutputMessage& message, Batch& out) {
  std::vector<Record> added;
  if (auto* change = std::get_if<ChangeMessage>(&message)) {
    if (!uncaptured_.contains(change->relation)) PIPE_RETURN_IF_ERROR(records_->Add(*change, *txn_, added));
  } else if (auto* truncate = std::get_if<TruncateMessage>(&message)) {
    TruncateMessage captured = *truncate;
    std::erase_if(captured.relations, [&](Oid relation) { return uncaptured_.contains(relation); });
    PIPE_RETURN_IF_ERROR(records_->Add(captured, *txn_, added));
  }
  if (added.empty()) return Status::Ok();
  const auto place = [&](Record&& r) {
    r.position = {lane_, static_cast<int64_t>(txn_->final_lsn), txn_index_++};
    out.records.push_back(std::move(r));
  };
  if (txn_metadata_ && !txn_metadata_->open())
    place(txn_metadata_->Begin(std::to_string(txn_->xid) + ":" + std::to_string(txn_->final_lsn),
                               UnixMillisFromPgTimestamp(txn_->commit_time)));
  for (Record& r : added) {
    if (txn_metadata_) txn_metadata_->Annotate(r);
    std::optional<Record> tombstone = settings_.tombstones_on_delete ? cdc::TombstoneAfter(r) : std::nullopt;
    place(std::move(r));
    if (tombstone) place(std::move(*tombstone));
  }
  return Status::Ok();
}

// Nothing captured is in flight: everything the server sent below its latest keepalive was handed on, so that
// LSN can be acknowledged like a transaction's end, and the slot frees WAL other tables wrote meanwhile.
void PostgresCdcSource::PublishIdleProgress(Batch& out) {
  if (txn_ || stream_->pending_bytes() > 0) return;
  last_commit_time_ = 0;  // caught up
  const Lsn keepalive = stream_->server_wal_end();
  if (keepalive > progress_) {
    progress_ = keepalive;
    SetProgress(out, {lane_, static_cast<int64_t>(keepalive), 0});
  }
  // Ask for a keepalive now and then: the server sends them unasked only every wal_sender_timeout / 2.
  if (settings_.heartbeat_interval.count() > 0 &&
      steady_clock::now() - last_heartbeat_ >= settings_.heartbeat_interval) {
    last_heartbeat_ = steady_clock::now();
    if (Status s = stream_->RequestKeepalive(); !s.ok()) Disconnected(s.error());
  }
}

void PostgresCdcSource::UpdateLag() {
  if (slot_lag_bytes_ && stream_) {
    const Lsn end = stream_->server_wal_end();
    slot_lag_bytes_->Set(end > confirmed_ ? static_cast<int64_t>(end - confirmed_) : 0);
  }
  if (lag_seconds_) {
    const auto now = ToPgTimestamp(std::chrono::system_clock::now());
    lag_seconds_->Set(last_commit_time_ > 0 && now > last_commit_time_ ? (now - last_commit_time_) / 1'000'000 : 0);
  }
}

Status PostgresCdcSource::Commit(const LanePositions& acknowledged) {
  if (settings_.snapshot_only) return Status::Ok();  // no slot to move, and no checkpoint (see Open)
  auto it = acknowledged.find(lane_);
  if (it == acknowledged.end() || it->second.major <= static_cast<int64_t>(confirmed_)) return Status::Ok();
  const auto lsn = static_cast<Lsn>(it->second.major);
  // The checkpoint first: the replay filter above must know what the slot may still send again.
  PIPE_RETURN_IF_ERROR(ctx_->SaveCheckpoint(FormatLsn(lsn)));
  confirmed_ = lsn;
  delivered_ = std::max(delivered_, lsn);
  // A lost connection is not a failed commit: Read() reconnects and sends this LSN first.
  if (stream_) {
    if (Status s = stream_->SendFeedback(lsn); !s.ok()) Disconnected(s.error());
  }
  return Status::Ok();
}

Status PostgresCdcSource::Service(std::stop_token) {
  if (!stream_) return Status::Ok();
  if (Status s = stream_->Service(kServiceWait); !s.ok()) Disconnected(s.error());
  UpdateLag();
  return Status::Ok();
}

void PostgresCdcSource::Close() {
  if (stream_ && confirmed_ > 0) (void)stream_->SendFeedback(confirmed_);
  stream_.reset();
}

}  // namespace pipeline::postgres_cdc
