// `tls: {ca_file, cert_file, key_file, verify, server_name}`: the one spelling of TLS settings for every connector
// that talks to a server over TLS (http, elasticsearch, syslog, the http source). A connector adds TlsOption() to
// its spec and reads the object back with ParseTlsOptions.
#pragma once

#include <string>

#include "core/result.h"
#include "plugin/options.h"
#include "plugin/spec.h"

namespace pipeline {

struct TlsSettings {
  bool configured = false;   // the `tls` key was written (a client may then insist on https)
  std::string ca_file;       // PEM bundle of trusted CAs; empty: the system's
  std::string cert_file;     // client certificate (PEM), with key_file
  std::string key_file;      // its private key (PEM)
  bool verify = true;        // check the server's certificate and name; false only for tests
  std::string server_name;   // the name to verify (and send as SNI) instead of the URL's host
};

// The `tls` option: a typed object whose fields are those above.
OptionSpec TlsOption(std::string description = "TLS settings for the connection.");

// The `tls` object of `options` (defaults when absent). Errors: a cert_file without a key_file or the reverse,
// or a file that cannot be read, located at the option.
Result<TlsSettings> ParseTlsOptions(const Options& options, const std::string& name = "tls");

}  // namespace pipeline
