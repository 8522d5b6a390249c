// Command-line paths where a folder stands for the files under it (`pipe validate pipelines/`, `pipe test tests/`).
#pragma once

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace pipeline {

// Each path as it is, except a folder: the files under it (recursively) that `wanted` accepts, in name order, as
// `go test ./...` walks one. A folder without any is kept as it is, so that loading it fails with its name.
std::vector<std::string> FilesUnder(const std::vector<std::string>& paths,
                                    const std::function<bool(const std::filesystem::path&)>& wanted);

// `*.test.yaml` / `*.test.yml`: a pipe test file, not a pipeline.
bool IsPipeTestFileName(const std::filesystem::path& path);

// `*.yaml` / `*.yml` that is not a test file.
bool IsPipelineFileName(const std::filesystem::path& path);

}  // namespace pipeline
