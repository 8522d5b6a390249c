// `pipe top [--http ADDR]`: a live view of a running pipeline from its --http endpoint's /metrics and /readyz, as
// `vector top` gives: per component records in and out per second, totals, errors, queue depth, checkpoint age,
// Kafka and CDC lag. Refreshes every second; `q` or Ctrl-C quits and restores the terminal. Plain ANSI escapes,
// no curses. When stdout is not a terminal it prints one snapshot (rates over one second) and exits.
#pragma once

#include <string>

namespace pipeline::cli {

struct TopOptions {
  std::string address;  // --http; empty = kDefaultHttpAddress
};

// Exit codes: 0 quit by the user, or a snapshot printed; 1 the endpoint cannot be reached (snapshot mode); 2 a bad
// address.
int RunTopCommand(const TopOptions& options);

}  // namespace pipeline::cli
