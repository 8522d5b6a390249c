// Runs a piece of work in a forked child so that a crash or a hang in it (an engine bug met by one test case)
// costs that case only, not the whole run.
//
// Not in namespace pipeline: <unistd.h> declares a function ::pipe, and C++ forbids a namespace of the same name
// in any file that includes it, so this module (which needs fork/pipe/waitpid) keeps out of namespace pipeline.
#pragma once

#include <chrono>
#include <functional>
#include <string>

namespace pipeline::testing {

struct IsolatedOutcome {
  bool completed = false;  // the work returned; `payload` is what it returned
  std::string payload;
  std::string failure;  // otherwise: "crashed: signal 11 (Segmentation fault)", "timed out after 10 s", …
};

// `work` runs in a child process and its return value travels back through a pipe. Set the environment
// variable PIPE_TEST_NO_FORK=1 to run it in-process (for a debugger).
IsolatedOutcome RunIsolated(const std::function<std::string()>& work, std::chrono::milliseconds time_limit);

}  // namespace pipeline::testing
