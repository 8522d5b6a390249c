// Keys every component of a kind accepts besides its own options. One list, read by the loader, the JSON
// Schema and the reference docs.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace pipeline::config {

inline const std::vector<std::string> kTopLevelKeys = {"sources", "transforms", "sinks", "settings"};
inline const std::vector<std::string> kSourceKeys = {"type", "transforms", "on_error", "dead_letter_path", "via",
                                                     "retry", "description"};
inline const std::vector<std::string> kStageKeys = {"type", "inputs", "on_error", "dead_letter_path", "via",
                                                    "description"};
inline const std::vector<std::string> kSinkKeys = {"type", "inputs", "transforms", "on_error", "dead_letter_path",
                                                   "flush_interval", "retry", "description"};
inline const std::vector<std::string> kTransformKeys = {"type", "predicate", "negate"};
inline const std::vector<std::string> kSettingsKeys = {"queue_capacity"};
inline const std::vector<std::string> kRetryKeys = {"initial_backoff", "max_backoff", "max_elapsed"};

// The edge queues are Boost.Lockfree fixed-size queues: their nodes are addressed by 16-bit indexes, one node
// more than the capacity (65,535 at most), and all are allocated when the queue is built. A larger capacity threw
// from the queue's constructor (and ended the process) instead of being refused by the loader.
inline constexpr int64_t kMaxQueueCapacity = 65'534;

}  // namespace pipeline::config
