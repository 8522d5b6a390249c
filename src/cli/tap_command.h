// `pipe tap [--http ADDR] STREAM…`: prints the records flowing through named streams of a running pipeline, as
// `vector tap` does, from the GET /tap stream of its --http endpoint (observability/tap.h).
#pragma once

#include <cstdint>
#include <iosfwd>
#include <string>
#include <vector>

namespace pipeline::cli {

struct TapOptions {
  std::string address;  // --http; empty = kDefaultHttpAddress
  std::vector<std::string> streams;
  std::string sample;   // "" = every record; "10" one in ten; "0.1" and "10%" the same
  int64_t limit = 0;    // exit 0 after this many records; 0 = until the pipeline ends or Ctrl-C
  std::string format = "json";  // json (one line per record) | pretty
};

// Exit codes: 0 the limit was reached or the pipeline ended; 1 the endpoint cannot be reached or refused the
// tap (too many taps); 2 a bad option or an unknown stream (the message lists those that exist).
int RunTapCommand(const TapOptions& options, std::ostream& out, std::ostream& err);

// The `one in N` a --sample text means: "10" → 10, "0.1" → 10, "25%" → 4; 0 when it is none of those.
uint64_t SampleOneIn(const std::string& text);

}  // namespace pipeline::cli
