// Upper-casing for SQL identifiers, keywords and property values: unquoted names are case-insensitive and kept
// upper-cased (ASCII only), as ksqlDB keeps them. Data strings use UCASE's Unicode mapping instead.
#pragma once

#include <cctype>
#include <string>

namespace pipeline::sql {

inline std::string AsciiUpper(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

}  // namespace pipeline::sql
