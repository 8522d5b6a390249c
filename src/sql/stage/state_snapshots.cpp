#include "sql/stage/state_snapshots.h"

#include <fstream>
#include <sstream>

#include "observability/log.h"
#include "runtime/checkpoint_store.h"

namespace pipeline::sql {

// Shared with the epoch tracker's callback, which runs on whichever sink thread flushes an epoch's last output.
struct StateSnapshots::Shared {
  struct Sealed {
    std::string snapshot;
    std::vector<AckToken> inputs;
  };

  std::string path;
  std::shared_ptr<AckTracker> epochs = std::make_shared<AckTracker>();
  std::mutex mu;
  std::map<uint64_t, Sealed> sealed;  // epoch -> its snapshot and held input tokens
  uint64_t written_through = 0;
  std::optional<std::string> write_error;

  // Every epoch up to `through` has its outputs flushed: write the newest of their snapshots, then let go of
  // their inputs (which lets the sources checkpoint past them).
  void OnFlushed(uint64_t through) {
    std::vector<AckToken> release;
    std::lock_guard lock(mu);
    if (through <= written_through) return;
    auto end = sealed.upper_bound(through);
    if (end == sealed.begin()) return;
    bool aborted = false;
    for (auto it = sealed.begin(); it != end; ++it)
      for (auto& token : it->second.inputs) {
        aborted |= token->tracker().aborted();
        release.push_back(std::move(token));
      }
    // A failed pipeline drops its batches unflushed: that is no proof of delivery, so nothing is written.
    if (!aborted) Write(std::prev(end)->second.snapshot);
    sealed.erase(sealed.begin(), end);
    written_through = through;
  }  // `release` goes after the lock: completing a source's tokens may run its own callbacks

  void Write(const std::string& snapshot) {
    Status s = WriteFileAtomic(path, snapshot);
    if (s.ok()) return;
    // The inputs are let go all the same: holding them would stall the sources for good. The stage fails with
    // this error while it runs; at the very end only the log can tell.
    write_error = "cannot write the SQL state to " + path + ": " + s.message();
    LogError("sql_state_write_failed", *write_error + " (after a crash, the state would miss records)");
  }
};

StateSnapshots::StateSnapshots(std::string path) : shared_(std::make_shared<Shared>()) {
  shared_->path = std::move(path);
  shared_->epochs->OnProgress([weak = std::weak_ptr<Shared>(shared_)](uint64_t through) {
    if (auto shared = weak.lock()) shared->OnFlushed(through);
  });
}

StateSnapshots::~StateSnapshots() = default;

const std::string& StateSnapshots::path() const { return shared_->path; }

Result<std::optional<std::string>> StateSnapshots::Load() const {
  std::ifstream in(shared_->path, std::ios::binary);
  if (!in) return std::optional<std::string>();
  std::ostringstream bytes;
  bytes << in.rdbuf();
  if (!in.good() && !in.eof()) return FatalError("cannot read the SQL state " + shared_->path);
  return std::optional<std::string>(bytes.str());
}

const AckToken& StateSnapshots::EpochToken() {
  if (!epoch_token_) epoch_token_ = shared_->epochs->Issue();
  return epoch_token_;
}

void StateSnapshots::Hold(const std::vector<AckToken>& input_acks) {
  held_.insert(held_.end(), input_acks.begin(), input_acks.end());
}

void StateSnapshots::Seal(std::string snapshot) {
  if (!epoch_token_) return;
  {
    std::lock_guard lock(shared_->mu);
    // Epochs are numbered by the tracker's sequence, which is the order they were issued in.
    uint64_t epoch = shared_->epochs->issued();
    auto& sealed = shared_->sealed;
    // Memory stays at two snapshots while a sink is slow: the newest waiting one is superseded (its inputs wait for
    // this epoch instead), the oldest is kept so that it gets written as soon as its outputs are flushed.
    if (sealed.size() >= 2) {
      auto newest = std::prev(sealed.end());
      held_.insert(held_.end(), std::make_move_iterator(newest->second.inputs.begin()),
                   std::make_move_iterator(newest->second.inputs.end()));
      sealed.erase(newest);
    }
    sealed[epoch] = Shared::Sealed{std::move(snapshot), std::move(held_)};
  }
  held_.clear();
  epoch_token_.reset();  // the outputs still in flight hold the epoch open; with none, it completes right here
}

std::optional<std::string> StateSnapshots::TakeWriteError() {
  std::lock_guard lock(shared_->mu);
  return std::exchange(shared_->write_error, std::nullopt);
}

namespace {

// The one source every token of a batch comes from, if its positions are stable; else null.
const AckTracker* StableOrigin(const std::vector<AckToken>& acks) {
  const AckTracker* origin = nullptr;
  for (const auto& token : acks) {
    const AckTracker* t = &token->tracker();
    if (!t->stable_positions() || (origin && origin != t)) return nullptr;
    origin = t;
  }
  return origin;
}

std::string PositionKey(const AckTracker& origin, const Record& r) {
  return origin.origin() + '\x1f' + r.topic + '\x1f' + std::to_string(r.partition);
}

}  // namespace

// Notes the record's position; true if a restored state already holds the record.
bool ReplayFilter::Holds(const AckTracker& origin, const Record& r, Cursor& at) {
  if (!at.record || at.record->partition != r.partition || at.record->topic != r.topic) {
    at.key = PositionKey(origin, r);
    at.last = &last_[at.key];  // stays valid: an unordered_map never moves its elements
  }
  at.record = &r;
  bool held = false;
  if (!restored_.empty()) {
    auto it = restored_.find(at.key);
    if (it != restored_.end()) {
      held = r.offset <= it->second;
      if (!held) restored_.erase(it);
    }
  }
  if (r.offset > *at.last) *at.last = r.offset;
  return held;
}

std::vector<Record>& ReplayFilter::Admit(Batch& batch, std::vector<Record>& kept) {
  const AckTracker* origin = StableOrigin(batch.acks);
  if (!origin) return batch.records;
  bool skipping = false;
  Cursor at;
  for (size_t i = 0; i < batch.records.size(); ++i) {
    const Record& r = batch.records[i];
    bool skip = r.offset >= 0 && Holds(*origin, r, at);
    if (skip && !skipping) {
      kept.assign(batch.records.begin(), batch.records.begin() + static_cast<std::ptrdiff_t>(i));
      skipping = true;
    }
    if (skip) ++skipped_;
    else if (skipping) kept.push_back(r);
  }
  return skipping ? kept : batch.records;
}

Value ReplayFilter::Save() const {
  Array positions;
  for (const auto& [key, offset] : last_) positions.push_back(Value(Array{Value(key), Value(offset)}));
  return Value(std::move(positions));
}

void ReplayFilter::Restore(const Value& saved) {
  for (const auto& e : saved.as_array()) {
    last_[e.as_array().at(0).as_string()] = e.as_array().at(1).as_int();
    restored_[e.as_array().at(0).as_string()] = e.as_array().at(1).as_int();
  }
}

}  // namespace pipeline::sql
