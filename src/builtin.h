// src/builtin.cpp, the one list of built-in components. InstallBuiltins() hands it to the layers that use it
// without depending on it (plugin/registry.h: BuiltinRegistry; runtime/pipeline_rewrites.h): every executable
// calls it first thing in main().
#pragma once

namespace pipeline {

void InstallBuiltins();

}  // namespace pipeline
