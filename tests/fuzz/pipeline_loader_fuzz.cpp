// A pipeline file as `pipe validate` reads it (src/main.cpp, ValidateOrExplain): parsed and checked with its
// ${VAR} references substituted from the environment, then every component built, then explained as
// `pipe explain` does. The variables set here are the ones the seed corpus refers to.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "builtin.h"
#include "config/pipeline_config.h"
#include "runtime/pipeline.h"

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  pipeline::InstallBuiltins();  // the components a pipeline file names (src/builtin.h)
  setenv("FUZZ_TOPIC", "orders", 1);
  setenv("FUZZ_PATH", "/tmp/pipe-fuzz/in.jsonl", 1);
  setenv("FUZZ_RATE", "5", 1);
  setenv("FUZZ_SECRET", "S3CR3T #x\n  injected: true", 1);
  setenv("FUZZ_EMPTY", "", 1);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  pipeline::config::Diagnostics diags;
  auto config = pipeline::config::LoadPipelineText(std::string(reinterpret_cast<const char*>(data), size),
                                                   "fuzz.yaml", {}, diags);
  if (!config.ok()) return 0;
  auto built = pipeline::Pipeline::Build(*config, pipeline::RuntimeOptions{}, diags);
  if (built.ok()) (void)(*built)->Explain("text");
  return 0;
}
