#include "connectors/syslog/syslog_tls.h"

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <poll.h>

namespace pipeline::syslog {
namespace {

// The reason of the oldest error OpenSSL queued ("wrong version number"); the queue is then emptied, since it is
// per thread and every connection of the loop shares it.
std::string TakeOpenSslError() {
  const unsigned long code = ERR_get_error();
  ERR_clear_error();
  if (code == 0) return "";
  if (const char* reason = ERR_reason_error_string(code)) return reason;
  char text[256];
  ERR_error_string_n(code, text, sizeof text);
  return text;
}

Status LoadCertificate(SSL_CTX* ctx, const TlsSettings& tls) {
  if (SSL_CTX_use_certificate_chain_file(ctx, tls.cert_file.c_str()) != 1)
    return ConfigError("tls: cannot read cert_file " + tls.cert_file + " as PEM certificates: " + TakeOpenSslError());
  // Fails for a file that is not a PEM key, and for a key that is not the certificate's ("key values mismatch").
  if (SSL_CTX_use_PrivateKey_file(ctx, tls.key_file.c_str(), SSL_FILETYPE_PEM) != 1)
    return ConfigError("tls: cannot use key_file " + tls.key_file + " with cert_file " + tls.cert_file + ": " +
                       TakeOpenSslError());
  if (SSL_CTX_check_private_key(ctx) != 1)
    return ConfigError("tls: key_file " + tls.key_file + " does not match cert_file " + tls.cert_file);
  return {};
}

// Mutual TLS: a client without a certificate signed by ca_file fails the handshake.
Status RequireClientCertificates(SSL_CTX* ctx, const std::string& ca_file) {
  STACK_OF(X509_NAME)* names = SSL_load_client_CA_file(ca_file.c_str());
  if (names == nullptr || SSL_CTX_load_verify_locations(ctx, ca_file.c_str(), nullptr) != 1) {
    if (names) sk_X509_NAME_pop_free(names, X509_NAME_free);
    return ConfigError("tls: cannot use ca_file " + ca_file + ": " + TakeOpenSslError());
  }
  SSL_CTX_set_client_CA_list(ctx, names);  // tells clients which authorities to pick a certificate for
  SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, nullptr);
  return {};
}

}  // namespace

Result<std::unique_ptr<TlsServerContext>> TlsServerContext::Create(const TlsSettings& tls) {
  SSL_CTX* ctx = SSL_CTX_new(TLS_server_method());
  if (ctx == nullptr) return FatalError("tls: cannot create an OpenSSL context: " + TakeOpenSslError());
  std::unique_ptr<TlsServerContext> context(new TlsServerContext(ctx));
  // RFC 9662 (which updates RFC 5425) asks for TLS 1.2 at least.
  SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
  // Senders (rsyslog, syslog-ng, scripts) often close without close_notify: that is the end of the stream, not an
  // error. The framing still tells whether the last message was complete.
  SSL_CTX_set_options(ctx, SSL_OP_IGNORE_UNEXPECTED_EOF | SSL_OP_NO_RENEGOTIATION);
  // No session tickets: syslog connections are long-lived, and tickets are writes after the handshake that a
  // sender closing at once would turn into errors.
  SSL_CTX_set_num_tickets(ctx, 0);
  PIPE_RETURN_IF_ERROR(LoadCertificate(ctx, tls));
  if (!tls.ca_file.empty()) PIPE_RETURN_IF_ERROR(RequireClientCertificates(ctx, tls.ca_file));
  return context;
}

TlsServerContext::~TlsServerContext() { SSL_CTX_free(ctx_); }

TlsSession::TlsSession(const TlsServerContext& context, int fd) : ssl_(SSL_new(context.get())) {
  SSL_set_fd(ssl_, fd);
  SSL_set_accept_state(ssl_);
}

TlsSession::~TlsSession() { SSL_free(ssl_); }

TlsSession::Step TlsSession::Handshake() {
  ERR_clear_error();
  const int rc = SSL_do_handshake(ssl_);
  if (rc != 1) return Classify(rc);
  established_ = true;
  wants_write_ = false;
  return Step::kDone;
}

TlsSession::Step TlsSession::Read(char* buffer, size_t size, size_t& n) {
  ERR_clear_error();
  const int rc = SSL_read_ex(ssl_, buffer, size, &n);
  if (rc == 1) {
    wants_write_ = false;
    return Step::kDone;
  }
  return Classify(rc);
}

bool TlsSession::HasBuffered() const { return SSL_pending(ssl_) > 0; }

short TlsSession::poll_events() const { return wants_write_ ? POLLOUT : POLLIN; }

TlsSession::Step TlsSession::Classify(int rc) {
  const int code = SSL_get_error(ssl_, rc);
  wants_write_ = code == SSL_ERROR_WANT_WRITE;
  switch (code) {
    case SSL_ERROR_WANT_READ:
      return Step::kWantRead;
    case SSL_ERROR_WANT_WRITE:
      return Step::kWantWrite;
    case SSL_ERROR_ZERO_RETURN:
      return Step::kClosed;
    case SSL_ERROR_SYSCALL:
      // A reset or an end of file with nothing queued: the peer went away (a port probe, a killed sender).
      if (ERR_peek_error() == 0) return Step::kClosed;
      break;
    default:
      break;
  }
  error_ = TakeOpenSslError();
  if (const long verify = SSL_get_verify_result(ssl_); verify != X509_V_OK)
    error_ += std::string(error_.empty() ? "" : ": ") + X509_verify_cert_error_string(verify);
  if (error_.empty()) error_ = "TLS error " + std::to_string(code);
  return Step::kFailed;
}

}  // namespace pipeline::syslog
