#include "plugin/tls_options.h"

#include <unistd.h>

namespace pipeline {

OptionSpec TlsOption(std::string description) {
  return {.name = "tls",
          .type = OptionType::kObject,
          .description = std::move(description),
          .fields = {
              {.name = "ca_file", .type = OptionType::kString,
               .description = "PEM file of the certificate authorities to trust. Default: the system's."},
              {.name = "cert_file", .type = OptionType::kString,
               .description = "Client certificate (PEM) for mutual TLS; needs key_file."},
              {.name = "key_file", .type = OptionType::kString,
               .description = "Private key (PEM) of cert_file."},
              {.name = "verify", .type = OptionType::kBool,
               .description = "Verify the server's certificate and host name. Turn off only to test against a "
                              "self-signed server.",
               .default_value = "true"},
              {.name = "server_name", .type = OptionType::kString,
               .description = "Host name to verify and to send as SNI instead of the address's host."},
          }};
}

Result<TlsSettings> ParseTlsOptions(const Options& options, const std::string& name) {
  TlsSettings tls;
  if (!options.Has(name)) return tls;
  const Options object = options.Object(name);
  tls.configured = true;
  tls.ca_file = object.GetString("ca_file");
  tls.cert_file = object.GetString("cert_file");
  tls.key_file = object.GetString("key_file");
  tls.verify = object.GetBool("verify");
  tls.server_name = object.GetString("server_name");
  if (tls.cert_file.empty() != tls.key_file.empty())
    return options.ErrorAt(name, "cert_file and key_file go together: give both or neither");
  const std::pair<const char*, const std::string*> files[] = {
      {"ca_file", &tls.ca_file}, {"cert_file", &tls.cert_file}, {"key_file", &tls.key_file}};
  for (const auto& [field, path] : files)
    if (!path->empty() && ::access(path->c_str(), R_OK) != 0)
      return object.ErrorAt(field, "cannot read '" + *path + "'");
  return tls;
}

}  // namespace pipeline
