// The troupe-node binary as a user runs it: bad config, graceful SIGTERM, backtest fill logs.

#include <gtest/gtest.h>

#include <chrono>
#include <fcntl.h>
#include <fstream>
#include <poll.h>
#include <signal.h>
#include <sstream>
#include <string>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

#include "tests/integration/integration_support.hpp"

namespace troupe {
namespace {

using namespace std::chrono_literals;

/// A child process running troupe-node with stdout and stderr captured.
class NodeProcess {
 public:
  explicit NodeProcess(std::vector<std::string> args) {
    int fds[2];
    if (::pipe(fds) != 0) return;
    pid_ = ::fork();
    if (pid_ == 0) {
      ::dup2(fds[1], STDOUT_FILENO);
      ::dup2(fds[1], STDERR_FILENO);
      ::close(fds[0]);
      ::close(fds[1]);
      std::vector<char*> argv;
      std::string binary = TROUPE_NODE_BINARY;
      argv.push_back(binary.data());
      for (auto& a : args) argv.push_back(a.data());
      argv.push_back(nullptr);
      ::chdir(TROUPE_SOURCE_DIR);
      ::execv(binary.c_str(), argv.data());
      ::_exit(127);
    }
    ::close(fds[1]);
    out_ = fds[0];
    ::fcntl(out_, F_SETFL, O_NONBLOCK);
  }
  ~NodeProcess() {
    if (pid_ > 0 && exit_code_ < 0) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
    if (out_ >= 0) ::close(out_);
  }

  /// Reads output until `text` appears or `timeout` passes.
  bool wait_for_output(const std::string& text, std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (output_.find(text) == std::string::npos) {
      if (std::chrono::steady_clock::now() >= deadline || !read_some(100)) return false;
    }
    return true;
  }
  /// Waits for the process to end; returns its exit code, or -1 on timeout.
  int wait_exit(std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      read_some(50);
      int status = 0;
      if (::waitpid(pid_, &status, WNOHANG) == pid_) {
        while (read_some(10)) {
        }
        exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
        return exit_code_;
      }
    }
    return -1;
  }
  void signal(int sig) { ::kill(pid_, sig); }
  const std::string& output() const { return output_; }

 private:
  // Returns false at end of file.
  bool read_some(int timeout_ms) {
    pollfd p{out_, POLLIN, 0};
    if (::poll(&p, 1, timeout_ms) <= 0) return true;
    char buffer[4096];
    ssize_t n = ::read(out_, buffer, sizeof buffer);
    if (n > 0) output_.append(buffer, static_cast<std::size_t>(n));
    return n != 0;
  }

  pid_t pid_ = -1;
  int out_ = -1;
  int exit_code_ = -1;
  std::string output_;
};

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST(NodeBinary, BadConfigValueFailsStartupNamingTheKeyAndLine) {
  testing::TempDir dir;
  std::string yaml = read_file(std::string(TROUPE_SOURCE_DIR) + "/config/paper.yaml");
  auto pos = yaml.find("seed: 42");
  ASSERT_NE(pos, std::string::npos);
  yaml.replace(pos, 8, "seed: forty-two");
  const int line = 1 + static_cast<int>(std::count(yaml.begin(), yaml.begin() + pos, '\n'));
  const std::string path = dir.path() + "/bad.yaml";
  std::ofstream(path) << yaml;
  NodeProcess node({"--config", path});
  EXPECT_EQ(node.wait_exit(20s), 2) << node.output();
  EXPECT_NE(node.output().find("bad.yaml:" + std::to_string(line) + ": sim.seed"),
            std::string::npos)
      << node.output();
}

TEST(NodeBinary, SigtermShutsTheNodeDownGracefully) {
  testing::TempDir dir;
  NodeProcess node({"--config", "config/paper.yaml", "--set", "http.port=0", "--set", "sim.port=0",
                    "--set", "market_data.0.port=0", "--set", "market_data.1.port=0", "--set",
                    "market_data.2.port=0", "--set", "data_dir=" + dir.path()});
  ASSERT_TRUE(node.wait_for_output("Press Ctrl-C to stop.", 30s)) << node.output();
  EXPECT_NE(node.output().find("/api/v1/portfolio"), std::string::npos);
  EXPECT_NE(node.output().find("/metrics"), std::string::npos);
  EXPECT_NE(node.output().find("/api/v1/books/kraken/BTC/USD"), std::string::npos);
  EXPECT_NE(node.output().find("/api/v1/consolidated/BTC"), std::string::npos);
  EXPECT_NE(node.output().find("(simulated alpaca)"), std::string::npos);
  node.signal(SIGTERM);
  EXPECT_EQ(node.wait_exit(30s), 0) << node.output();
  EXPECT_NE(node.output().find("received SIGTERM, shutting down"), std::string::npos);
  EXPECT_NE(node.output().find("node node-1 stopped"), std::string::npos) << node.output();
}

TEST(NodeBinary, TwoBacktestsWithTheSameSeedWriteByteIdenticalFillLogs) {
  testing::TempDir dir;
  std::vector<std::string> logs;
  for (int run = 0; run < 2; ++run) {
    const std::string log = dir.path() + "/fills-" + std::to_string(run) + ".log";
    NodeProcess node({"--config", "config/backtest.yaml", "--duration", "60", "--set",
                      "data_dir=" + dir.path(), "--fills-log", log});
    ASSERT_EQ(node.wait_exit(120s), 0) << node.output();
    EXPECT_NE(node.output().find("realized P&L"), std::string::npos) << node.output();
    logs.push_back(read_file(log));
  }
  EXPECT_FALSE(logs[0].empty());
  EXPECT_EQ(logs[0], logs[1]);
}

}  // namespace
}  // namespace troupe
