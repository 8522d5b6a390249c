#include "connectors/http/request_body.h"

#include "formats/json.h"

namespace pipeline::http {

void AppendJsonStringContent(std::string_view text, std::string& out) {
  std::string quoted;
  AppendJsonString(text, quoted);
  out.append(quoted, 1, quoted.size() - 2);
}

std::string RequestBody::Encode(const Record& record) const {
  std::string out;
  if (settings_.format != BodyFormat::kTemplate) {
    AppendJson(record.value, out);
  } else if (settings_.json_escape) {
    settings_.body.RenderInserting(record, out, AppendJsonStringContent);
  } else {
    settings_.body.Render(record, out);
  }
  return out;
}

std::string RequestBody::Join(const std::vector<std::string>& parts) const {
  std::string body;
  switch (settings_.format) {
    case BodyFormat::kTemplate:
    case BodyFormat::kJson:
      for (const auto& part : parts) body += part;  // one part per request
      break;
    case BodyFormat::kNdjson:
      for (const auto& part : parts) (body += part) += '\n';
      break;
    case BodyFormat::kJsonArray:
      body += '[';
      for (size_t i = 0; i < parts.size(); ++i) (body += i ? "," : "") += parts[i];
      body += ']';
      break;
  }
  return body;
}

}  // namespace pipeline::http
