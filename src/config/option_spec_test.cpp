// The option specs as a whole: nested objects are validated like top-level options, deprecated names still work
// and are warned about, every built-in connector reads only options it declares, and connectors spell the same
// idea the same way.
#include <doctest/doctest.h>

#include <map>
#include <set>

#include "config/common_keys.h"
#include "config/pipeline_config.h"
#include "plugin/registry.h"

using namespace pipeline;
using namespace pipeline::config;

namespace {

bool AnyContains(const std::vector<std::string>& lines, const std::string& text) {
  for (const auto& l : lines)
    if (l.find(text) != std::string::npos) return true;
  return false;
}

}  // namespace

TEST_SUITE("config.specs") {
  TEST_CASE("a nested object's keys are checked with their position and a did-you-mean") {
    Diagnostics diags;
    auto cfg = LoadPipelineText(
        "sources:\n  in: {type: generator, dataset: clickstream, count: 1}\n"
        "sinks:\n  out:\n    type: kafka\n    inputs: [in]\n    bootstrap_servers: 127.0.0.1:9\n    topic: t\n"
        "    create_topic: {partitions: 3, replication_factr: 1, timeout: soon}\n",
        "p.yaml", {}, diags);
    CHECK(!cfg.ok());
    CHECK(AnyContains(diags.errors, "p.yaml:9:35: out: create_topic: unknown key 'replication_factr' (did you mean "
                                    "'replication_factor'?)"));
    CHECK(AnyContains(diags.errors, "out: create_topic: missing required key 'replication_factor'"));
    CHECK(AnyContains(diags.errors, "out: create_topic: timeout: expected a duration"));
  }

  TEST_CASE("a deprecated option name still works, and validation warns with the new name") {
    Diagnostics diags;
    auto cfg = LoadPipelineText("sources:\n  in: {type: file, path: /tmp/x.log, start_at: end}\n"
                                "sinks:\n  out: {type: stdout, inputs: [in]}\n",
                                "p.yaml", {}, diags);
    REQUIRE_MESSAGE(cfg.ok(), diags.Joined());
    REQUIRE(diags.warnings.size() == 1);
    CHECK(diags.warnings[0] == "p.yaml:2:48: warning: in: start_at is deprecated; use start (same meaning)");
    const auto& source = cfg->sources.at(0);
    Options options(source.spec, source.node, "p.yaml");
    CHECK(options.GetString("start") == "end");
    CHECK(options.Has("start"));
  }

  TEST_CASE("every built-in connector reads only the options its spec declares") {
    // Each source and sink is built from its own documented example; a read of an undeclared name (a typo in
    // the code, an option removed from the spec but still read) would silently return "".
    std::set<std::string> common(kSourceKeys.begin(), kSourceKeys.end());
    common.insert(kSinkKeys.begin(), kSinkKeys.end());
    std::vector<std::string> undeclared;
    Options::WatchUndeclaredReads([&](const std::string& type, const std::string& name) {
      if (!common.count(name)) undeclared.push_back(type + "." + name);
    });
    int built = 0;
    for (ComponentKind kind : {ComponentKind::kSource, ComponentKind::kSink}) {
      for (const ComponentSpec* spec : BuiltinRegistry().Specs(kind)) {
        if (spec->example.empty()) continue;
        YAML::Node doc = YAML::Load(spec->example);
        YAML::Node section = doc[kind == ComponentKind::kSource ? "sources" : "sinks"];
        REQUIRE_MESSAGE(section.IsMap(), spec->type << ": example has no section");
        YAML::Node node = section.begin()->second;
        Options options(spec, node, "example.yaml");
        BuildContext context{section.begin()->first.Scalar(), "/tmp", {"in"}};
        if (kind == ComponentKind::kSource) (void)(*BuiltinRegistry().FindSource(spec->type))(options, context);
        else (void)(*BuiltinRegistry().FindSink(spec->type))(options, context);
        ++built;
      }
    }
    Options::WatchUndeclaredReads(nullptr);
    CHECK(built >= 8);
    CHECK_MESSAGE(undeclared.empty(), "undeclared options read: " << [&] {
      std::string s;
      for (const auto& u : undeclared) s += u + " ";
      return s;
    }());
  }

  TEST_CASE("connectors spell one idea one way") {
    // Each group names one idea; every connector that has the idea must use the first spelling (an older
    // spelling may live on as a deprecated alias). Justified exceptions are listed with their reason.
    const std::vector<std::vector<std::string>> synonyms = {
        {"start", "start_at", "start_position", "offset_reset"},
        {"start_timestamp", "start_time_ms", "from_timestamp"},
        {"on_error", "on_decode_error", "error_policy"},
        {"format", "codec", "encoding"},
        {"batch_size", "max_batch", "batch_records"},
        {"bootstrap_servers", "brokers", "bootstrap"},
        {"dsn", "url", "connection_string"},
        {"tables", "table_include_list", "table_list"},
        {"topic_prefix", "server_name"},
        {"heartbeat_interval", "keepalive_interval"},
    };
    // type.option -> why it may differ. The kafka source's key_format / value_format are not `format` spelled
    // differently but two settings (Kafka keys and values are encoded apart), so they need no entry.
    const std::map<std::string, std::string> exceptions = {
        {"http.url", "an HTTP endpoint (a record template per request), not a connection string (issue 26)"},
    };
    std::vector<std::string> problems;
    for (ComponentKind kind : {ComponentKind::kSource, ComponentKind::kSink}) {
      for (const ComponentSpec* spec : BuiltinRegistry().Specs(kind)) {
        for (const auto& o : spec->options) {
          if (!o.deprecated_for.empty()) continue;  // an alias of the right spelling
          for (const auto& group : synonyms) {
            auto at = std::find(group.begin(), group.end(), o.name);
            if (at == group.end() || at == group.begin()) continue;
            if (exceptions.count(spec->type + "." + o.name)) continue;
            problems.push_back(spec->type + "." + o.name + " should be spelled " + group.front());
          }
        }
      }
    }
    CHECK_MESSAGE(problems.empty(), [&] {
      std::string s;
      for (const auto& p : problems) s += p + "; ";
      return s;
    }());
  }
}
