#include "adapters/net/tls.hpp"

#include <gtest/gtest.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>

#include <cstdio>
#include <fstream>
#include <memory>
#include <sys/stat.h>

#include "tests/unit/adapters/net/tls_test_support.hpp"

namespace troupe::net {
namespace {

using testing::ScopedTempDir;

struct X509Free {
  void operator()(X509* p) const { X509_free(p); }
};
using X509Ptr = std::unique_ptr<X509, X509Free>;

X509Ptr read_certificate(const std::string& path) {
  std::FILE* file = std::fopen(path.c_str(), "r");
  if (file == nullptr) return nullptr;
  X509Ptr cert(PEM_read_X509(file, nullptr, nullptr, nullptr));
  std::fclose(file);
  return cert;
}

EVP_PKEY* read_key(const std::string& path) {
  std::FILE* file = std::fopen(path.c_str(), "r");
  if (file == nullptr) return nullptr;
  EVP_PKEY* key = PEM_read_PrivateKey(file, nullptr, nullptr, nullptr);
  std::fclose(file);
  return key;
}

/// X509_verify_cert of `server` against a store holding only `ca`, for TLS server use, with
/// `host` or `ip` (when not empty) as the name to match. Returns the verification error.
int verify(X509* server, X509* ca, const std::string& host = "", const std::string& ip = "") {
  X509_STORE* store = X509_STORE_new();
  X509_STORE_add_cert(store, ca);
  X509_STORE_CTX* context = X509_STORE_CTX_new();
  X509_STORE_CTX_init(context, store, server, nullptr);
  X509_STORE_CTX_set_purpose(context, X509_PURPOSE_SSL_SERVER);
  X509_VERIFY_PARAM* param = X509_STORE_CTX_get0_param(context);
  if (!host.empty()) X509_VERIFY_PARAM_set1_host(param, host.c_str(), host.size());
  if (!ip.empty()) X509_VERIFY_PARAM_set1_ip_asc(param, ip.c_str());
  const int ok = X509_verify_cert(context);
  const int error = ok == 1 ? X509_V_OK : X509_STORE_CTX_get_error(context);
  X509_STORE_CTX_free(context);
  X509_STORE_free(store);
  return error;
}

TEST(LoopbackPki, WritesParseableFilesWhoseServerCertificateChainsToTheCa) {
  ScopedTempDir dir;
  ASSERT_FALSE(dir.path().empty());
  auto pki = generate_loopback_pki(dir.sub("pki"), {"localhost", "127.0.0.1", "::1"}, 2);
  ASSERT_TRUE(pki) << pki.error();
  EXPECT_EQ(pki->ca_file, dir.sub("pki") + "/ca.pem");
  EXPECT_EQ(pki->cert_file, dir.sub("pki") + "/server.pem");
  EXPECT_EQ(pki->key_file, dir.sub("pki") + "/server.key");

  auto ca = read_certificate(pki->ca_file);
  auto server = read_certificate(pki->cert_file);
  ASSERT_TRUE(ca);
  ASSERT_TRUE(server);
  EVP_PKEY* key = read_key(pki->key_file);
  ASSERT_NE(key, nullptr);
  EXPECT_EQ(X509_check_private_key(server.get(), key), 1);
  EVP_PKEY_free(key);

  EXPECT_EQ(X509_check_ca(ca.get()), 1);  // basicConstraints CA:TRUE with keyCertSign
  EXPECT_EQ(X509_check_ca(server.get()), 0);
  EXPECT_EQ(X509_check_purpose(server.get(), X509_PURPOSE_SSL_SERVER, 0), 1);
  EXPECT_EQ(X509_get_extended_key_usage(server.get()) & XKU_SSL_SERVER, XKU_SSL_SERVER);

  EXPECT_EQ(verify(server.get(), ca.get()), X509_V_OK);
  EXPECT_EQ(verify(server.get(), ca.get(), "localhost"), X509_V_OK);
  EXPECT_EQ(verify(server.get(), ca.get(), "", "127.0.0.1"), X509_V_OK);
  EXPECT_EQ(verify(server.get(), ca.get(), "", "::1"), X509_V_OK);
  EXPECT_EQ(verify(server.get(), ca.get(), "example.com"), X509_V_ERR_HOSTNAME_MISMATCH);
  EXPECT_EQ(verify(server.get(), ca.get(), "", "127.0.0.2"), X509_V_ERR_IP_ADDRESS_MISMATCH);
  // The CA itself must not pass as a server certificate for the names.
  EXPECT_NE(verify(ca.get(), ca.get(), "localhost"), X509_V_OK);
}

TEST(LoopbackPki, KeyFileIsPrivateToTheOwner) {
  ScopedTempDir dir;
  auto pki = generate_loopback_pki(dir.path());
  ASSERT_TRUE(pki) << pki.error();
  struct stat info {};
  ASSERT_EQ(::stat(pki->key_file.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600);
}

TEST(LoopbackPki, EachRunMakesANewCaThatDoesNotVerifyTheOther) {
  ScopedTempDir dir;
  auto first = generate_loopback_pki(dir.sub("a"));
  auto second = generate_loopback_pki(dir.sub("b"));
  ASSERT_TRUE(first) << first.error();
  ASSERT_TRUE(second) << second.error();
  auto first_ca = read_certificate(first->ca_file);
  auto second_server = read_certificate(second->cert_file);
  auto first_server = read_certificate(first->cert_file);
  ASSERT_TRUE(first_ca && second_server && first_server);
  EXPECT_NE(ASN1_INTEGER_cmp(X509_get_serialNumber(first_server.get()),
                             X509_get_serialNumber(second_server.get())),
            0);
  EXPECT_EQ(verify(second_server.get(), first_ca.get()),
            X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY);
}

TEST(LoopbackPki, ErrorsNameTheDirectoryOrTheBadName) {
  ScopedTempDir dir;
  const auto file = dir.sub("plain-file");
  std::ofstream(file) << "x";
  auto blocked = generate_loopback_pki(file + "/pki");
  ASSERT_FALSE(blocked);
  EXPECT_NE(blocked.error().find(file + "/pki"), std::string::npos) << blocked.error();

  auto bad_name = generate_loopback_pki(dir.sub("pki"), {"localhost", "a,IP:1.2.3.4"});
  ASSERT_FALSE(bad_name);
  EXPECT_NE(bad_name.error().find("a,IP:1.2.3.4"), std::string::npos) << bad_name.error();

  EXPECT_FALSE(generate_loopback_pki(dir.sub("pki"), {}));
}

}  // namespace
}  // namespace troupe::net
