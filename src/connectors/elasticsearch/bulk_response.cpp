#include "connectors/elasticsearch/bulk_response.h"

#include "formats/json.h"

namespace pipeline::elasticsearch {

namespace {

std::string StringField(const Value& object, std::string_view name) {
  const Value* v = object.Field(name);
  return v && v->is_string() ? v->as_string() : "";
}

Result<ItemResult> ReadItem(const Value& entry, size_t position) {
  // {"index": {"_index": ..., "status": 201, "result": "created"}} — one key, the action's name.
  const Value* body = entry.is_struct() && entry.as_struct().size() == 1 ? &entry.as_struct().values[0] : nullptr;
  const Value* status = body ? body->Field("status") : nullptr;
  if (!status || !status->is_int())
    return FatalError("elasticsearch bulk response: item " + std::to_string(position) + " has no status");
  ItemResult item;
  item.status = static_cast<int>(status->as_int());
  item.result = StringField(*body, "result");
  if (const Value* error = body->Field("error")) {
    if (error->is_string()) {
      item.error_reason = error->as_string();
    } else {
      item.error_type = StringField(*error, "type");
      item.error_reason = StringField(*error, "reason");
      if (const Value* cause = error->Field("caused_by"); cause && cause->Field("reason"))
        item.error_reason += " (caused by: " + StringField(*cause, "reason") + ")";
    }
  }
  return item;
}

}  // namespace

Result<std::vector<ItemResult>> ReadBulkResponse(std::string_view body, size_t expected) {
  auto parsed = ParseJson(body);
  if (!parsed.ok()) return FatalError("elasticsearch bulk response is not JSON: " + parsed.error().message());
  const Value* items = parsed->Field("items");
  if (!items || !items->is_array())
    return FatalError("elasticsearch bulk response has no items: " + std::string(body.substr(0, 200)));
  if (items->as_array().size() != expected)
    return FatalError("elasticsearch bulk response has " + std::to_string(items->as_array().size()) +
                      " items for " + std::to_string(expected) + " sent");
  std::vector<ItemResult> out;
  out.reserve(expected);
  for (size_t i = 0; i < expected; ++i) {
    auto item = ReadItem(items->as_array()[i], i);
    if (!item.ok()) return item.error();
    out.push_back(std::move(*item));
  }
  return out;
}

ItemFate FateOf(const ItemResult& item, BulkOp op, bool external_versions) {
  if (item.status >= 200 && item.status < 300) return ItemFate::kDelivered;
  if (op == BulkOp::kDelete && item.status == 404) return ItemFate::kDelivered;
  if (external_versions && item.status == 409 && item.error_type == "version_conflict_engine_exception")
    return ItemFate::kDelivered;
  if (item.status == 429 || item.status >= 500) return ItemFate::kRetry;
  return ItemFate::kRejected;
}

std::string RefusalMessage(const ItemResult& item) {
  std::string message = "elasticsearch refused the document (" + std::to_string(item.status);
  if (!item.error_type.empty()) message += " " + item.error_type;
  message += ")";
  if (!item.error_reason.empty()) message += ": " + item.error_reason;
  return message;
}

}  // namespace pipeline::elasticsearch
