// Option specs: every source, sink and transform declares its options once. The config loader validates
// against them (unknown keys, types, required), and `pipe docs` derives the README reference and the JSON
// Schema from them, so documentation cannot drift from the code.
#pragma once

#include <functional>
#include <string>
#include <vector>

namespace pipeline {

class Options;

enum class OptionType {
  kString,
  kInt,
  kDouble,
  kBool,
  kDuration,    // "250ms", "5s", "1m", "2h" or a number of milliseconds
  kEnum,        // one of `choices`
  kStringList,  // a string or a list of strings
  kMap,         // string -> scalar
  kList,        // a list of objects/values, checked by the component itself
  kAny,         // anything; the component checks it
  kObject,      // a mapping whose keys are `fields` (typed, validated, documented like top-level options)
  kObjectList,  // a list of such mappings
};

struct OptionSpec {
  std::string name;
  OptionType type = OptionType::kString;
  std::string description;
  std::string default_value;          // empty = no default
  bool required = false;
  std::vector<std::string> choices;   // for kEnum
  bool secret = false;                // never printed
  std::vector<OptionSpec> fields;     // kObject, kObjectList: the nested options
  // An older name of the option named here: still accepted, read as that option, and `pipe validate` warns.
  std::string deprecated_for;
};

enum class ComponentKind { kSource, kSink, kTransform, kStage };

struct ComponentSpec {
  std::string type;      // the `type:` value in YAML
  ComponentKind kind = ComponentKind::kSource;
  std::string summary;   // one line for the reference
  std::vector<OptionSpec> options;
  std::string example;   // YAML snippet for the docs (optional)
  // Sources: whether these options make the source end by itself (read once, a count, stop at the end); null:
  // never. A pipeline whose sources all end is finite.
  std::function<bool(const Options&)> ends_by_itself;
};

std::string_view OptionTypeName(OptionType t);
std::string_view ComponentKindName(ComponentKind k);

}  // namespace pipeline
