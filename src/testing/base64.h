// Base64 (RFC 4648, with padding): ksqlDB's test vectors spell header values and BYTES this way.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace pipeline::testing {

std::string EncodeBase64(std::string_view bytes);
// nullopt when `text` is not valid base64.
std::optional<std::string> DecodeBase64(std::string_view text);

}  // namespace pipeline::testing
