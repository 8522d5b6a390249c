// The failures of connecting to MariaDB/MySQL that no retry can cure — wrong credentials, a missing database,
// a certificate the CA did not sign or a server without TLS — as one Config error that says what to change.
#pragma once

#include <optional>
#include <string>

#include "core/result.h"

namespace pipeline::mysql_client {

// The Config error for Connector/C or server error `code`, with `message` (already redacted) and a hint; nullopt
// when `code` is not such a refusal (the caller classifies it: a lost connection retries). `tls_configured` says
// whether the connector has `tls` (an "Access denied" from a server with require_secure_transport=ON then hints
// to set it).
std::optional<Error> ConnectRefusal(unsigned code, const std::string& message, bool tls_configured);

}  // namespace pipeline::mysql_client
