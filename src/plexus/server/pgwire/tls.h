// TLS for pgwire connections after SSLRequest, with OpenSSL over memory BIOs: the network layer
// keeps moving plain bytes, the handler decrypts what it reads and encrypts what it writes.
// TLS 1.2 and 1.3; certificate and key come from tls.cert / tls.key (PEM).
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "plexus/base/status.h"

typedef struct ssl_ctx_st SSL_CTX;
typedef struct ssl_st SSL;
typedef struct bio_st BIO;

namespace plexus::server::pgwire {

class TlsContext {
 public:
  // Loads the certificate chain and the private key; a clear error when either is unusable.
  static Result<std::unique_ptr<TlsContext>> Load(const std::string& cert_file,
                                                  const std::string& key_file);
  ~TlsContext();
  SSL_CTX* context() const { return context_; }

 private:
  explicit TlsContext(SSL_CTX* context) : context_(context) {}
  SSL_CTX* context_;
};

// One connection's TLS state. REQUIRES: used from one thread at a time (the connection's loop).
class TlsSession {
 public:
  explicit TlsSession(TlsContext* context);
  ~TlsSession();
  TlsSession(const TlsSession&) = delete;
  TlsSession& operator=(const TlsSession&) = delete;

  // Takes ciphertext from the client: plaintext goes to *plain, handshake records to send back
  // to *raw_output.
  Status Decrypt(std::string_view ciphertext, std::string* plain, std::string* raw_output);
  // Appends the encryption of `plain` to *raw_output.
  Status Encrypt(std::string_view plain, std::string* raw_output);
  bool handshake_done() const { return handshake_done_; }

 private:
  void DrainOutput(std::string* raw_output);

  SSL* ssl_ = nullptr;
  BIO* input_ = nullptr;   // ciphertext from the client (owned by ssl_)
  BIO* output_ = nullptr;  // ciphertext for the client (owned by ssl_)
  bool handshake_done_ = false;
};

}  // namespace plexus::server::pgwire
