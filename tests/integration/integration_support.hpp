#pragma once
// Helpers for integration tests that run real nodes in-process: a temporary data directory, a
// blocking HTTP client over the real Beast transport, Prometheus text parsing and bounded waits.

#include "adapters/net/transport.hpp"
#include "runtime/node_config.hpp"

#include <tl/expected.hpp>

#include <chrono>
#include <functional>
#include <string>
#include <vector>

namespace troupe::testing {

/// A fresh directory under /tmp, removed with its contents on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

/// config/paper.yaml with free ports, `data_dir` and quiet logs, plus `overrides`.
NodeConfig paper_config(const std::string& data_dir, std::vector<std::string> overrides = {});

/// One blocking HTTP request to 127.0.0.1:`port` (10 s timeout inside the transport).
tl::expected<net::HttpResponse, std::string> http(std::uint16_t port, std::string method,
                                                  std::string target, std::string body = {});

/// Sum of the samples of `name` whose labels contain every `label="value"` in `labels`
/// (e.g. {"reason=\"gap\""}); 0 when absent.
double metric(const std::string& exposition, const std::string& name,
              const std::vector<std::string>& labels = {});

/// Polls `condition` every 50 ms until it holds or `timeout` passes; returns its last value.
bool wait_until(const std::function<bool()>& condition, std::chrono::milliseconds timeout);

}  // namespace troupe::testing
