// The byte <-> text encodings of ENCODE, TO_BYTES and FROM_BYTES: hex, utf8, ascii, base64.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace pipeline::sql::scalar {

enum class TextEncoding { kHex, kUtf8, kAscii, kBase64 };

// Case-insensitive "hex" / "utf8" / "ascii" / "base64"; nullopt otherwise.
std::optional<TextEncoding> ParseTextEncoding(std::string_view name);

// Text -> bytes. hex accepts ksqlDB's "0x..." (odd length left-padded) and "X'...'" forms; ascii maps every
// non-ASCII character to '?'. nullopt when the text is not valid in the encoding.
std::optional<std::string> DecodeText(std::string_view text, TextEncoding encoding);
// Bytes -> text. ascii and utf8 replace invalid bytes with U+FFFD.
std::string EncodeBytes(std::string_view bytes, TextEncoding encoding, bool upper_hex = false);

std::string Base64Encode(std::string_view bytes);
std::optional<std::string> Base64Decode(std::string_view text);
std::string HexEncode(std::string_view bytes, bool upper);

}  // namespace pipeline::sql::scalar
