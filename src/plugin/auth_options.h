// `auth: {type: basic | bearer | api_key, user, password, token, api_key}`: the one spelling of credentials for
// every connector that authenticates over HTTP (http, elasticsearch, the http source). The secret fields are
// declared secret, so no message or printed option shows them; write them as ${VAR} to keep them out of the file.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "core/result.h"
#include "plugin/options.h"
#include "plugin/spec.h"

namespace pipeline {

enum class AuthType { kNone, kBasic, kBearer, kApiKey };

struct AuthSettings {
  AuthType type = AuthType::kNone;
  std::string user;      // basic
  std::string password;  // basic
  std::string token;     // bearer
  std::string api_key;   // api_key: sent as `Authorization: ApiKey <api_key>` (Elasticsearch's form)
};

// The `auth` option: a typed object whose fields are those above.
OptionSpec AuthOption(std::string description = "Credentials sent with every request.");

// The `auth` object of `options` (type none when absent). Errors name the missing field of the chosen type.
Result<AuthSettings> ParseAuthOptions(const Options& options, const std::string& name = "auth");

// The `Authorization` header value for `auth` ("Basic dXNlcjpwdw==", "Bearer t", "ApiKey k"); empty for none.
std::string AuthorizationHeader(const AuthSettings& auth);

}  // namespace pipeline
