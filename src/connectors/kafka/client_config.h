// Client settings shared by the kafka source and sink: librdkafka properties assembled from pipe options plus
// the user's `properties:` passthrough (SASL, SSL, anything librdkafka accepts), with secrets kept out of logs.
#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "connectors/kafka/kafka_handles.h"
#include "core/result.h"
#include "plugin/options.h"

namespace pipeline::kafka {

// Ordered librdkafka properties; later entries override earlier ones, so the user's `properties:` go last.
using ClientProperties = std::vector<std::pair<std::string, std::string>>;

// True for keys whose values must never be printed: names with password, secret, token, key, jaas or
// credentials in them, and names librdkafka does not know (a misspelled sasl.password is still a password).
bool IsSecretProperty(const std::string& key);

// Whether librdkafka knows the property (a global or a topic property).
bool IsKnownProperty(const std::string& key);

// The `properties:` option checked as `pipe validate` should: every name is one librdkafka knows (else an error
// with the closest known name), every value one it accepts. Messages never show a secret's value or one that
// came from the environment. Nothing is opened or loaded.
Status CheckUserProperties(const Options& options);

// True for properties only a consumer takes (session.timeout.ms, heartbeat.*, group.*, fetch.*, ...): a producer
// given one logs a warning, so clients made from one shared property list leave them out of their producers.
bool IsConsumerOnlyProperty(const std::string& key);

// "key=value" for logs, or "key=<redacted>" for secrets.
std::string DescribeProperty(const std::string& key, const std::string& value);

// Builds a librdkafka configuration. A rejected property gives a ConfigError naming the key (and, unless it is
// a secret, the value and librdkafka's reason).
Result<KafkaConf> BuildClientConf(const ClientProperties& properties);

// Appends the user's `properties:` map to `properties` (passthrough wins over pipe's defaults).
void AppendUserProperties(const std::map<std::string, std::string>& user, ClientProperties& properties);

// The librdkafka error text of a failed call, for messages.
std::string KafkaErrorText(rd_kafka_resp_err_t err);

}  // namespace pipeline::kafka
