// Reading a pipeline file: what `validate`, `run` and a reload see before any YAML is parsed.
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "config/pipeline_config.h"

namespace pipeline::config {

namespace {

// Far beyond any real pipeline (the largest in this repository is a few KB), small enough to hold in memory:
// reading /dev/zero or a log file given by mistake stops here instead of when memory runs out.
constexpr size_t kMaxPipelineFileBytes = 16 << 20;

}  // namespace

Result<std::string> ReadPipelineFile(const std::string& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec))
    return ConfigError(path + ": is a directory; expected a pipeline YAML file");
  std::ifstream in(path, std::ios::binary);
  if (!in) return ConfigError(path + ": cannot read the pipeline file: " + std::strerror(errno));
  std::string text;
  char buffer[64 << 10];
  while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
    text.append(buffer, static_cast<size_t>(in.gcount()));
    if (text.size() > kMaxPipelineFileBytes)
      return ConfigError(path + ": larger than " + std::to_string(kMaxPipelineFileBytes >> 20) +
                         " MiB; a pipeline file is YAML text (is this the right file?)");
  }
  if (in.bad()) return ConfigError(path + ": cannot read the pipeline file: " + std::strerror(errno));
  return text;
}

}  // namespace pipeline::config
