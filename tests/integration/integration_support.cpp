#include "tests/integration/integration_support.hpp"

#include "adapters/net/beast_client.hpp"
#include "runtime/config_loader.hpp"

#include <spdlog/spdlog.h>

#include <cstdlib>
#include <filesystem>
#include <future>
#include <sstream>
#include <thread>

namespace troupe::testing {

TempDir::TempDir() {
  std::string pattern = "/tmp/troupe-test-XXXXXX";
  if (::mkdtemp(pattern.data())) path_ = pattern;
}

TempDir::~TempDir() {
  std::error_code ec;
  if (!path_.empty()) std::filesystem::remove_all(path_, ec);
}

NodeConfig paper_config(const std::string& data_dir, std::vector<std::string> overrides) {
  std::vector<std::string> all = {"http.port=0",          "sim.port=0",
                                  "market_data.0.port=0", "market_data.1.port=0",
                                  "market_data.2.port=0", "data_dir=" + data_dir,
                                  "log_level=warn"};
  all.insert(all.end(), overrides.begin(), overrides.end());
  auto config = load_node_config(std::string(TROUPE_SOURCE_DIR) + "/config/paper.yaml", all);
  if (!config) throw std::runtime_error(config.error().to_string());
  spdlog::set_level(spdlog::level::warn);  // the nodes log to the test's output
  return *config;
}

tl::expected<net::HttpResponse, std::string> http(std::uint16_t port, std::string method,
                                                  std::string target, std::string body) {
  auto transport = net::make_beast_client_transport(net::Endpoint{"127.0.0.1", port, "test"});
  std::promise<tl::expected<net::HttpResponse, std::string>> promise;
  auto future = promise.get_future();
  net::HttpRequest request;
  request.method = std::move(method);
  request.target = std::move(target);
  request.body = std::move(body);
  if (!request.body.empty()) request.headers.emplace_back("Content-Type", "application/json");
  transport->http(std::move(request),
                  [&promise](tl::expected<net::HttpResponse, std::string> response) {
                    promise.set_value(std::move(response));
                  });
  auto result = future.get();
  transport->shutdown();
  return result;
}

double metric(const std::string& exposition, const std::string& name,
              const std::vector<std::string>& labels) {
  std::istringstream in(exposition);
  std::string line;
  double sum = 0;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    if (line.compare(0, name.size(), name) != 0) continue;
    char next = line.size() > name.size() ? line[name.size()] : '\0';
    if (next != '{' && next != ' ') continue;
    bool match = true;
    for (const auto& label : labels) match = match && line.find(label) != std::string::npos;
    if (!match) continue;
    sum += std::strtod(line.c_str() + line.rfind(' ') + 1, nullptr);
  }
  return sum;
}

bool wait_until(const std::function<bool()>& condition, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    if (condition()) return true;
    if (std::chrono::steady_clock::now() >= deadline) return condition();
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

}  // namespace troupe::testing
