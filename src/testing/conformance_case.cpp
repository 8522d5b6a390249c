#include "testing/conformance_case.h"

#include "formats/json.h"
#include "testing/base64.h"

namespace pipeline::testing {
namespace {

std::string TextOf(const Value* v) {
  if (!v || v->is_null()) return {};
  return v->is_string() ? v->as_string() : v->ToString();
}

Result<int64_t> IntField(const Value& object, std::string_view name) {
  const Value* v = object.Field(name);
  if (!v || !v->is_number()) return DataError("'" + std::string(name) + "' is not a number");
  return v->is_int() ? v->as_int() : int64_t(v->ToDouble());
}

Result<WindowBounds> ParseWindow(const Value& w) {
  auto start = IntField(w, "start");
  if (!start.ok()) return start.error();
  auto end = IntField(w, "end");
  if (!end.ok()) return end.error();
  return WindowBounds{*start, *end, TextOf(w.Field("type")) == "session"};
}

// Header values are base64 in the vectors; records carry raw bytes.
Result<std::vector<Header>> ParseHeaders(const Value& list) {
  std::vector<Header> headers;
  if (!list.is_array()) return DataError("'headers' is not a list");
  for (const Value& h : list.as_array()) {
    Header header{TextOf(h.Field("KEY")), std::nullopt};
    const Value* v = h.Field("VALUE");
    if (v && !v->is_null()) {
      auto bytes = DecodeBase64(TextOf(v));
      if (!bytes) return DataError("header '" + header.key + "' value is not base64");
      header.value = std::move(*bytes);
    }
    headers.push_back(std::move(header));
  }
  return headers;
}

Result<InputRecord> ParseInput(const Value& in) {
  InputRecord input;
  input.topic = TextOf(in.Field("topic"));
  input.record.topic = input.topic;
  if (const Value* k = in.Field("key")) input.record.key = *k;
  if (const Value* v = in.Field("value")) input.record.value = *v;
  if (in.Field("timestamp")) {
    auto ts = IntField(in, "timestamp");
    if (!ts.ok()) return ts.error();
    input.record.timestamp = *ts;
  }
  if (const Value* w = in.Field("window"); w && !w->is_null()) {
    auto window = ParseWindow(*w);
    if (!window.ok()) return window.error();
    input.record.window = *window;
  }
  if (const Value* h = in.Field("headers"); h && !h->is_null()) {
    auto headers = ParseHeaders(*h);
    if (!headers.ok()) return headers.error();
    input.record.headers = std::move(*headers);
  }
  return input;
}

Result<ExpectedRecord> ParseOutput(const Value& out) {
  ExpectedRecord expected;
  expected.topic = TextOf(out.Field("topic"));
  if (const Value* k = out.Field("key")) expected.key = *k;
  if (const Value* v = out.Field("value")) expected.value = *v;
  if (out.Field("timestamp")) {
    auto ts = IntField(out, "timestamp");
    if (!ts.ok()) return ts.error();
    expected.timestamp = *ts;
  }
  if (const Value* w = out.Field("window"); w && !w->is_null()) {
    auto window = ParseWindow(*w);
    if (!window.ok()) return window.error();
    expected.window = *window;
  }
  if (const Value* h = out.Field("headers"); h && !h->is_null()) {
    auto headers = ParseHeaders(*h);
    if (!headers.ok()) return headers.error();
    expected.headers = std::move(*headers);
  }
  return expected;
}

}  // namespace

Result<ConformanceCase> ParseConformanceCase(std::string_view json_line) {
  auto parsed = ParseJson(json_line);
  if (!parsed.ok()) return parsed.error();
  const Value& doc = *parsed;
  ConformanceCase c;
  c.family = TextOf(doc.Field("family"));
  c.file = TextOf(doc.Field("file"));
  c.name = TextOf(doc.Field("name"));
  auto fail = [&](const std::string& what) { return DataError("case '" + c.name + "': " + what); };

  if (const Value* s = doc.Field("statements"); s && s->is_array())
    for (const Value& statement : s->as_array()) c.statements.push_back(TextOf(&statement));
  if (const Value* list = doc.Field("inputs"); list && list->is_array()) {
    for (const Value& in : list->as_array()) {
      auto input = ParseInput(in);
      if (!input.ok()) return fail("inputs: " + input.error().message());
      c.inputs.push_back(std::move(*input));
    }
  }
  if (const Value* list = doc.Field("outputs"); list && list->is_array()) {
    for (const Value& out : list->as_array()) {
      auto output = ParseOutput(out);
      if (!output.ok()) return fail("outputs: " + output.error().message());
      c.outputs.push_back(std::move(*output));
    }
  }
  if (const Value* props = doc.Field("properties"); props && (props->is_struct() || props->is_map())) {
    const Struct* s = props->is_struct() ? &props->as_struct() : nullptr;
    auto add = [&](const std::string& key, const Value& v) {
      std::string text = v.is_bool() ? (v.as_bool() ? "true" : "false") : TextOf(&v);
      if (key == "use.exact.numeric.comparison") {
        c.comparison.exact_numbers = text != "false";
      } else {
        c.properties[key] = text;
      }
    };
    if (s) {
      for (size_t i = 0; i < s->size(); ++i) add(s->name(i), s->values[i]);
    } else {
      for (const auto& [k, v] : props->as_map()) add(TextOf(&k), v);
    }
  }
  if (const Value* e = doc.Field("expected_error"); e && !e->is_null()) {
    c.expects_error = true;
    c.expected_error_type = TextOf(e->Field("type"));
    c.expected_error_message = TextOf(e->Field("message"));
  }
  return c;
}

}  // namespace pipeline::testing
