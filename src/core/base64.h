// Base64 (RFC 4648, with padding): ksqlDB's test vectors spell header values and BYTES this way, and dead letters
// keep bytes that are not UTF-8 in it.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace pipeline {

std::string EncodeBase64(std::string_view bytes);
// nullopt when `text` is not valid base64.
std::optional<std::string> DecodeBase64(std::string_view text);

}  // namespace pipeline
