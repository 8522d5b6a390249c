// Each transform file defines one Register function; register_transforms.cpp is the one list that calls them.
#pragma once

namespace pipeline {
class Registry;

// All of the below (register_transforms.cpp); called from src/builtin.cpp.
void RegisterTransforms(Registry& registry);

void RegisterInsertField(Registry& registry);         // insert_field.cpp
void RegisterReplaceField(Registry& registry);        // replace_field.cpp
void RegisterMaskField(Registry& registry);           // mask_field.cpp
void RegisterCast(Registry& registry);                // cast.cpp
void RegisterExtractField(Registry& registry);        // extract_field.cpp
void RegisterValueToKey(Registry& registry);          // value_to_key.cpp
void RegisterHoistField(Registry& registry);          // hoist_field.cpp
void RegisterFlatten(Registry& registry);             // flatten.cpp
void RegisterTimestampConverter(Registry& registry);  // timestamp_converter.cpp
void RegisterRegexRouter(Registry& registry);         // regex_router.cpp
void RegisterTimestampRouter(Registry& registry);     // timestamp_router.cpp
void RegisterFilter(Registry& registry);              // filter.cpp
void RegisterHeaderFrom(Registry& registry);          // header_from.cpp
void RegisterInsertHeader(Registry& registry);        // insert_header.cpp
void RegisterDropHeaders(Registry& registry);         // drop_headers.cpp

}  // namespace pipeline
