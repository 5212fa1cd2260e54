#include "adapters/net/beast_client.hpp"
#include "adapters/net/beast_server.hpp"
#include "adapters/net/tls.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "tests/unit/adapters/net/net_test_support.hpp"
#include "tests/unit/adapters/net/raw_socket.hpp"
#include "tests/unit/adapters/net/tls_test_support.hpp"

namespace troupe::net {
namespace {

using namespace testing;
using Clock = std::chrono::steady_clock;

/// HTTPS and WSS over loopback against a BeastServer serving a PKI generated for the suite.
class BeastTls : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new ScopedTempDir;
    auto pki = generate_loopback_pki(dir_->sub("main"));
    auto other = generate_loopback_pki(dir_->sub("other"));
    auto name_only = generate_loopback_pki(dir_->sub("name-only"), {"localhost"});
    ASSERT_TRUE(pki) << pki.error();
    ASSERT_TRUE(other) << other.error();
    ASSERT_TRUE(name_only) << name_only.error();
    pki_ = *pki;
    other_ = *other;
    name_only_ = *name_only;
  }
  static void TearDownTestSuite() {
    delete dir_;
    dir_ = nullptr;
  }

  void SetUp() override { start_server(pki_); }
  void TearDown() override {
    service_.release();
    if (client_) client_->shutdown();
    if (server_) server_->stop();
  }

  void start_server(const LoopbackPki& pki,
                    std::chrono::milliseconds handshake_timeout = std::chrono::seconds(10)) {
    if (server_) server_->stop();
    ServerOptions options;
    options.name = "tls-test";
    options.tls = {true, pki.cert_file, pki.key_file};
    options.tls_handshake_timeout = handshake_timeout;
    auto started = BeastServer::start(service_, options);
    ASSERT_TRUE(started) << started.error();
    server_ = std::move(*started);
  }

  /// A transport to the server trusting the suite's CA, with `tls` adjustments applied.
  std::unique_ptr<ClientTransport> make_client(TlsClientConfig tls) {
    return make_beast_client_transport({"127.0.0.1", server_->port(), "venue", std::move(tls)});
  }
  static TlsClientConfig trusting(const LoopbackPki& pki, std::string server_name = "") {
    return {true, pki.ca_file, std::move(server_name), true};
  }

  tl::expected<HttpResponse, std::string> fetch(ClientTransport& client, HttpRequest request) {
    HttpResult result;
    client.http(std::move(request), result.callback());
    return result.get();
  }

  std::string where() const { return "127.0.0.1:" + std::to_string(server_->port()); }

  static inline ScopedTempDir* dir_ = nullptr;
  static inline LoopbackPki pki_;
  static inline LoopbackPki other_;
  static inline LoopbackPki name_only_;

  EchoService service_;
  std::unique_ptr<BeastServer> server_;
  std::unique_ptr<ClientTransport> client_;
  RecordingClientHandler handler_;
};

TEST_F(BeastTls, HttpsRoundTripVerifiesTheIpAddressInTheCertificate) {
  client_ = make_client(trusting(pki_));  // host 127.0.0.1, checked against the IP SAN
  auto get = fetch(*client_, {"GET", "/echo?symbol=BTCUSDT", {{"X-Custom", "v1"}}, ""});
  ASSERT_TRUE(get) << get.error();
  EXPECT_EQ(get->status, 200);
  EXPECT_EQ(*find_header(get->headers, "x-target"), "/echo?symbol=BTCUSDT");
  EXPECT_EQ(*find_header(get->headers, "x-seen-x-custom"), "v1");
  auto post = fetch(*client_, {"POST", "/echo", {}, "symbol=BTCUSDT&side=BUY"});
  ASSERT_TRUE(post) << post.error();
  EXPECT_EQ(post->body, "symbol=BTCUSDT&side=BUY");
  EXPECT_EQ(service_.requests.load(), 2);
}

TEST_F(BeastTls, HttpsVerifiesTheDnsNameGivenAsServerName) {
  client_ = make_client(trusting(pki_, "localhost"));
  auto response = fetch(*client_, {"GET", "/echo", {}, ""});
  ASSERT_TRUE(response) << response.error();
  EXPECT_EQ(response->status, 200);
}

TEST_F(BeastTls, WssCarriesMessagesBothWays) {
  client_ = make_client(trusting(pki_, "localhost"));
  auto socket = client_->websocket("/ws/echo", handler_);
  socket->send("one");  // queued before the handshakes complete
  socket->send("two");
  ASSERT_TRUE(handler_.recorder.wait_for_count(3));
  EXPECT_EQ(handler_.recorder.events(),
            (std::vector<std::string>{"open", "msg:echo:one", "msg:echo:two"}));
  auto server_side = service_.wait_for_handler(1);
  ASSERT_NE(server_side, nullptr);
  EXPECT_EQ(server_side->recorder.events(), (std::vector<std::string>{"msg:one", "msg:two"}));

  server_side->socket->send("pushed");
  ASSERT_TRUE(handler_.recorder.wait_for_count(4));
  EXPECT_EQ(handler_.recorder.events().back(), "msg:pushed");

  socket->close();
  ASSERT_TRUE(handler_.recorder.wait_for_prefix("close:"));
  EXPECT_EQ(handler_.recorder.events().back(), "close:closed by client");
  ASSERT_TRUE(server_side->recorder.wait_for_prefix("close"));
}

TEST_F(BeastTls, ClientShutdownEndsAnOpenWssSocketOnce) {
  client_ = make_client(trusting(pki_));
  auto socket = client_->websocket("/ws/push", handler_);
  ASSERT_TRUE(handler_.recorder.wait_for_count(1));
  client_->shutdown();
  EXPECT_EQ(handler_.recorder.events(),
            (std::vector<std::string>{"open", "close:transport shut down"}));
  EXPECT_EQ(handler_.closes.load(), 1);
}

TEST_F(BeastTls, ClientTrustingAnotherCaFailsWithTheVerifyReason) {
  client_ = make_client(trusting(other_));
  auto response = fetch(*client_, {"GET", "/echo", {}, ""});
  ASSERT_FALSE(response);
  const auto& error = response.error();
  EXPECT_EQ(error.rfind("venue: tls handshake " + where() + ": ", 0), 0u) << error;
  EXPECT_NE(error.find("certificate verify failed: unable to get local issuer certificate"),
            std::string::npos)
      << error;
  EXPECT_NE(error.find("(GET /echo)"), std::string::npos) << error;
  EXPECT_EQ(service_.requests.load(), 0);

  auto socket = client_->websocket("/ws/echo", handler_);
  ASSERT_TRUE(handler_.recorder.wait_for_count(1));
  const auto event = handler_.recorder.events().front();
  EXPECT_EQ(event.rfind("close:venue: tls handshake " + where(), 0), 0u) << event;
  EXPECT_NE(event.find("unable to get local issuer certificate"), std::string::npos) << event;
  EXPECT_EQ(service_.wait_for_handler(1, std::chrono::milliseconds(0)), nullptr);
}

TEST_F(BeastTls, ServerNameNotInTheCertificateFailsWithHostnameMismatch) {
  client_ = make_client(trusting(pki_, "api.example.com"));
  auto response = fetch(*client_, {"GET", "/echo", {}, ""});
  ASSERT_FALSE(response);
  EXPECT_NE(response.error().find("certificate verify failed: hostname mismatch"),
            std::string::npos)
      << response.error();
  EXPECT_NE(response.error().find(where()), std::string::npos) << response.error();

  auto socket = client_->websocket("/ws/echo", handler_);
  ASSERT_TRUE(handler_.recorder.wait_for_count(1));
  EXPECT_NE(handler_.recorder.events().front().find("hostname mismatch"), std::string::npos)
      << handler_.recorder.events().front();
}

TEST_F(BeastTls, IpAddressMissingFromTheCertificateFails) {
  start_server(name_only_);  // names only "localhost"
  client_ = make_client(trusting(name_only_));
  auto response = fetch(*client_, {"GET", "/echo", {}, ""});
  ASSERT_FALSE(response);
  EXPECT_NE(response.error().find("certificate verify failed: IP address mismatch"),
            std::string::npos)
      << response.error();

  auto by_name = make_client(trusting(name_only_, "localhost"));
  auto ok = fetch(*by_name, {"GET", "/echo", {}, ""});
  ASSERT_TRUE(ok) << ok.error();
  by_name->shutdown();
}

TEST_F(BeastTls, VerifyPeerOffAcceptsAnUntrustedCertificate) {
  client_ = make_client({true, "", "", false});
  auto response = fetch(*client_, {"GET", "/echo", {}, ""});
  ASSERT_TRUE(response) << response.error();
  EXPECT_EQ(response->status, 200);
}

TEST_F(BeastTls, MissingCaFileFailsEveryRequestNamingTheFile) {
  const auto missing = dir_->sub("no-such-ca.pem");
  client_ = make_client({true, missing, "", true});
  auto response = fetch(*client_, {"GET", "/echo", {}, ""});
  ASSERT_FALSE(response);
  EXPECT_EQ(response.error(), "venue: tls " + where() + ": CA file " + missing +
                                  ": No such file or directory (GET /echo)");
  auto socket = client_->websocket("/ws/echo", handler_);
  ASSERT_TRUE(handler_.recorder.wait_for_count(1));
  EXPECT_EQ(handler_.recorder.events().front(),
            "close:venue: tls " + where() + ": CA file " + missing +
                ": No such file or directory (WebSocket /ws/echo)");
  EXPECT_EQ(service_.requests.load(), 0);
}

TEST_F(BeastTls, CaFileWithoutCertificatesFailsNamingTheFile) {
  client_ = make_client({true, pki_.key_file, "", true});
  auto response = fetch(*client_, {"GET", "/echo", {}, ""});
  ASSERT_FALSE(response);
  EXPECT_NE(response.error().find("CA file " + pki_.key_file + ": "), std::string::npos)
      << response.error();
}

TEST_F(BeastTls, PlainClientsToTheTlsPortAreDroppedAndTheServerKeepsServing) {
  {
    RawSocket raw(server_->port());
    raw.write("GET /echo HTTP/1.1\r\nHost: x\r\n\r\n");
    const auto start = Clock::now();
    const auto reply = raw.read_to_end();
    EXPECT_LT(Clock::now() - start, 2s);  // dropped, not left to the 3 s receive timeout
    EXPECT_EQ(reply.find("HTTP/1.1 200"), std::string::npos) << reply;
  }
  {
    RawSocket raw(server_->port());
    raw.write(std::string(4096, '\x16'));
    raw.read_to_end();
  }
  auto plain = make_beast_client_transport({"127.0.0.1", server_->port(), "plain"});
  auto plain_response = fetch(*plain, {"GET", "/echo", {}, ""});
  EXPECT_FALSE(plain_response);
  plain->shutdown();
  EXPECT_EQ(service_.requests.load(), 0);

  client_ = make_client(trusting(pki_));
  auto response = fetch(*client_, {"GET", "/echo", {}, ""});
  ASSERT_TRUE(response) << response.error();
  EXPECT_EQ(response->status, 200);
}

TEST_F(BeastTls, SilentClientIsDroppedAfterTheHandshakeTimeout) {
  start_server(pki_, std::chrono::milliseconds(300));
  RawSocket silent(server_->port());
  const auto start = Clock::now();
  EXPECT_EQ(silent.read_to_end(), "");
  const auto waited = Clock::now() - start;
  EXPECT_GE(waited, 250ms);
  EXPECT_LT(waited, 2s);

  client_ = make_client(trusting(pki_));
  auto response = fetch(*client_, {"GET", "/echo", {}, ""});
  ASSERT_TRUE(response) << response.error();
}

TEST_F(BeastTls, ServerStopEndsAnOpenWssSocket) {
  client_ = make_client(trusting(pki_));
  auto socket = client_->websocket("/ws/echo", handler_);
  ASSERT_TRUE(handler_.recorder.wait_for_count(1));
  auto server_side = service_.wait_for_handler(1);
  ASSERT_NE(server_side, nullptr);
  server_->stop();
  EXPECT_EQ(server_side->closes.load(), 1);
  ASSERT_TRUE(handler_.recorder.wait_for_prefix("close:"));
}

TEST(BeastTlsServer, StartFailsNamingAMissingOrMismatchedFile) {
  ScopedTempDir dir;
  auto pki = generate_loopback_pki(dir.sub("a"));
  auto other = generate_loopback_pki(dir.sub("b"));
  ASSERT_TRUE(pki && other);
  EchoService service;
  ServerOptions options;
  options.name = "sim";
  options.tls = {true, dir.sub("missing.pem"), pki->key_file};
  auto missing = BeastServer::start(service, options);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error(),
            "sim: TLS: certificate file " + dir.sub("missing.pem") + ": No such file or directory");

  options.tls = {true, pki->cert_file, other->key_file};
  auto mismatched = BeastServer::start(service, options);
  ASSERT_FALSE(mismatched);
  EXPECT_NE(mismatched.error().find("key file " + other->key_file), std::string::npos)
      << mismatched.error();

  options.tls = {true, pki->key_file, pki->key_file};  // a key where the certificate belongs
  auto not_a_certificate = BeastServer::start(service, options);
  ASSERT_FALSE(not_a_certificate);
  EXPECT_NE(not_a_certificate.error().find("certificate file " + pki->key_file), std::string::npos)
      << not_a_certificate.error();
}

}  // namespace
}  // namespace troupe::net
