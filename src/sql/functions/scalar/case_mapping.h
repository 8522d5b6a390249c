// Upper/lower casing without the process locale (std::toupper/towupper follow the global C locale, which a
// library must not change). Covers ASCII, Latin-1, Latin Extended-A, Greek and Cyrillic; other scripts are
// left as they are.
#pragma once

#include <string>
#include <string_view>

namespace pipeline::sql::scalar {

char32_t ToUpperCodePoint(char32_t c);
char32_t ToLowerCodePoint(char32_t c);
std::string ToUpper(std::string_view s);
std::string ToLower(std::string_view s);
// Java's Character.isWhitespace for the characters that matter in practice.
bool IsJavaWhitespace(char32_t c);

}  // namespace pipeline::sql::scalar
