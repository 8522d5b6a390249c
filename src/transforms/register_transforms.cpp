// The one list of single-message transforms (Kafka Connect names; see README.md).
#include "transforms/transforms.h"

namespace pipeline {

void RegisterTransforms(Registry& registry) {
  RegisterInsertField(registry);
  RegisterReplaceField(registry);
  RegisterMaskField(registry);
  RegisterCast(registry);
  RegisterExtractField(registry);
  RegisterValueToKey(registry);
  RegisterHoistField(registry);
  RegisterFlatten(registry);
  RegisterTimestampConverter(registry);
  RegisterRegexRouter(registry);
  RegisterTimestampRouter(registry);
  RegisterFilter(registry);
  RegisterHeaderFrom(registry);
  RegisterInsertHeader(registry);
  RegisterDropHeaders(registry);
}

}  // namespace pipeline
