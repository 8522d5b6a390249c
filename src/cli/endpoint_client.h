// Reaching the --http endpoint of a running `pipe run` from another process (`pipe tap`, `pipe top`).
#pragma once

#include <string>

#include "core/result.h"

namespace pipeline::cli {

// Where `pipe tap` and `pipe top` look when no --http is given: the address the README's examples serve on.
inline constexpr const char* kDefaultHttpAddress = "127.0.0.1:8686";

struct EndpointAddress {
  std::string host;  // without IPv6 brackets
  int port = 0;
};

// "HOST:PORT" ("[::1]:8686" for IPv6); a ConfigError saying what is expected otherwise.
Result<EndpointAddress> ParseEndpointAddress(const std::string& address);

// What to tell a user whose request could not reach the endpoint (httplib's error, and the likely cause).
std::string UnreachableMessage(const std::string& address, const std::string& why);

}  // namespace pipeline::cli
