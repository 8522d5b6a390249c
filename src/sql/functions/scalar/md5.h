// MD5 (RFC 1321), for the MD5 SQL function; small enough to carry instead of linking a crypto library.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

namespace pipeline::sql::scalar {

std::array<uint8_t, 16> Md5(std::string_view data);

}  // namespace pipeline::sql::scalar
