// Registry: the one list of component types pipe knows. Filled by src/builtin.cpp (BuiltinRegistry below);
// read by the config loader, `pipe validate`, `pipe docs` and the runtime.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/result.h"
#include "plugin/options.h"
#include "plugin/processor.h"
#include "plugin/record_transform.h"
#include "plugin/sink.h"
#include "plugin/source.h"
#include "plugin/spec.h"

namespace pipeline {

// What a factory knows besides its options.
struct BuildContext {
  std::string name;          // the component's name in the pipeline file
  std::string pipeline_dir;  // folder of the pipeline file, for relative paths
  std::vector<std::string> inputs;  // streams a sink/stage reads
};

using SourceFactory = std::function<Result<std::unique_ptr<Source>>(const Options&, const BuildContext&)>;
using SinkFactory = std::function<Result<std::unique_ptr<Sink>>(const Options&, const BuildContext&)>;
using TransformFactory = std::function<Result<std::unique_ptr<RecordTransform>>(const Options&, const BuildContext&)>;
using ProcessorFactory = std::function<Result<std::unique_ptr<Processor>>(const Options&, const BuildContext&)>;

class Registry {
 public:
  void AddSource(ComponentSpec spec, SourceFactory f);
  void AddSink(ComponentSpec spec, SinkFactory f);
  void AddTransform(ComponentSpec spec, TransformFactory f);  // single-message transforms
  void AddStage(ComponentSpec spec, ProcessorFactory f);      // top-level transforms (sql, chain)

  const ComponentSpec* FindSpec(ComponentKind kind, const std::string& type) const;
  std::vector<const ComponentSpec*> Specs(ComponentKind kind) const;  // sorted by type
  std::vector<std::string> TypeNames(ComponentKind kind) const;

  const SourceFactory* FindSource(const std::string& type) const;
  const SinkFactory* FindSink(const std::string& type) const;
  const TransformFactory* FindTransform(const std::string& type) const;
  const ProcessorFactory* FindStage(const std::string& type) const;

 private:
  template <class F>
  struct Entry {
    ComponentSpec spec;
    F factory;
  };
  std::map<std::string, Entry<SourceFactory>> sources_;
  std::map<std::string, Entry<SinkFactory>> sinks_;
  std::map<std::string, Entry<TransformFactory>> transforms_;
  std::map<std::string, Entry<ProcessorFactory>> stages_;
};

// The process-wide registry with every built-in component registered, filled at its first use by the function
// installed here. src/builtin.cpp (the one list of components) installs it: main() and the unit tests' main call
// InstallBuiltins() (src/builtin.h) first. So the layers below read the list without linking to it; a use before
// the installation aborts, naming it.
void SetBuiltinRegistration(void (*register_builtins)(Registry& registry));
const Registry& BuiltinRegistry();
// The same registry, for unit tests that add components of their own (a source that counts its keepalives)
// before building a pipeline. The pipe binary never calls it.
Registry& RegistryForTests();

}  // namespace pipeline
