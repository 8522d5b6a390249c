// fuzz_seed_replay: every harness of tests/fuzz/ built by the project's own compiler without libFuzzer, replaying
// the checked-in seeds (and the reproducers of findings kept beside them) once each. The e2e suite runs it
// (tests/e2e/test_fuzz_seeds.py), so `make test` checks that the harnesses still build and that no seed crashes,
// without clang or a fuzzing run. Each harness's entry points are renamed per harness by tests/fuzz/meson.build.
//   fuzz_seed_replay NAME FILE_OR_DIR...
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#define PIPE_FUZZ_HARNESS(name) extern "C" int FuzzOne_##name(const uint8_t* data, size_t size);
#include "harness_list.h"
#undef PIPE_FUZZ_HARNESS
extern "C" int FuzzInit_pipeline_loader(int* argc, char*** argv);

namespace {

using FuzzOne = int (*)(const uint8_t*, size_t);

FuzzOne Find(const std::string& name) {
#define PIPE_FUZZ_HARNESS(harness) \
  if (name == #harness) return FuzzOne_##harness;
#include "harness_list.h"
#undef PIPE_FUZZ_HARNESS
  return nullptr;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: fuzz_seed_replay NAME FILE_OR_DIR...\n");
    return 2;
  }
  const FuzzOne one = Find(argv[1]);
  if (!one) {
    std::fprintf(stderr, "fuzz_seed_replay: no harness named %s\n", argv[1]);
    return 2;
  }
  FuzzInit_pipeline_loader(&argc, &argv);  // the built-in components and environment variables; harmless for the others
  std::vector<std::filesystem::path> inputs;
  for (int i = 2; i < argc; ++i) {
    if (std::filesystem::is_directory(argv[i])) {
      for (const auto& entry : std::filesystem::directory_iterator(argv[i]))
        if (entry.is_regular_file()) inputs.push_back(entry.path());
    } else {
      inputs.push_back(argv[i]);
    }
  }
  for (const auto& path : inputs) {
    std::ifstream in(path, std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    one(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
  }
  std::printf("%s: %zu inputs replayed\n", argv[1], inputs.size());
  return 0;
}
