// OpenSSL over memory BIOs for pgwire (see tls.h).
#include "plexus/server/pgwire/tls.h"

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/ssl.h>

#include "plexus/base/assert.h"

namespace plexus::server::pgwire {

namespace {

std::string OpenSslError() {
  const unsigned long code = ERR_get_error();
  if (code == 0) return "unknown TLS error";
  char text[256];
  ERR_error_string_n(code, text, sizeof(text));
  ERR_clear_error();
  return text;
}

}  // namespace

Result<std::unique_ptr<TlsContext>> TlsContext::Load(const std::string& cert_file,
                                                     const std::string& key_file) {
  SSL_CTX* context = SSL_CTX_new(TLS_server_method());
  if (context == nullptr) return Status::Internal("cannot create a TLS context: " + OpenSslError());
  std::unique_ptr<TlsContext> owned(new TlsContext(context));
  SSL_CTX_set_min_proto_version(context, TLS1_2_VERSION);
  if (SSL_CTX_use_certificate_chain_file(context, cert_file.c_str()) != 1) {
    return Status::InvalidArgument("cannot load tls.cert \"" + cert_file + "\": " + OpenSslError());
  }
  if (SSL_CTX_use_PrivateKey_file(context, key_file.c_str(), SSL_FILETYPE_PEM) != 1) {
    return Status::InvalidArgument("cannot load tls.key \"" + key_file + "\": " + OpenSslError());
  }
  if (SSL_CTX_check_private_key(context) != 1) {
    return Status::InvalidArgument("tls.key does not match tls.cert: " + OpenSslError());
  }
  return owned;
}

TlsContext::~TlsContext() { SSL_CTX_free(context_); }

TlsSession::TlsSession(TlsContext* context) {
  ssl_ = SSL_new(context->context());
  PLEXUS_ASSERT(ssl_ != nullptr);
  input_ = BIO_new(BIO_s_mem());
  output_ = BIO_new(BIO_s_mem());
  PLEXUS_ASSERT(input_ != nullptr && output_ != nullptr);
  SSL_set_bio(ssl_, input_, output_);  // ssl_ owns both from here
  SSL_set_accept_state(ssl_);
}

TlsSession::~TlsSession() { SSL_free(ssl_); }

void TlsSession::DrainOutput(std::string* raw_output) {
  char buffer[16384];
  while (BIO_ctrl_pending(output_) > 0) {
    const int bytes = BIO_read(output_, buffer, sizeof(buffer));
    if (bytes <= 0) break;
    raw_output->append(buffer, static_cast<size_t>(bytes));
  }
}

Status TlsSession::Decrypt(std::string_view ciphertext, std::string* plain,
                           std::string* raw_output) {
  if (!ciphertext.empty()) {
    const int written = BIO_write(input_, ciphertext.data(), static_cast<int>(ciphertext.size()));
    if (written != static_cast<int>(ciphertext.size())) {
      return Status::IOError("TLS input buffer write failed");
    }
  }
  if (!handshake_done_) {
    const int result = SSL_do_handshake(ssl_);
    DrainOutput(raw_output);
    if (result != 1) {
      const int error = SSL_get_error(ssl_, result);
      if (error == SSL_ERROR_WANT_READ || error == SSL_ERROR_WANT_WRITE) return Status::Ok();
      return Status::IOError("TLS handshake failed: " + OpenSslError());
    }
    handshake_done_ = true;
  }
  char buffer[16384];
  while (true) {
    const int bytes = SSL_read(ssl_, buffer, sizeof(buffer));
    if (bytes > 0) {
      plain->append(buffer, static_cast<size_t>(bytes));
      continue;
    }
    const int error = SSL_get_error(ssl_, bytes);
    DrainOutput(raw_output);
    if (error == SSL_ERROR_WANT_READ || error == SSL_ERROR_WANT_WRITE) return Status::Ok();
    if (error == SSL_ERROR_ZERO_RETURN) return Status::Ok();  // close_notify: EOF follows
    return Status::IOError("TLS read failed: " + OpenSslError());
  }
}

Status TlsSession::Encrypt(std::string_view plain, std::string* raw_output) {
  while (!plain.empty()) {
    const int bytes = SSL_write(ssl_, plain.data(), static_cast<int>(plain.size()));
    if (bytes <= 0) return Status::IOError("TLS write failed: " + OpenSslError());
    plain.remove_prefix(static_cast<size_t>(bytes));
  }
  DrainOutput(raw_output);
  return Status::Ok();
}

}  // namespace plexus::server::pgwire
