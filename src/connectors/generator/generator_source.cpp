#include "connectors/generator/generator_source.h"

#include <algorithm>
#include <thread>

namespace pipeline::generator {

namespace {
// Read() must come back within ~100 ms when nothing is due (see plugin/source.h).
constexpr auto kMaxIdleWait = std::chrono::milliseconds(100);
}  // namespace

GeneratorSource::GeneratorSource(GeneratorSettings settings, std::unique_ptr<Dataset> dataset)
    : settings_(std::move(settings)), dataset_(std::move(dataset)), rng_(settings_.seed) {
  if (settings_.step_micros <= 0)
    settings_.step_micros = settings_.rate > 0 ? std::max<int64_t>(1, static_cast<int64_t>(1e6 / settings_.rate))
                                               : dataset_->DefaultStepMicros();
  if (settings_.batch_size == 0) settings_.batch_size = 1;
}

Status GeneratorSource::Open(SourceContext& ctx) {
  topic_ = ctx.name;
  lane_ = Lanes::Intern("generator " + ctx.name);
  started_ = std::chrono::steady_clock::now();
  return {};
}

size_t GeneratorSource::DueNow() const {
  uint64_t limit = generated_ + settings_.batch_size;
  if (settings_.count > 0) limit = std::min<uint64_t>(limit, static_cast<uint64_t>(settings_.count));
  if (settings_.rate > 0) {
    double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
    // The first record is due at once, the n-th after (n-1)/rate seconds.
    limit = std::min<uint64_t>(limit, static_cast<uint64_t>(elapsed * settings_.rate) + 1);
  }
  return limit > generated_ ? static_cast<size_t>(limit - generated_) : 0;
}

void GeneratorSource::SetKey(Record& record) {
  if (!record.value.is_struct()) return;
  const Struct& s = record.value.as_struct();
  if (s.names.get() != key_shape_) {
    key_shape_ = s.names.get();
    key_index_ = s.names->IndexOf(settings_.key_field);
  }
  if (key_index_ >= 0) record.key = s.values[key_index_];
}

Result<ReadStatus> GeneratorSource::Read(Batch& out, std::stop_token stop) {
  if (settings_.count > 0 && generated_ >= static_cast<uint64_t>(settings_.count)) return ReadStatus::kEnd;
  size_t due = DueNow();
  if (due == 0) {
    // Sleep until the next record is due, but never longer than the idle bound.
    auto next_due = started_ + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                                   std::chrono::duration<double>(static_cast<double>(generated_) / settings_.rate));
    auto wait = std::min<std::chrono::steady_clock::duration>(next_due - std::chrono::steady_clock::now(), kMaxIdleWait);
    if (wait > std::chrono::steady_clock::duration::zero() && !stop.stop_requested()) std::this_thread::sleep_for(wait);
    due = DueNow();
    if (due == 0) return ReadStatus::kIdle;
  }
  out.records.reserve(out.records.size() + due);
  const bool keyed = !settings_.key_field.empty();
  for (size_t i = 0; i < due; ++i) {
    const uint64_t n = generated_++;
    Record& r = out.records.emplace_back();
    r.timestamp = settings_.start_time_ms + static_cast<int64_t>(n * settings_.step_micros / 1000);
    r.topic = topic_;
    r.offset = static_cast<int64_t>(n);
    r.position = {lane_, static_cast<int64_t>(n), 0};
    dataset_->Generate(n, r.timestamp, rng_, r);
    if (keyed) SetKey(r);
  }
  return ReadStatus::kMore;
}

}  // namespace pipeline::generator
