// The librdkafka property checks `pipe validate` runs, and which property values are never shown.
#include <doctest/doctest.h>

#include "connectors/kafka/client_config.h"

using namespace pipeline;
using namespace pipeline::kafka;

namespace {

std::string CheckProperties(const std::string& yaml) {
  Status s = CheckUserProperties(Options(nullptr, YAML::Load(yaml), "p.yaml"));
  return s.ok() ? "" : s.message();
}

}  // namespace

TEST_SUITE("connectors.kafka") {
  TEST_CASE("property names come from the linked librdkafka, global and topic ones") {
    CHECK(IsKnownProperty("sasl.password"));
    CHECK(IsKnownProperty("bootstrap.servers"));
    CHECK(IsKnownProperty("acks"));  // a topic property, which the global conf takes too
    CHECK_FALSE(IsKnownProperty("sasl.passwd"));
    CHECK_FALSE(IsKnownProperty("Property"));  // the table's heading is not a name
  }

  TEST_CASE("secret-looking and unknown property names never show their values") {
    for (const char* key : {"sasl.password", "ssl.key.password", "sasl.oauthbearer.client.secret",
                            "sasl.oauthbearer.token.endpoint.url", "sasl.jaas.config", "sasl.passwd", "SASL.PASSWORD"})
      CHECK_MESSAGE(IsSecretProperty(key), key);
    CHECK_FALSE(IsSecretProperty("bootstrap.servers"));
    CHECK(DescribeProperty("sasl.passwd", "hunter2") == "sasl.passwd=<redacted>");
    CHECK(DescribeProperty("acks", "all") == "acks=all");
  }

  TEST_CASE("CheckUserProperties: names with a suggestion, values through librdkafka, secrets hidden") {
    CHECK(CheckProperties("properties: {acks: all, sasl.password: hunter2, linger.ms: 5}").empty());
    std::string misspelled = CheckProperties("properties:\n  sasl.passwd: hunter2\n");
    CHECK(misspelled.find("p.yaml:2:3: properties: 'sasl.passwd' is not a librdkafka property (did you mean "
                          "'sasl.password'?)") == 0);
    CHECK(misspelled.find("hunter2") == std::string::npos);
    std::string bad_value = CheckProperties("properties: {acks: banana}");
    CHECK(bad_value.find("acks=banana") != std::string::npos);
    YAML::Node from_env = YAML::Load("properties: {security.protocol: hunter2}");
    from_env["properties"]["security.protocol"].SetTag(kFromEnvironmentTag);
    Status hidden = CheckUserProperties(Options(nullptr, from_env, "p.yaml"));
    REQUIRE_FALSE(hidden.ok());
    CHECK(hidden.message().find("security.protocol") != std::string::npos);
    CHECK(hidden.message().find("hunter2") == std::string::npos);
  }
}
