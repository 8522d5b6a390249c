// Dead letters: records a pipeline could not decode, transform, process in SQL or deliver, kept with their error
// instead of being dropped (`on_error: dead_letter`). Every layer writes them through one interface,
// DeadLetterQueue, as one envelope (formats/dead_letter_envelope.h; fields in src/plugin/README.md). The
// `dead_letter` format reads that envelope back as the original records, so they can be replayed.
//
// Durability: Write() only appends; Sync() makes what was written durable. A caller syncs once per batch of dead
// letters and only then lets go of the acknowledgement of the records they stand for, so a dead letter is never
// lost while its input is already committed, and a batch costs one fsync, not one per record.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "core/record.h"
#include "core/result.h"
#include "formats/dead_letter_envelope.h"  // DeadLetter: what a letter holds

namespace pipeline {

// What happens to a record that fails: stop the pipeline naming it, drop it (counted), or write a dead letter.
enum class OnError { kFail, kSkip, kDeadLetter };

// The one parser of the `on_error` option (and of its aliases, such as the kafka source's `on_decode_error`).
std::optional<OnError> ParseOnError(std::string_view text);
inline constexpr std::string_view kOnErrorChoices = "fail, skip, dead_letter";

class DeadLetterQueue {
 public:
  virtual ~DeadLetterQueue() = default;
  // Appends one envelope; thread-safe. Not durable before Sync().
  virtual Status Write(const DeadLetter& letter) = 0;
  // Makes every envelope written so far durable (a no-op when nothing was written since the last Sync).
  virtual Status Sync() = 0;
  // Where the dead letters go, for messages ("file /var/lib/pipe/dlq.jsonl").
  virtual std::string Describe() const = 0;
};

// Where on_error: dead_letter writes: `dead_letter_path` is a file path, or <scheme>://<address> for a target a
// connector registered (kafka://host:9092,host2:9092/topic). Unknown schemes are a ConfigError. No I/O here.
Result<std::shared_ptr<DeadLetterQueue>> OpenDeadLetterQueue(const std::string& target);
// The scheme of a target ("kafka"), or "" for a file path (which the loader may resolve against the pipeline dir).
std::string_view DeadLetterScheme(std::string_view target);
// Called by a connector's Register function: OpenDeadLetterQueue("<scheme>://<address>") calls `open(address)`.
using DeadLetterTargetFactory = std::function<Result<std::shared_ptr<DeadLetterQueue>>(const std::string&)>;
void RegisterDeadLetterTarget(const std::string& scheme, DeadLetterTargetFactory open);

// The JSON-lines file target. Components that name the same path share one writer (one descriptor, lines never
// interleaved). Nothing is opened before the first Write: building a pipeline does no I/O.
std::shared_ptr<DeadLetterQueue> OpenDeadLetterFile(const std::string& path);

}  // namespace pipeline
