// The shared `tls`, `auth` and `batch` vocabularies: parsed the same for every connector that declares them.
#include <doctest/doctest.h>

#include "plugin/auth_options.h"
#include "plugin/batch_options.h"
#include "plugin/tls_options.h"

using namespace pipeline;

namespace {

ComponentSpec SpecWithSharedOptions() {
  ComponentSpec spec;
  spec.type = "test_shared";
  spec.kind = ComponentKind::kSink;
  spec.options = {TlsOption(), AuthOption(), BatchOption(BatchLimits{.max_records = 100, .max_bytes = 5000})};
  return spec;
}

Options Parse(const ComponentSpec& spec, const std::string& yaml) { return Options(&spec, YAML::Load(yaml), "p.yaml"); }

}  // namespace

TEST_SUITE("plugin.connection_options") {
  TEST_CASE("absent objects give the defaults") {
    ComponentSpec spec = SpecWithSharedOptions();
    Options options = Parse(spec, "type: test_shared\n");
    auto tls = ParseTlsOptions(options);
    REQUIRE(tls.ok());
    CHECK_FALSE(tls->configured);
    CHECK(tls->verify);
    auto auth = ParseAuthOptions(options);
    REQUIRE(auth.ok());
    CHECK(auth->type == AuthType::kNone);
    CHECK(AuthorizationHeader(*auth).empty());
    auto batch = ParseBatchOptions(options);
    REQUIRE(batch.ok());
    CHECK(batch->max_records == 100);
    CHECK(batch->max_bytes == 5000);
    CHECK(batch->max_age.count() == 1000);
  }

  TEST_CASE("tls fields are read and checked") {
    ComponentSpec spec = SpecWithSharedOptions();
    auto tls = ParseTlsOptions(Parse(spec, "tls: {verify: false, server_name: example.org, ca_file: /dev/null}"));
    REQUIRE(tls.ok());
    CHECK(tls->configured);
    CHECK_FALSE(tls->verify);
    CHECK(tls->server_name == "example.org");
    CHECK(tls->ca_file == "/dev/null");
    auto half = ParseTlsOptions(Parse(spec, "tls: {cert_file: /dev/null}"));
    REQUIRE_FALSE(half.ok());
    CHECK(half.error().message().find("cert_file and key_file go together") != std::string::npos);
    auto missing = ParseTlsOptions(Parse(spec, "tls: {ca_file: /nonexistent/ca.pem}"));
    REQUIRE_FALSE(missing.ok());
    CHECK(missing.error().message().find("p.yaml:1:") == 0);
    CHECK(missing.error().message().find("cannot read '/nonexistent/ca.pem'") != std::string::npos);
  }

  TEST_CASE("auth types give their Authorization header") {
    ComponentSpec spec = SpecWithSharedOptions();
    auto basic = ParseAuthOptions(Parse(spec, "auth: {type: basic, user: user, password: pw}"));
    REQUIRE(basic.ok());
    CHECK(AuthorizationHeader(*basic) == "Basic dXNlcjpwdw==");
    auto bearer = ParseAuthOptions(Parse(spec, "auth: {type: bearer, token: t0k}"));
    REQUIRE(bearer.ok());
    CHECK(AuthorizationHeader(*bearer) == "Bearer t0k");
    auto key = ParseAuthOptions(Parse(spec, "auth: {type: api_key, api_key: k3y}"));
    REQUIRE(key.ok());
    CHECK(AuthorizationHeader(*key) == "ApiKey k3y");
    auto incomplete = ParseAuthOptions(Parse(spec, "auth: {type: bearer}"));
    REQUIRE_FALSE(incomplete.ok());
    CHECK(incomplete.error().message().find("type bearer needs token") != std::string::npos);
  }

  TEST_CASE("auth secrets are declared secret") {
    OptionSpec auth = AuthOption();
    for (const auto& field : auth.fields)
      CHECK_MESSAGE(field.secret == (field.name == "password" || field.name == "token" || field.name == "api_key"),
                    field.name);
  }

  TEST_CASE("batch limits are read and must be positive") {
    ComponentSpec spec = SpecWithSharedOptions();
    auto batch = ParseBatchOptions(Parse(spec, "batch: {max_records: 3, max_age: 2s}"));
    REQUIRE(batch.ok());
    CHECK(batch->max_records == 3);
    CHECK(batch->max_bytes == 5000);
    CHECK(batch->max_age.count() == 2000);
    CHECK_FALSE(ParseBatchOptions(Parse(spec, "batch: {max_bytes: 0}")).ok());
  }

  TEST_CASE("the accumulator holds records until a limit") {
    BatchAccumulator held(BatchLimits{.max_records = 3, .max_bytes = 100, .max_age = std::chrono::milliseconds(50)});
    auto batch = std::make_shared<Batch>();
    batch->records.resize(5);
    const auto t0 = BatchAccumulator::Clock::now();
    CHECK_FALSE(held.Add(batch, 0, 10, t0));
    CHECK_FALSE(held.Due(t0 + std::chrono::milliseconds(49)));
    CHECK(held.Due(t0 + std::chrono::milliseconds(50)));
    CHECK_FALSE(held.Add(batch, 1, 10, t0));
    CHECK(held.Add(batch, 2, 10, t0));  // max_records
    auto taken = held.Take();
    REQUIRE(taken.size() == 3);
    CHECK(taken[2].index == 2);
    CHECK(held.empty());
    CHECK_FALSE(held.WouldOverflow(500));  // an empty accumulator takes a record of any size
    CHECK(held.Add(batch, 3, 500, t0));    // max_bytes
    CHECK(held.WouldOverflow(1));
  }
}
