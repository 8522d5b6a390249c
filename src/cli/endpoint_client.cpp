#include "cli/endpoint_client.h"

namespace pipeline::cli {

Result<EndpointAddress> ParseEndpointAddress(const std::string& address) {
  const std::string usage = "--http " + address + ": expected HOST:PORT, the address `pipe run --http` serves on";
  size_t colon = address.rfind(':');
  if (colon == std::string::npos || colon == 0) return ConfigError(usage);
  EndpointAddress out{address.substr(0, colon), 0};
  std::string port = address.substr(colon + 1);
  if (out.host.size() > 2 && out.host.front() == '[' && out.host.back() == ']')
    out.host = out.host.substr(1, out.host.size() - 2);
  if (port.empty() || port.size() > 5 || port.find_first_not_of("0123456789") != std::string::npos ||
      std::stoi(port) == 0 || std::stoi(port) > 65535)
    return ConfigError(usage + " (the port from 1 to 65535)");
  out.port = std::stoi(port);
  return out;
}

std::string UnreachableMessage(const std::string& address, const std::string& why) {
  return "cannot reach " + address + " (" + why + "): is a pipeline running with `pipe run FILE --http " + address +
         "`?";
}

}  // namespace pipeline::cli
