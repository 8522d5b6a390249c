// Option values as the user wrote them -> numbers, range-checked. Every number a user writes goes through a
// check like these: std::stoll throws on overflow, which ended the process (issue 19).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace pipeline {

// The whole text as a base-10 integer ("+" or "-" allowed); nullopt when it is not one or does not fit 64 bits.
std::optional<int64_t> ParseInt64(const std::string& text);
// The whole text as a finite number; nullopt for text that is not a number, for inf and nan, and for numbers
// beyond a double's range (1e400), which would otherwise become infinity.
std::optional<double> ParseFiniteDouble(const std::string& text);
// True when the text is an optional sign and digits only: an integer in form, whether or not it fits.
bool IsIntegerText(const std::string& text);

}  // namespace pipeline
