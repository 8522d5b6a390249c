#include "core/files_under.h"

#include <algorithm>

namespace pipeline {

namespace fs = std::filesystem;

std::vector<std::string> FilesUnder(const std::vector<std::string>& paths,
                                    const std::function<bool(const fs::path&)>& wanted) {
  std::vector<std::string> files;
  for (const std::string& path : paths) {
    std::error_code error;
    if (!fs::is_directory(path, error)) {
      files.push_back(path);
      continue;
    }
    std::vector<std::string> found;
    for (auto it = fs::recursive_directory_iterator(path, error); !error && it != fs::recursive_directory_iterator();
         it.increment(error))
      if (it->is_regular_file(error) && wanted(it->path())) found.push_back(it->path().string());
    std::sort(found.begin(), found.end());
    if (found.empty()) found.push_back(path);
    files.insert(files.end(), found.begin(), found.end());
  }
  return files;
}

bool IsPipeTestFileName(const fs::path& path) {
  const std::string name = path.filename().string();
  return name.ends_with(".test.yaml") || name.ends_with(".test.yml");
}

bool IsPipelineFileName(const fs::path& path) {
  const std::string name = path.filename().string();
  return (name.ends_with(".yaml") || name.ends_with(".yml")) && !IsPipeTestFileName(path);
}

}  // namespace pipeline
