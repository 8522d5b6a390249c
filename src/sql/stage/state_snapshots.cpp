#include "sql/stage/state_snapshots.h"

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <fstream>
#include <sstream>
#include <thread>

#include "core/atomic_file.h"
#include "observability/log.h"

namespace pipeline::sql {

namespace {

class FileSnapshotStore final : public SnapshotStore {
 public:
  explicit FileSnapshotStore(std::string path) : path_(std::move(path)) {}
  std::string Describe(const TaskId&) const override { return path_; }

  Result<std::optional<std::string>> Load(const TaskId&) override {
    std::ifstream in(path_, std::ios::binary);
    if (!in) return std::optional<std::string>();
    std::ostringstream bytes;
    bytes << in.rdbuf();
    if (!in.good() && !in.eof()) return FatalError("cannot read the SQL state " + path_);
    return std::optional<std::string>(bytes.str());
  }

  Status Write(const Snapshot& snapshot) override {
    for (const TaskSnapshot& task : snapshot) PIPE_RETURN_IF_ERROR(WriteFileAtomic(path_, task.bytes));
    return {};
  }

 private:
  std::string path_;
};

// A newer snapshot holds only the tasks that changed since: the older one's other tasks stay in it.
void MergeOlder(Snapshot& newer, Snapshot&& older) {
  for (TaskSnapshot& task : older)
    if (std::none_of(newer.begin(), newer.end(), [&](const TaskSnapshot& t) { return t.task == task.task; }))
      newer.push_back(std::move(task));
}

}  // namespace

std::unique_ptr<SnapshotStore> MakeFileSnapshotStore(std::string path) {
  return std::make_unique<FileSnapshotStore>(std::move(path));
}

// Shared with the epoch tracker's callback, which runs on whichever sink thread flushes an epoch's last output, and
// with the writer thread. Snapshots are written on their own thread, in epoch order: a Kafka changelog write waits
// for its delivery, and neither that sink nor the stage (sealing the next epoch) should wait with it.
struct StateSnapshots::Shared {
  struct Sealed {
    Snapshot snapshot;
    std::vector<AckToken> inputs;
  };
  // A snapshot to write (empty: nothing to write) and the input tokens to let go once it is written.
  struct Job {
    Snapshot snapshot;
    std::vector<AckToken> release;
  };

  std::unique_ptr<SnapshotStore> store;
  std::shared_ptr<AckTracker> epochs = std::make_shared<AckTracker>();
  std::mutex mu;
  std::map<uint64_t, Sealed> sealed;  // epoch -> its snapshot and held input tokens
  uint64_t written_through = 0;
  std::optional<std::string> write_error;
  std::deque<Job> jobs;
  std::condition_variable job_ready;
  bool stopping = false;
  std::thread writer;  // started last, stopped first (~StateSnapshots)

  // Every epoch up to `through` has its outputs flushed: the newest of their snapshots is written, then their
  // inputs let go (which lets the sources checkpoint past them).
  void OnFlushed(uint64_t through) {
    std::lock_guard lock(mu);
    if (through <= written_through) return;
    auto end = sealed.upper_bound(through);
    if (end == sealed.begin()) return;
    Job job;
    bool aborted = false;
    for (auto it = sealed.begin(); it != end; ++it)
      for (auto& token : it->second.inputs) {
        aborted |= token->tracker().aborted();
        job.release.push_back(std::move(token));
      }
    // A failed pipeline drops its batches unflushed: that is no proof of delivery, so nothing is written.
    if (!aborted) {
      job.snapshot = std::move(std::prev(end)->second.snapshot);
      for (auto it = std::prev(end); it != sealed.begin();) MergeOlder(job.snapshot, std::move((--it)->second.snapshot));
    }
    sealed.erase(sealed.begin(), end);
    written_through = through;
    jobs.push_back(std::move(job));
    job_ready.notify_one();
  }

  // Writes the jobs in order until stopped, and those still queued then.
  void WriteJobs() {
    std::unique_lock lock(mu);
    for (;;) {
      job_ready.wait(lock, [&] { return stopping || !jobs.empty(); });
      if (jobs.empty()) return;
      Job job = std::move(jobs.front());
      jobs.pop_front();
      lock.unlock();
      std::optional<std::string> error = Write(job.snapshot);
      job.release.clear();  // outside the lock: completing a source's tokens may run its own callbacks
      lock.lock();
      if (error) write_error = std::move(error);
    }
  }

  std::optional<std::string> Write(const Snapshot& snapshot) {
    if (snapshot.empty()) return std::nullopt;
    Status s = store->Write(snapshot);
    if (s.ok()) return std::nullopt;
    // The inputs are let go all the same: holding them would stall the sources for good. The stage fails with
    // this error while it runs; at the very end only the log can tell.
    std::string error = "cannot write the SQL state to " + store->Describe(snapshot.front().task) + ": " + s.message();
    LogError("sql_state_write_failed", error + " (after a crash, the state would miss records)");
    return error;
  }
};

StateSnapshots::StateSnapshots(std::unique_ptr<SnapshotStore> store) : shared_(std::make_shared<Shared>()) {
  shared_->store = std::move(store);
  shared_->epochs->OnProgress([weak = std::weak_ptr<Shared>(shared_)](uint64_t through) {
    if (auto shared = weak.lock()) shared->OnFlushed(through);
  });
  shared_->writer = std::thread([shared = shared_.get()] { shared->WriteJobs(); });
}

StateSnapshots::~StateSnapshots() {
  {
    std::lock_guard lock(shared_->mu);
    shared_->stopping = true;
  }
  shared_->job_ready.notify_one();
  shared_->writer.join();
}

SnapshotStore& StateSnapshots::store() { return *shared_->store; }

const AckToken& StateSnapshots::EpochToken() {
  if (!epoch_token_) epoch_token_ = shared_->epochs->Issue();
  return epoch_token_;
}

void StateSnapshots::Hold(const std::vector<AckToken>& input_acks) {
  held_.insert(held_.end(), input_acks.begin(), input_acks.end());
}

void StateSnapshots::Seal(Snapshot snapshot) {
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
      MergeOlder(snapshot, std::move(newest->second.snapshot));
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

const AckTracker* StableOrigin(const std::vector<AckToken>& acks) {
  const AckTracker* origin = nullptr;
  for (const auto& token : acks) {
    const AckTracker* t = &token->tracker();
    if (!t->stable_positions() || (origin && origin != t)) return nullptr;
    origin = t;
  }
  return origin;
}

std::string SourcePositionKey(const AckTracker& origin, const Record& r) {
  return origin.origin() + '\x1f' + Lanes::Name(r.position.lane);
}

// Notes the record's position; true if a restored state already holds the record.
bool ReplayFilter::Holds(const AckTracker& origin, const Record& r, Cursor& at) {
  if (at.lane != r.position.lane || !at.last) {
    at.lane = r.position.lane;
    at.key = SourcePositionKey(origin, r);
    at.last = &last_.try_emplace(at.key, Value2{-1, 0}).first->second;  // an unordered_map never moves elements
  }
  const Value2 position{r.position.major, r.position.minor};
  bool held = false;
  if (!restored_.empty()) {
    auto it = restored_.find(at.key);
    if (it != restored_.end()) {
      held = position <= it->second;
      if (!held) restored_.erase(it);
    }
  }
  if (position > *at.last) *at.last = position;
  return held;
}

std::vector<Record>& ReplayFilter::Admit(Batch& batch, std::vector<Record>& kept) {
  const AckTracker* origin = StableOrigin(batch.acks);
  if (!origin) return batch.records;
  bool skipping = false;
  Cursor at;
  for (size_t i = 0; i < batch.records.size(); ++i) {
    const Record& r = batch.records[i];
    bool skip = r.position.valid() && Holds(*origin, r, at);
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
  for (const auto& [key, at] : last_)
    positions.push_back(Value(Array{Value(key), Value(at.first), Value(at.second)}));
  return Value(std::move(positions));
}

namespace {

// Snapshots written before positions had lanes keyed Kafka records "source\x1ftopic\x1fpartition"; the lane of
// a Kafka partition is "topic/partition". (File positions of such snapshots match no lane: they count again once.)
std::string UpgradedPositionKey(std::string key) {
  size_t first = key.find('\x1f');
  size_t second = first == std::string::npos ? first : key.find('\x1f', first + 1);
  if (second != std::string::npos) key[second] = '/';
  return key;
}

}  // namespace

void ReplayFilter::Restore(const Value& saved) {
  for (const auto& e : saved.as_array()) {
    const Array& a = e.as_array();
    const bool old_form = a.size() == 2;  // [key, offset]
    std::string key = old_form ? UpgradedPositionKey(a.at(0).as_string()) : a.at(0).as_string();
    Value2 at{a.at(1).as_int(), old_form ? 0 : a.at(2).as_int()};
    last_[key] = at;
    restored_[key] = at;
  }
}

void RebuildFilter::Restore(const Value& saved) {
  ReplayFilter positions;  // reads every form a snapshot has had
  positions.Restore(saved);
  const Value upgraded = positions.Save();
  for (const auto& e : upgraded.as_array()) {
    const Array& a = e.as_array();
    std::pair<int64_t, int64_t> at{a.at(1).as_int(), a.at(2).as_int()};
    auto [it, added] = quiet_.try_emplace(a.at(0).as_string(), at);
    if (!added && at > it->second) it->second = at;
  }
}

bool RebuildFilter::Quiet(const AckTracker& origin, const Record& r) {
  if (quiet_.empty() || !r.position.valid()) return false;
  auto it = quiet_.find(SourcePositionKey(origin, r));
  if (it == quiet_.end()) return false;
  if (std::pair{r.position.major, r.position.minor} <= it->second) return true;
  quiet_.erase(it);  // past what the previous statements took: this lane is loud from here on
  return false;
}

Value RebuildFilter::Save() const {
  Array positions;
  for (const auto& [key, at] : quiet_) positions.push_back(Value(Array{Value(key), Value(at.first), Value(at.second)}));
  return Value(std::move(positions));
}

namespace {
constexpr const char* kOriginHeader = "pipe-origin";
constexpr const char* kOriginAtHeader = "pipe-origin-at";  // "<major>[.<minor>]:<index>"
}  // namespace

void OriginFilter::Stamp(Record& r, const std::string& origin, const Position& at, int64_t index) {
  std::string text = std::to_string(at.major);
  if (at.minor != 0) text += "." + std::to_string(at.minor);
  r.headers.push_back({kOriginHeader, origin});
  r.headers.push_back({kOriginAtHeader, text + ":" + std::to_string(index)});
}

bool OriginFilter::Admit(const Record& r) {
  const std::string* origin = nullptr;
  const std::string* at = nullptr;
  for (const Header& h : r.headers) {
    if (!h.value) continue;
    if (h.key == kOriginHeader) origin = &*h.value;
    else if (h.key == kOriginAtHeader) at = &*h.value;
  }
  if (!origin || !at) return true;  // from a source without stable positions: nothing to compare
  char* rest = nullptr;
  std::tuple<int64_t, int64_t, int64_t> position{std::strtoll(at->c_str(), &rest, 10), 0, 0};
  if (*rest == '.') std::get<1>(position) = std::strtoll(rest + 1, &rest, 10);
  if (*rest == ':') std::get<2>(position) = std::strtoll(rest + 1, nullptr, 10);
  auto [it, first] = last_.try_emplace(*origin, position);
  if (first) return true;
  if (position <= it->second) {
    ++skipped_;
    return false;
  }
  it->second = position;
  return true;
}

Value OriginFilter::Save() const {
  Array out;
  for (const auto& [origin, at] : last_) {
    const auto& [major, minor, index] = at;
    out.push_back(Value(Array{Value(origin), Value(major), Value(index), Value(minor)}));
  }
  return Value(std::move(out));
}

void OriginFilter::Restore(const Value& saved) {
  last_.clear();
  for (const auto& e : saved.as_array()) {
    const Array& a = e.as_array();
    // [origin, major, index, minor]; snapshots from before composite positions have no minor.
    last_[a.at(0).as_string()] = {a.at(1).as_int(), a.size() > 3 ? a.at(3).as_int() : 0, a.at(2).as_int()};
  }
}

}  // namespace pipeline::sql
