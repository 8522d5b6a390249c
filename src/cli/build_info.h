// What `pipe version` and `pipe --version` print: the build (version, commit, build type) and the versions of the
// libraries the process runs with, so that a bug report says exactly what ran.
#pragma once

#include <string>

namespace pipeline::cli {

// One line: "pipe 0.1.0 (commit 0be3e1c, release)".
std::string VersionLine();

// VersionLine, then one "  library version" line per client library.
std::string VersionReport();

}  // namespace pipeline::cli
