// Documents derived from the registry's specs, so they cannot drift from the code: the JSON Schema of the
// pipeline file (schemas/pipeline.schema.json) and the component reference in the README.
#pragma once

#include <string>

namespace pipeline {
class Registry;
namespace config {

std::string RenderJsonSchema(const Registry& registry);
std::string RenderReferenceMarkdown(const Registry& registry);

}  // namespace config
}  // namespace pipeline
