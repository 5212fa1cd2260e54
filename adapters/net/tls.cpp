// generate_loopback_pki with OpenSSL's C API: an EC P-256 CA and a server certificate signed by
// it, written as PEM. Each step checks its result and the error names the step or the file.

#include "adapters/net/tls.hpp"

#include "adapters/net/detail/tls_context.hpp"

#include <openssl/bn.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <arpa/inet.h>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <functional>
#include <memory>
#include <sys/stat.h>
#include <system_error>
#include <unistd.h>

namespace troupe::net {
namespace {

template <class T, void (*Free)(T*)>
struct Deleter {
  void operator()(T* p) const { Free(p); }
};
using PkeyPtr = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY, EVP_PKEY_free>>;
using PkeyContextPtr = std::unique_ptr<EVP_PKEY_CTX, Deleter<EVP_PKEY_CTX, EVP_PKEY_CTX_free>>;
using X509Ptr = std::unique_ptr<X509, Deleter<X509, X509_free>>;
using BignumPtr = std::unique_ptr<BIGNUM, Deleter<BIGNUM, BN_free>>;
using NamesPtr = std::unique_ptr<GENERAL_NAMES, Deleter<GENERAL_NAMES, GENERAL_NAMES_free>>;
using NamePtr = std::unique_ptr<GENERAL_NAME, Deleter<GENERAL_NAME, GENERAL_NAME_free>>;

using Error = tl::unexpected<std::string>;

Error openssl_failure(const std::string& step) {
  auto text = detail::openssl_error_text();
  return Error("generate_loopback_pki: " + step + ": " + (text.empty() ? "failed" : text));
}

tl::expected<PkeyPtr, std::string> generate_key() {
  PkeyContextPtr context(EVP_PKEY_CTX_new_id(EVP_PKEY_EC, nullptr));
  if (!context) return openssl_failure("create the key context");
  if (EVP_PKEY_keygen_init(context.get()) != 1 ||
      EVP_PKEY_CTX_set_ec_paramgen_curve_nid(context.get(), NID_X9_62_prime256v1) != 1)
    return openssl_failure("select the P-256 curve");
  EVP_PKEY* key = nullptr;
  if (EVP_PKEY_keygen(context.get(), &key) != 1) return openssl_failure("generate a P-256 key");
  return PkeyPtr(key);
}

/// 16 random bytes with the top bit clear: positive, and unique per certificate (RFC 5280
/// §4.1.2.2 allows up to 20 octets).
bool set_random_serial(X509* cert) {
  unsigned char bytes[16];
  if (RAND_bytes(bytes, sizeof bytes) != 1) return false;
  bytes[0] &= 0x7f;
  bytes[0] |= 0x01;  // never a leading zero octet
  BignumPtr number(BN_bin2bn(bytes, sizeof bytes, nullptr));
  return number && BN_to_ASN1_INTEGER(number.get(), X509_get_serialNumber(cert)) != nullptr;
}

bool set_common_name(X509_NAME* name, const std::string& common_name) {
  return X509_NAME_add_entry_by_txt(name, "O", MBSTRING_UTF8,
                                    reinterpret_cast<const unsigned char*>("Troupe loopback"), -1,
                                    -1, 0) == 1 &&
         X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8,
                                    reinterpret_cast<const unsigned char*>(common_name.c_str()), -1,
                                    -1, 0) == 1;
}

/// Adds one extension written in OpenSSL's config syntax ("critical,CA:TRUE").
bool add_extension(X509* cert, X509* issuer, int nid, const char* value) {
  X509V3_CTX context;
  X509V3_set_ctx_nodb(&context);
  X509V3_set_ctx(&context, issuer, cert, nullptr, nullptr, 0);
  X509_EXTENSION* extension = X509V3_EXT_conf_nid(nullptr, &context, nid, value);
  if (extension == nullptr) return false;
  const bool added = X509_add_ext(cert, extension, -1) == 1;
  X509_EXTENSION_free(extension);
  return added;
}

/// subjectAltName from `names`: IP literals (v4 or v6) as iPAddress, the rest as dNSName. Built
/// as GENERAL_NAMEs rather than a config string so that no name can inject another entry.
tl::expected<void, std::string> add_subject_alt_names(X509* cert,
                                                      const std::vector<std::string>& names) {
  NamesPtr general_names(sk_GENERAL_NAME_new_null());
  if (!general_names) return openssl_failure("allocate subjectAltName");
  for (const auto& name : names) {
    unsigned char address[16];
    NamePtr entry;
    if (inet_pton(AF_INET, name.c_str(), address) == 1 ||
        inet_pton(AF_INET6, name.c_str(), address) == 1) {
      entry.reset(GENERAL_NAME_new());
      ASN1_OCTET_STRING* ip = a2i_IPADDRESS(name.c_str());
      if (!entry || !ip) {
        ASN1_OCTET_STRING_free(ip);
        return openssl_failure("subjectAltName IP:" + name);
      }
      GENERAL_NAME_set0_value(entry.get(), GEN_IPADD, ip);
    } else {
      if (name.empty() || name.find_first_of(" ,/\\") != std::string::npos)
        return Error("generate_loopback_pki: \"" + name + "\" is not a DNS name or IP address");
      entry.reset(GENERAL_NAME_new());
      ASN1_IA5STRING* text = ASN1_IA5STRING_new();
      if (!entry || !text ||
          ASN1_STRING_set(text, name.data(), static_cast<int>(name.size())) != 1) {
        ASN1_IA5STRING_free(text);
        return openssl_failure("subjectAltName DNS:" + name);
      }
      GENERAL_NAME_set0_value(entry.get(), GEN_DNS, text);
    }
    if (sk_GENERAL_NAME_push(general_names.get(), entry.get()) == 0)
      return openssl_failure("subjectAltName " + name);
    entry.release();  // owned by the stack now
  }
  if (X509_add1_ext_i2d(cert, NID_subject_alt_name, general_names.get(), 0, 0) != 1)
    return openssl_failure("add subjectAltName");
  return {};
}

/// An unsigned v3 certificate for `key`, issued by `issuer_cert` (nullptr: self-issued).
tl::expected<X509Ptr, std::string> new_certificate(EVP_PKEY* key, const std::string& common_name,
                                                   X509* issuer_cert, int days) {
  X509Ptr cert(X509_new());
  if (!cert) return openssl_failure("allocate a certificate");
  if (X509_set_version(cert.get(), 2) != 1 || !set_random_serial(cert.get()))
    return openssl_failure("set version and serial of " + common_name);
  // Valid from an hour ago: a peer whose clock runs a little behind still accepts it.
  if (X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600) == nullptr ||
      X509_time_adj_ex(X509_getm_notAfter(cert.get()), days, 0, nullptr) == nullptr)
    return openssl_failure("set the validity of " + common_name);
  if (!set_common_name(X509_get_subject_name(cert.get()), common_name))
    return openssl_failure("set the subject of " + common_name);
  X509_NAME* issuer_name = X509_get_subject_name(issuer_cert ? issuer_cert : cert.get());
  if (X509_set_issuer_name(cert.get(), issuer_name) != 1 || X509_set_pubkey(cert.get(), key) != 1)
    return openssl_failure("set the issuer and key of " + common_name);
  return cert;
}

bool sign(X509* cert, EVP_PKEY* key) { return X509_sign(cert, key, EVP_sha256()) > 0; }

/// Opens `path` for writing with `mode` (also when it exists already) as a stdio stream.
tl::expected<std::unique_ptr<std::FILE, int (*)(std::FILE*)>, std::string> open_for_writing(
    const std::string& path, mode_t mode) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
  if (fd < 0 || ::fchmod(fd, mode) != 0) {
    const int error = errno;
    if (fd >= 0) ::close(fd);
    return Error("generate_loopback_pki: open " + path + ": " + std::strerror(error));
  }
  std::FILE* file = ::fdopen(fd, "w");
  if (file == nullptr) {
    const int error = errno;
    ::close(fd);
    return Error("generate_loopback_pki: open " + path + ": " + std::strerror(error));
  }
  return std::unique_ptr<std::FILE, int (*)(std::FILE*)>(file, &std::fclose);
}

tl::expected<void, std::string> write_pem(const std::string& path, mode_t mode,
                                          const std::function<bool(std::FILE*)>& write) {
  auto file = open_for_writing(path, mode);
  if (!file) return tl::make_unexpected(file.error());
  if (!write(file->get())) return openssl_failure("write " + path);
  std::FILE* raw = file->release();
  if (std::fclose(raw) != 0)
    return Error("generate_loopback_pki: write " + path + ": " + std::strerror(errno));
  return {};
}

}  // namespace

tl::expected<LoopbackPki, std::string> generate_loopback_pki(const std::string& directory,
                                                             const std::vector<std::string>& names,
                                                             int days) {
  if (names.empty()) return Error("generate_loopback_pki: no names for the server certificate");
  if (days <= 0) return Error("generate_loopback_pki: days must be positive");
  std::error_code ec;
  std::filesystem::create_directories(directory, ec);
  if (ec)
    return Error("generate_loopback_pki: create directory " + directory + ": " + ec.message());
  const std::filesystem::path root(directory);
  LoopbackPki pki{(root / "ca.pem").string(), (root / "server.pem").string(),
                  (root / "server.key").string()};

  auto ca_key = generate_key();
  if (!ca_key) return tl::make_unexpected(ca_key.error());
  auto ca = new_certificate(ca_key->get(), "Troupe loopback CA", nullptr, days);
  if (!ca) return tl::make_unexpected(ca.error());
  X509* ca_cert = ca->get();
  if (!add_extension(ca_cert, ca_cert, NID_basic_constraints, "critical,CA:TRUE,pathlen:0") ||
      !add_extension(ca_cert, ca_cert, NID_key_usage, "critical,keyCertSign,cRLSign") ||
      !add_extension(ca_cert, ca_cert, NID_subject_key_identifier, "hash"))
    return openssl_failure("add the CA extensions");
  if (!sign(ca_cert, ca_key->get())) return openssl_failure("self-sign the CA certificate");

  auto server_key = generate_key();
  if (!server_key) return tl::make_unexpected(server_key.error());
  auto server = new_certificate(server_key->get(), names.front(), ca_cert, days);
  if (!server) return tl::make_unexpected(server.error());
  X509* server_cert = server->get();
  if (!add_extension(server_cert, ca_cert, NID_basic_constraints, "critical,CA:FALSE") ||
      !add_extension(server_cert, ca_cert, NID_key_usage, "critical,digitalSignature") ||
      !add_extension(server_cert, ca_cert, NID_ext_key_usage, "serverAuth") ||
      !add_extension(server_cert, ca_cert, NID_subject_key_identifier, "hash") ||
      !add_extension(server_cert, ca_cert, NID_authority_key_identifier, "keyid:always"))
    return openssl_failure("add the server certificate extensions");
  if (auto added = add_subject_alt_names(server_cert, names); !added)
    return tl::make_unexpected(added.error());
  if (!sign(server_cert, ca_key->get()))
    return openssl_failure("sign the server certificate with the CA");

  if (auto written = write_pem(pki.ca_file, 0644,
                               [&](std::FILE* f) { return PEM_write_X509(f, ca_cert) == 1; });
      !written)
    return tl::make_unexpected(written.error());
  if (auto written = write_pem(pki.cert_file, 0644,
                               [&](std::FILE* f) { return PEM_write_X509(f, server_cert) == 1; });
      !written)
    return tl::make_unexpected(written.error());
  if (auto written = write_pem(pki.key_file, 0600,
                               [&](std::FILE* f) {
                                 return PEM_write_PrivateKey(f, server_key->get(), nullptr, nullptr,
                                                             0, nullptr, nullptr) == 1;
                               });
      !written)
    return tl::make_unexpected(written.error());
  return pki;
}

}  // namespace troupe::net
