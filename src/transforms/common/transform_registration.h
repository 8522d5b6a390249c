// Registration helpers shared by every transform: each transform also accepts Kafka Connect's `predicate` and
// `negate` options (KIP-585), and transforms with `$Key` / `$Value` variants register three names.
#pragma once

#include <functional>
#include <memory>

#include "plugin/registry.h"
#include "transforms/common/record_part.h"

namespace pipeline {

// Adds the `predicate` and `negate` options to `spec` and registers a factory whose transforms only apply to
// records matching the predicate (the others pass through unchanged).
void AddPredicatedTransform(Registry& registry, ComponentSpec spec, TransformFactory factory);

using PartSpecFn = std::function<ComponentSpec(RecordPart)>;
using PartTransformFactory =
    std::function<Result<std::unique_ptr<RecordTransform>>(const Options&, const BuildContext&, RecordPart)>;

// Registers `Name` and `Name$Value` (working on the record value) and `Name$Key` (working on the key), where
// Name is spec(part).type.
void AddKeyValueTransforms(Registry& registry, const PartSpecFn& spec, PartTransformFactory factory);

// The kind name a DataError uses for a value ("string", "struct", …).
std::string KindNameOf(const Value& v);

}  // namespace pipeline
