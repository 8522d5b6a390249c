#include "connectors/elasticsearch/server_flavor.h"

#include <cstdlib>

#include "formats/json.h"

namespace pipeline::elasticsearch {

std::string ServerFlavor::Describe() const {
  return (product == Product::kOpenSearch ? "OpenSearch " : "Elasticsearch ") + version;
}

Result<ServerFlavor> ReadServerFlavor(std::string_view banner, const std::string* elastic_product_header) {
  auto parsed = ParseJson(banner);
  const Value* version = parsed.ok() ? parsed->Field("version") : nullptr;
  const Value* number = version ? version->Field("number") : nullptr;
  if (!number || !number->is_string())
    return FatalError("the server's GET / answer has no version.number: is this Elasticsearch or OpenSearch? (" +
                      std::string(banner.substr(0, 120)) + ")");
  ServerFlavor flavor;
  flavor.version = number->as_string();
  flavor.major = std::atoi(flavor.version.c_str());
  const Value* distribution = version->Field("distribution");
  if (distribution && distribution->is_string() && distribution->as_string() == "opensearch") {
    flavor.product = Product::kOpenSearch;
    if (flavor.major < 1) return FatalError("unsupported OpenSearch version " + flavor.version);
    return flavor;
  }
  if (flavor.major < 7)
    return FatalError("Elasticsearch " + flavor.version + " is not supported: the sink needs 7.0 or later");
  // Elasticsearch 7.14+ names itself in this header; a server that claims a later version without it is not one.
  bool says_elasticsearch = elastic_product_header && *elastic_product_header == "Elasticsearch";
  int minor = std::atoi(flavor.version.c_str() + flavor.version.find('.') + 1);
  if (!says_elasticsearch && (flavor.major > 7 || minor >= 14))
    return FatalError("the server says it is Elasticsearch " + flavor.version +
                      " but sends no X-Elastic-Product: Elasticsearch header");
  return flavor;
}

}  // namespace pipeline::elasticsearch
