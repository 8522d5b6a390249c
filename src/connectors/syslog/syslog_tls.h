// TLS for the syslog source (RFC 5425): a server context made from the `tls` option, and one non-blocking session
// per TCP connection, driven by the server's poll loop (syslog_server.cpp). OpenSSL's headers stay in
// syslog_tls.cpp: the rest of the connector builds without them.
#pragma once

#include <memory>
#include <string>

#include "core/result.h"
#include "plugin/tls_options.h"

struct ssl_ctx_st;
struct ssl_st;

namespace pipeline::syslog {

// The certificate and key every connection presents; with ca_file, each client must present a certificate signed
// by one of its authorities (mutual TLS), as the http source does.
class TlsServerContext {
 public:
  // Errors: a certificate, key or CA file OpenSSL cannot use, or a key that does not match the certificate.
  static Result<std::unique_ptr<TlsServerContext>> Create(const TlsSettings& tls);
  ~TlsServerContext();
  TlsServerContext(const TlsServerContext&) = delete;
  TlsServerContext& operator=(const TlsServerContext&) = delete;
  ssl_ctx_st* get() const { return ctx_; }

 private:
  explicit TlsServerContext(ssl_ctx_st* ctx) : ctx_(ctx) {}
  ssl_ctx_st* ctx_;
};

// One connection's TLS state. No call blocks: each does what the socket allows now and says what it waits for,
// so one slow or silent client cannot hold up the other connections of the loop.
class TlsSession {
 public:
  enum class Step {
    kDone,       // the handshake finished, or Read returned bytes
    kWantRead,   // call again once the socket is readable
    kWantWrite,  // call again once the socket is writable
    kClosed,     // the peer closed the connection (with or without close_notify)
    kFailed,     // a protocol or certificate error: error() says which
  };

  TlsSession(const TlsServerContext& context, int fd);
  ~TlsSession();
  TlsSession(const TlsSession&) = delete;
  TlsSession& operator=(const TlsSession&) = delete;

  bool established() const { return established_; }
  Step Handshake();
  // Decrypted bytes into buffer[0, size); `n` is how many when kDone.
  Step Read(char* buffer, size_t size, size_t& n);
  // Decrypted bytes OpenSSL already took off the socket: poll() will not wake for them, so the loop reads them
  // without waiting.
  bool HasBuffered() const;
  // POLLIN or POLLOUT: what the last step waits for.
  short poll_events() const;
  const std::string& error() const { return error_; }

 private:
  Step Classify(int rc);

  ssl_st* ssl_;
  bool established_ = false;
  bool wants_write_ = false;
  std::string error_;
};

}  // namespace pipeline::syslog
