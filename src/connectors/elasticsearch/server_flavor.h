// What `GET /` says the server is: Elasticsearch 7 or 8, or OpenSearch 1 or 2. They take the same typeless bulk
// shapes; older or unknown servers are refused at start with a message naming what was found.
#pragma once

#include <string>
#include <string_view>

#include "core/result.h"

namespace pipeline::elasticsearch {

enum class Product { kElasticsearch, kOpenSearch };

struct ServerFlavor {
  Product product = Product::kElasticsearch;
  int major = 0;
  std::string version;  // "8.11.3"
  std::string Describe() const;  // "Elasticsearch 8.11.3"
};

// From the banner's body and its X-Elastic-Product header (null when absent). Elasticsearch 7.14 and later send
// the header; OpenSearch sends version.distribution "opensearch" and no header.
Result<ServerFlavor> ReadServerFlavor(std::string_view banner, const std::string* elastic_product_header);

}  // namespace pipeline::elasticsearch
