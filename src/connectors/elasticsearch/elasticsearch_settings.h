// The `elasticsearch` sink's options (spec and parsed settings); README.md documents them.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "core/result.h"
#include "plugin/auth_options.h"
#include "plugin/batch_options.h"
#include "plugin/options.h"
#include "plugin/record_template.h"
#include "plugin/spec.h"
#include "plugin/tls_options.h"

namespace pipeline::elasticsearch {

// Where a document's `_id` comes from. kKeyOrAuto: `id` not written — the key when a record has one.
enum class IdSource { kKeyOrAuto, kKey, kPosition, kAuto };
enum class WriteAction { kIndex, kCreate, kUpdate };

// How values that JSON has no type for are written into documents.
struct DocumentFormat {
  bool timestamps_as_iso8601 = true;  // else epoch milliseconds
  bool decimals_as_strings = false;   // else plain JSON numbers; never base64
};

struct IndexTemplate {
  std::string name;  // empty: none
  std::string body;  // JSON text of the composable index template
};

struct ElasticsearchSettings {
  std::string name;
  std::vector<std::string> urls;  // without a trailing slash
  RecordTemplate index;
  IdSource id = IdSource::kKeyOrAuto;
  WriteAction action = WriteAction::kIndex;
  bool delete_on_tombstone = true;
  bool external_versions = false;
  AuthSettings auth;
  TlsSettings tls;
  bool gzip = false;
  BatchLimits batch;
  DocumentFormat format;
  IndexTemplate index_template;
  std::chrono::milliseconds request_timeout{30'000};
};

ComponentSpec ElasticsearchSinkSpec();
Result<ElasticsearchSettings> ParseElasticsearchSettings(const Options& options, const std::string& name,
                                                         const std::string& pipeline_dir);

}  // namespace pipeline::elasticsearch
