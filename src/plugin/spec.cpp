#include "plugin/spec.h"

namespace pipeline {

std::string_view OptionTypeName(OptionType t) {
  switch (t) {
    case OptionType::kString: return "string";
    case OptionType::kInt: return "integer";
    case OptionType::kDouble: return "number";
    case OptionType::kBool: return "boolean";
    case OptionType::kDuration: return "duration";
    case OptionType::kEnum: return "enum";
    case OptionType::kStringList: return "list of strings";
    case OptionType::kMap: return "map";
    case OptionType::kList: return "list";
    case OptionType::kAny: return "any";
    case OptionType::kObject: return "object";
    case OptionType::kObjectList: return "list of objects";
  }
  return "?";
}

std::string_view ComponentKindName(ComponentKind k) {
  switch (k) {
    case ComponentKind::kSource: return "source";
    case ComponentKind::kSink: return "sink";
    case ComponentKind::kTransform: return "transform";
    case ComponentKind::kStage: return "stage";
  }
  return "?";
}

}  // namespace pipeline
