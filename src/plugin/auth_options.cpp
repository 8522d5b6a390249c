#include "plugin/auth_options.h"

#include "core/base64.h"

namespace pipeline {

OptionSpec AuthOption(std::string description) {
  return {.name = "auth",
          .type = OptionType::kObject,
          .description = std::move(description),
          .fields = {
              {.name = "type", .type = OptionType::kEnum,
               .description = "basic: user and password; bearer: a token; api_key: `Authorization: ApiKey <key>`.",
               .required = true, .choices = {"basic", "bearer", "api_key"}},
              {.name = "user", .type = OptionType::kString, .description = "basic: the user name."},
              {.name = "password", .type = OptionType::kString,
               .description = "basic: the password (never printed; write it as ${VAR}).", .secret = true},
              {.name = "token", .type = OptionType::kString,
               .description = "bearer: the token (never printed; write it as ${VAR}).", .secret = true},
              {.name = "api_key", .type = OptionType::kString,
               .description = "api_key: the key (never printed; write it as ${VAR}).", .secret = true},
          }};
}

Result<AuthSettings> ParseAuthOptions(const Options& options, const std::string& name) {
  AuthSettings auth;
  if (!options.Has(name)) return auth;
  const Options object = options.Object(name);
  const std::string type = object.GetString("type");
  auth.user = object.GetString("user");
  auth.password = object.GetString("password");
  auth.token = object.GetString("token");
  auth.api_key = object.GetString("api_key");
  auto missing = [&](const char* field) { return options.ErrorAt(name, std::string("type ") + type + " needs " + field); };
  if (type == "basic") {
    auth.type = AuthType::kBasic;
    if (auth.user.empty()) return missing("user");
  } else if (type == "bearer") {
    auth.type = AuthType::kBearer;
    if (auth.token.empty()) return missing("token");
  } else if (type == "api_key") {
    auth.type = AuthType::kApiKey;
    if (auth.api_key.empty()) return missing("api_key");
  } else {
    return options.ErrorAt(name, "type must be basic, bearer or api_key");
  }
  return auth;
}

std::string AuthorizationHeader(const AuthSettings& auth) {
  switch (auth.type) {
    case AuthType::kNone: return "";
    case AuthType::kBasic: return "Basic " + EncodeBase64(auth.user + ":" + auth.password);
    case AuthType::kBearer: return "Bearer " + auth.token;
    case AuthType::kApiKey: return "ApiKey " + auth.api_key;
  }
  return "";
}

}  // namespace pipeline
