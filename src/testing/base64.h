// Base64 moved to core/base64.h (dead letters use it too); the testing code keeps its names.
#pragma once

#include "core/base64.h"

namespace pipeline::testing {
using pipeline::DecodeBase64;
using pipeline::EncodeBase64;
}  // namespace pipeline::testing
