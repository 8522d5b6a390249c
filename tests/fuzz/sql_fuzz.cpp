// The SQL of a `sql` transform as `pipe validate` checks it (sql/stage/sql_stage.cpp): the statements parsed,
// bound and planned by a new engine, then asked what the stage asks it (the streams it reads and writes, the
// fields it needs, whether it can scale out).
#include <cstdint>
#include <string>

#include "sql/engine.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  pipeline::sql::Engine engine;
  if (!engine.Execute(std::string(reinterpret_cast<const char*>(data), size)).ok()) return 0;
  for (const auto& topic : engine.InputTopics()) (void)engine.ValueDemand(topic);
  (void)engine.OutputTopics();
  (void)engine.ScaleOutProblem();
  return 0;
}
