#include <doctest/doctest.h>

#include <filesystem>
#include <map>

#include "config/env_substitution.h"
#include "config/pipeline_config.h"
#include "core/suggest.h"

using namespace pipeline::config;

TEST_SUITE("config") {
  TEST_CASE("env substitution in values, with defaults, escapes and errors at the scalar") {
    std::map<std::string, std::string> env = {{"HOST", "db"}, {"EMPTY", ""}, {"PW", "S3CR3T #x"},
                                              {"NL", "x\n      sasl.username: injected"}, {"STAR", "*anchor"},
                                              {"BRACE", "{a: 1}"}, {"REF", "${HOST}"}};
    Diagnostics diags;
    auto lookup = [&](const std::string& n) -> std::optional<std::string> {
      auto it = env.find(n);
      return it == env.end() ? std::nullopt : std::optional<std::string>(it->second);
    };
    YAML::Node root = YAML::Load("a: ${HOST}\nb: ${PORT:-5432}\nc: $${HOST}\nd: ${EMPTY:-x}\ne: ${PW}\n"
                                 "f: ${NL}\ng:\n  - ${STAR}\n  - ${BRACE}\nh: ${REF}\n${HOST}: k\n");
    SubstituteEnvInValues(root, "p.yaml", lookup, diags);
    CHECK(diags.empty());
    CHECK(root["a"].Scalar() == "db");
    CHECK(root["a"].Tag() == pipeline::kFromEnvironmentTag);
    CHECK(root["b"].Scalar() == "5432");
    CHECK(root["b"].Tag() != pipeline::kFromEnvironmentTag);  // a default is the file's own text
    CHECK(root["c"].Scalar() == "${HOST}");
    CHECK(root["d"].Scalar() == "x");
    CHECK(root["e"].Scalar() == "S3CR3T #x");
    CHECK(root["f"].Scalar() == "x\n      sasl.username: injected");
    CHECK(root["g"][0].Scalar() == "*anchor");
    CHECK(root["g"][1].Scalar() == "{a: 1}");
    CHECK(root["h"].Scalar() == "${HOST}");  // a value is not substituted again
    CHECK(root["${HOST}"].Scalar() == "k");  // keys are names
    CHECK(root.size() == 9);
    YAML::Node bad = YAML::Load("x: 1\ny:\n  - '${MISSING}'\n");
    SubstituteEnvInValues(bad, "p.yaml", lookup, diags);
    REQUIRE(diags.errors.size() == 1);
    CHECK(diags.errors[0].rfind("p.yaml:3:5: environment variable MISSING is not set", 0) == 0);
  }
  TEST_CASE("did you mean") {
    CHECK(pipeline::ClosestMatch("pth", {"path", "mode", "format"}) == "path");
    CHECK(pipeline::ClosestMatch("zzzzzz", {"path", "mode"}).empty());
    CHECK(pipeline::DidYouMean("fromat", {"path", "format"}) == " (did you mean 'format'?)");
  }
  TEST_CASE("hostile values are located errors, not exceptions") {
    const std::string base = "sources:\n  in: {type: generator, dataset: users, count: 3}\n"
                             "sinks:\n  out: {type: stdout, inputs: [in]}\n";
    auto load = [&](const std::string& text, std::vector<std::string> overrides = {}) {
      Diagnostics diags;
      std::map<std::string, std::string> env;
      auto r = LoadPipelineText(text, "p.yaml", LoadOptions{std::move(overrides), &env}, diags);
      return r.ok() ? std::string() : diags.Joined();
    };
    CHECK(load(base).empty());
    CHECK(load(base + "settings: {queue_capacity: 99999999999999999999}\n").rfind("p.yaml:5:28: queue_capacity", 0) ==
          0);
    CHECK(load(base + "settings: {queue_capacity: 65535}\n").rfind("p.yaml:5:28: queue_capacity", 0) == 0);
    CHECK(load(base + "settings: {queue_capacity: 65534}\n").empty());
    CHECK(load(base, {"sinks.out.path=["}).rfind("--set sinks.out.path=[:1:", 0) == 0);
    std::string count = load("sources:\n  in: {type: generator, dataset: users, count: 99999999999999999999}\n"
                             "sinks:\n  out: {type: stdout, inputs: [in]}\n");
    CHECK(count.rfind("p.yaml:2:48: in: count: expected an integer between", 0) == 0);
    std::string rate = load("sources:\n  in: {type: generator, dataset: users, rate: 1e400}\n"
                            "sinks:\n  out: {type: stdout, inputs: [in]}\n");
    CHECK(rate.rfind("p.yaml:2:47: in: rate: expected a finite number", 0) == 0);
  }
  TEST_CASE("a pipeline file that is a directory, missing or endless is an error naming it") {
    const std::string dir = std::filesystem::temp_directory_path().string();
    auto as_dir = ReadPipelineFile(dir);
    REQUIRE_FALSE(as_dir.ok());
    CHECK(as_dir.error().message().find("is a directory") != std::string::npos);
    auto missing = ReadPipelineFile(dir + "/no-such-pipeline-file.yaml");
    REQUIRE_FALSE(missing.ok());
    CHECK(missing.error().message().find("No such file") != std::string::npos);
    auto endless = ReadPipelineFile("/dev/zero");
    REQUIRE_FALSE(endless.ok());
    CHECK(endless.error().message().find("larger than 16 MiB") != std::string::npos);
  }
}
