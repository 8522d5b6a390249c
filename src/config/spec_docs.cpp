#include "config/spec_docs.h"

#include <algorithm>

#include "config/common_keys.h"
#include "formats/json.h"
#include "plugin/registry.h"

namespace pipeline::config {

namespace {

std::string Str(const std::string& s) {
  std::string out;
  AppendJsonString(s, out);
  return out;
}

std::string OptionSchema(const OptionSpec& o);

// {"type": "object", "properties": {…}, "required": […], "additionalProperties": false} of nested fields.
std::string FieldsSchema(const std::vector<OptionSpec>& fields) {
  std::string props, required;
  for (const auto& f : fields) {
    props += (props.empty() ? "" : ", ") + Str(f.name) + ": " + OptionSchema(f);
    if (f.required) required += (required.empty() ? "" : ", ") + Str(f.name);
  }
  std::string out = "\"type\": \"object\", \"properties\": {" + props + "}";
  if (!required.empty()) out += ", \"required\": [" + required + "]";
  return out + ", \"additionalProperties\": false";
}

std::string OptionSchema(const OptionSpec& o) {
  std::string t;
  switch (o.type) {
    case OptionType::kString: t = R"("type": ["string", "number", "boolean"])"; break;
    case OptionType::kInt: t = R"("type": "integer")"; break;
    case OptionType::kDouble: t = R"("type": "number")"; break;
    case OptionType::kBool: t = R"("type": "boolean")"; break;
    case OptionType::kDuration:
      t = R"("anyOf": [{"type": "integer", "minimum": 0}, {"type": "string", "pattern": "^[0-9]+(\\.[0-9]+)?(ms|s|m|min|h|d)?$"}])";
      break;
    case OptionType::kEnum: {
      t = "\"enum\": [";
      for (size_t i = 0; i < o.choices.size(); ++i) t += (i ? ", " : "") + Str(o.choices[i]);
      t += "]";
      break;
    }
    case OptionType::kStringList:
      t = R"("anyOf": [{"type": "string"}, {"type": "array", "items": {"type": ["string", "number", "boolean"]}}])";
      break;
    case OptionType::kMap: t = R"("type": "object")"; break;
    case OptionType::kList: t = R"("type": "array")"; break;
    case OptionType::kAny: t = ""; break;
    case OptionType::kObject: t = FieldsSchema(o.fields); break;
    case OptionType::kObjectList: t = "\"type\": \"array\", \"items\": {" + FieldsSchema(o.fields) + "}"; break;
  }
  // The loader substitutes ${VAR} before it reads a value as a number, a flag, a duration or a choice, so the
  // schema accepts a reference there too (an editor would otherwise flag `rate: ${RATE:-5}` as wrong).
  switch (o.type) {
    case OptionType::kInt:
    case OptionType::kDouble:
    case OptionType::kBool:
    case OptionType::kDuration:
    case OptionType::kEnum:
      t = "\"anyOf\": [{" + t + R"(}, {"type": "string", "pattern": "\\$\\{"}])";
      break;
    default:
      break;
  }
  std::string description = o.description;
  if (!o.deprecated_for.empty()) description = "Deprecated: use " + o.deprecated_for + ". " + description;
  std::string out = "{" + t + (t.empty() ? "" : ", ") + "\"description\": " + Str(description);
  if (!o.deprecated_for.empty()) out += ", \"deprecated\": true";
  if (!o.default_value.empty()) out += ", \"default\": " + Str(o.default_value);
  return out + "}";
}

std::string CommonKeySchema(const std::string& key) {
  if (key == "type") return "";  // set per component as a const
  if (key == "inputs")
    return R"({"anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}, "minItems": 1}], "description": "The stream or streams this component reads."})";
  if (key == "transforms")
    return R"({"type": "array", "items": {"$ref": "#/definitions/transform_step"}, "description": "Single-message transforms applied in order."})";
  if (key == "on_error")
    return R"({"enum": ["fail", "skip", "dead_letter"], "default": "fail", "description": "What happens to a record that fails to decode, transform or be delivered (a sink's target refused it)."})";
  if (key == "dead_letter_path") return R"({"type": "string", "description": "Where on_error: dead_letter writes failed records: a JSON-lines file, or kafka://<bootstrap servers>/<topic>."})";
  if (key == "flush_interval")
    return R"({"anyOf": [{"type": "integer"}, {"type": "string"}], "default": "1s", "description": "How often the sink flushes (and lets sources commit)."})";
  if (key == "via")
    return R"({"anyOf": [{"const": "kafka"}, {"type": "object", "properties": {"type": {"const": "kafka"}, "topic": {"type": "string"}, "partitions": {"type": "integer"}, "bootstrap_servers": {"type": "string"}}, "required": ["type"], "additionalProperties": false}], "description": "Carry this stream through a Kafka topic."})";
  if (key == "predicate")
    return R"({"anyOf": [{"type": "string"}, {"type": "object", "properties": {"type": {"type": "string"}}, "required": ["type"]}], "description": "Apply the transform only to records matching this predicate."})";
  if (key == "negate") return R"({"type": "boolean", "description": "Invert the predicate."})";
  if (key == "description") return R"({"type": "string", "description": "Free text for people."})";
  if (key == "retry")
    return R"({"type": "object", "properties": {)"
           R"("initial_backoff": {"anyOf": [{"type": "integer"}, {"type": "string"}], "default": "100ms", "description": "Wait after the first failure; doubles per failure, with jitter."}, )"
           R"("max_backoff": {"anyOf": [{"type": "integer"}, {"type": "string"}], "default": "10s", "description": "Longest wait between two attempts."}, )"
           R"("max_elapsed": {"anyOf": [{"type": "integer"}, {"type": "string"}], "description": "Give up (the pipeline fails with the last error) after retrying this long; default: retry until stopped."}}, )"
           R"("additionalProperties": false, "description": "How connecting, reading, writing and flushing are retried when the error is transient (exponential backoff with jitter)."})";
  return "{}";
}

std::string ComponentSchema(const ComponentSpec& spec, const std::vector<std::string>& common) {
  std::string props = "\"type\": {\"const\": " + Str(spec.type) + "}";
  for (const auto& k : common) {
    std::string s = CommonKeySchema(k);
    if (!s.empty()) props += ", " + Str(k) + ": " + s;
  }
  std::string required = "\"type\"";
  for (const auto& o : spec.options) {
    bool is_common = std::find(common.begin(), common.end(), o.name) != common.end();
    if (!is_common) props += ", " + Str(o.name) + ": " + OptionSchema(o);
    if (o.required) required += ", " + Str(o.name);
  }
  return "{\"type\": \"object\", \"description\": " + Str(spec.summary) + ", \"properties\": {" + props +
         "}, \"required\": [" + required + "], \"additionalProperties\": false}";
}

std::string OneOf(const std::vector<std::string>& refs) {
  std::string out = "{\"oneOf\": [";
  for (size_t i = 0; i < refs.size(); ++i) out += (i ? ", " : "") + std::string("{\"$ref\": \"#/definitions/") + refs[i] + "\"}";
  return out + "]}";
}

}  // namespace

std::string RenderJsonSchema(const Registry& registry) {
  std::string defs;
  auto add = [&](const std::string& id, const std::string& schema) {
    defs += (defs.empty() ? "    " : ",\n    ") + Str(id) + ": " + schema;
  };
  std::vector<std::string> source_refs, stage_refs, sink_refs, step_refs;
  for (const auto* s : registry.Specs(ComponentKind::kSource)) {
    add("source." + s->type, ComponentSchema(*s, kSourceKeys));
    source_refs.push_back("source." + s->type);
  }
  for (const auto* s : registry.Specs(ComponentKind::kStage)) {
    add("stage." + s->type, ComponentSchema(*s, kStageKeys));
    stage_refs.push_back("stage." + s->type);
  }
  for (const auto* s : registry.Specs(ComponentKind::kTransform)) {
    add("step." + s->type, ComponentSchema(*s, kTransformKeys));
    step_refs.push_back("step." + s->type);
    // A single-message transform may also stand as a top-level transform with inputs.
    add("stage." + s->type, ComponentSchema(*s, kStageKeys));
    stage_refs.push_back("stage." + s->type);
  }
  for (const auto* s : registry.Specs(ComponentKind::kSink)) {
    add("sink." + s->type, ComponentSchema(*s, kSinkKeys));
    sink_refs.push_back("sink." + s->type);
  }
  add("source", OneOf(source_refs));
  add("stage", OneOf(stage_refs));
  add("sink", OneOf(sink_refs));
  add("transform_step", OneOf(step_refs));
  return std::string("{\n") +
         "  \"$schema\": \"http://json-schema.org/draft-07/schema#\",\n"
         "  \"$id\": \"https://pipe.dev/schemas/pipeline.schema.json\",\n"
         "  \"title\": \"pipe pipeline file\",\n"
         "  \"description\": \"Generated by `pipe docs --schema` from the component specs; do not edit by hand.\",\n"
         "  \"type\": \"object\",\n"
         "  \"additionalProperties\": false,\n"
         "  \"properties\": {\n"
         "    \"sources\": {\"type\": \"object\", \"additionalProperties\": {\"$ref\": \"#/definitions/source\"}},\n"
         "    \"transforms\": {\"type\": [\"object\", \"null\"], \"additionalProperties\": {\"$ref\": \"#/definitions/stage\"}},\n"
         "    \"sinks\": {\"type\": \"object\", \"additionalProperties\": {\"$ref\": \"#/definitions/sink\"}},\n"
         "    \"settings\": {\"type\": \"object\", \"properties\": {\"queue_capacity\": {\"type\": \"integer\", \"minimum\": 1, \"maximum\": " +
         std::to_string(kMaxQueueCapacity) + ", \"description\": \"Batches buffered per edge between stages.\"}}, \"additionalProperties\": false}\n"
         "  },\n"
         "  \"required\": [\"sources\", \"sinks\"],\n"
         "  \"definitions\": {\n" +
         defs + "\n  }\n}\n";
}

// One table row per option; the fields of an object follow as `parent.field` rows.
static void AppendOptionRows(const OptionSpec& o, const std::string& prefix, std::string& out) {
  std::string type(OptionTypeName(o.type));
  if (o.type == OptionType::kEnum) {
    type.clear();
    for (size_t i = 0; i < o.choices.size(); ++i) type += (i ? " \\| " : "") + o.choices[i];
  }
  std::string desc = o.deprecated_for.empty() ? o.description : "Deprecated: use `" + o.deprecated_for + "`.";
  for (auto& c : desc)
    if (c == '\n') c = ' ';
  std::string pipe_escaped;
  for (char c : desc) pipe_escaped += c == '|' ? std::string("\\|") : std::string(1, c);
  out += "| `" + prefix + o.name + "`" + (o.required ? " (required)" : "") + " | " + type + " | " +
         (o.default_value.empty() ? "" : "`" + o.default_value + "`") + " | " + pipe_escaped + " |\n";
  const std::string nested = prefix + o.name + (o.type == OptionType::kObjectList ? "[]." : ".");
  for (const auto& f : o.fields) AppendOptionRows(f, nested, out);
}

std::string RenderReferenceMarkdown(const Registry& registry) {
  std::string out;
  auto section = [&](ComponentKind kind, const std::string& title, const std::vector<std::string>& common) {
    out += "### " + title + "\n\n";
    out += "Every " + std::string(ComponentKindName(kind)) + " also accepts: ";
    for (size_t i = 0; i < common.size(); ++i) out += (i ? ", " : "") + ("`" + common[i] + "`");
    out += ".\n\n";
    for (const auto* s : registry.Specs(kind)) {
      out += "#### `" + s->type + "`\n\n" + s->summary + "\n\n";
      if (s->options.empty()) {
        out += "No options.\n\n";
        continue;
      }
      out += "| option | type | default | description |\n|---|---|---|---|\n";
      for (const auto& o : s->options) AppendOptionRows(o, "", out);
      out += "\n";
    }
  };
  section(ComponentKind::kSource, "Sources", kSourceKeys);
  section(ComponentKind::kStage, "Transform stages", kStageKeys);
  section(ComponentKind::kTransform, "Single-message transforms", kTransformKeys);
  section(ComponentKind::kSink, "Sinks", kSinkKeys);
  return out;
}

}  // namespace pipeline::config
