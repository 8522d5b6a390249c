#include "connectors/elasticsearch/bulk_item.h"

#include "connectors/elasticsearch/document_json.h"
#include "formats/json.h"

namespace pipeline::elasticsearch {

namespace {

constexpr int kMinorBits = 20;
constexpr size_t kMaxIdBytes = 512;  // Elasticsearch refuses longer ids

std::string_view OpName(BulkOp op) {
  switch (op) {
    case BulkOp::kIndex: return "index";
    case BulkOp::kCreate: return "create";
    case BulkOp::kUpdate: return "update";
    case BulkOp::kDelete: return "delete";
  }
  return "index";
}

BulkOp OpFor(WriteAction action) {
  return action == WriteAction::kCreate ? BulkOp::kCreate
         : action == WriteAction::kUpdate ? BulkOp::kUpdate
                                          : BulkOp::kIndex;
}

}  // namespace

Result<int64_t> ExternalVersion(const Position& position) {
  if (!position.valid())
    return DataError("version_type external: the record has no source position to take its version from");
  if (position.major < 0 || position.major >= (int64_t{1} << (63 - kMinorBits)) || position.minor < 0 ||
      position.minor >= (int64_t{1} << kMinorBits))
    return DataError("version_type external: position " + position.ToString() +
                     " does not fit an Elasticsearch version (major below 2^43, minor below 2^20)");
  return (position.major << kMinorBits) | position.minor;
}

std::string IndexNameProblem(const std::string& name) {
  if (name.empty()) return "the index name is empty";
  if (name.size() > 255) return "the index name '" + name.substr(0, 40) + "...' is longer than 255 bytes";
  if (name == "." || name == "..") return "the index name cannot be '" + name + "'";
  if (name[0] == '-' || name[0] == '_' || name[0] == '+')
    return "the index name '" + name + "' starts with '" + name[0] + "'";
  for (char c : name) {
    if (c >= 'A' && c <= 'Z') return "the index name '" + name + "' has upper-case letters";
    if (std::string_view("\\/*?\"<>| ,#:").find(c) != std::string_view::npos)
      return "the index name '" + name + "' holds '" + std::string(1, c) + "'";
  }
  return "";
}

BulkItemBuilder::BulkItemBuilder(const ElasticsearchSettings& settings) : settings_(settings) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::random_device random;
  for (int i = 0; i < 12; ++i) auto_id_prefix_ += kAlphabet[random() % 64];
}

std::string BulkItemBuilder::NextAutoId() {
  char counter[24];
  std::snprintf(counter, sizeof counter, "%08llx", static_cast<unsigned long long>(auto_id_counter_++));
  return auto_id_prefix_ + counter;
}

Result<std::string> BulkItemBuilder::DocumentId(const Record& record) {
  IdSource source = settings_.id;
  if (source == IdSource::kKeyOrAuto) source = record.key.is_null() ? IdSource::kAuto : IdSource::kKey;
  std::string id;
  switch (source) {
    case IdSource::kAuto:
      return NextAutoId();
    case IdSource::kPosition:
      if (!record.position.valid()) return DataError("id: position: the record has no source position");
      return record.position.ToString();
    default:
      if (record.key.is_null()) return DataError("id: key: the record has no key");
      id = record.key.is_string() ? record.key.as_string()
           : record.key.is_bytes() ? record.key.as_bytes().data
                                   : ToJson(record.key);
  }
  if (id.empty()) return DataError("id: key: the record's key is empty");
  if (id.size() > kMaxIdBytes) return DataError("id: key: the key is longer than Elasticsearch's 512-byte ids");
  return id;
}

Result<BulkItem> BulkItemBuilder::Build(const Record& record) {
  BulkItem item;
  const bool tombstone = record.value.is_null();
  if (tombstone && !settings_.delete_on_tombstone)
    return DataError("a null value (tombstone) cannot be indexed and delete_on_tombstone is false");
  if (tombstone && (settings_.id == IdSource::kAuto || (settings_.id == IdSource::kKeyOrAuto && record.key.is_null())))
    return DataError("a tombstone without a key names no document to delete");
  item.op = tombstone ? BulkOp::kDelete : OpFor(settings_.action);
  item.index = settings_.index.Render(record);
  if (std::string problem = IndexNameProblem(item.index); !problem.empty())
    return DataError("index '" + settings_.index.text() + "': " + problem);
  auto id = DocumentId(record);
  if (!id.ok()) return id.error();
  item.id = std::move(*id);

  std::string& out = item.lines;
  out += "{\"";
  out += OpName(item.op);
  out += "\":{\"_index\":";
  AppendJsonString(item.index, out);
  out += ",\"_id\":";
  AppendJsonString(item.id, out);
  if (settings_.external_versions) {
    auto version = ExternalVersion(record.position);
    if (!version.ok()) return version.error();
    out += ",\"version\":" + std::to_string(*version) + ",\"version_type\":\"external\"";
  }
  out += "}}\n";
  if (item.op == BulkOp::kDelete) return item;
  if (item.op == BulkOp::kUpdate) out += "{\"doc\":";
  AppendDocument(record.value, settings_.format, out);
  if (item.op == BulkOp::kUpdate) out += ",\"doc_as_upsert\":true}";
  out += '\n';
  return item;
}

}  // namespace pipeline::elasticsearch
