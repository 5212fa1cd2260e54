#pragma once
// A plain blocking Asio socket for tests that must send bytes no well-behaved client would.
// Reads give up after a receive timeout, so no test can hang on them.

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>

#include <chrono>
#include <cstdint>
#include <string>
#include <sys/socket.h>
#include <sys/time.h>

namespace troupe::net::testing {

class RawSocket {
 public:
  /// Connects to 127.0.0.1:port; `receive_buffer` > 0 shrinks SO_RCVBUF before connecting.
  explicit RawSocket(std::uint16_t port, int receive_buffer = 0) : socket_(ioc_) {
    socket_.open(boost::asio::ip::tcp::v4());
    if (receive_buffer > 0)
      socket_.set_option(boost::asio::socket_base::receive_buffer_size(receive_buffer));
    timeval timeout{3, 0};
    ::setsockopt(socket_.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    socket_.connect({boost::asio::ip::make_address("127.0.0.1"), port});
  }

  void write(const std::string& bytes) { boost::asio::write(socket_, boost::asio::buffer(bytes)); }

  /// Everything until the peer closes (or the 3 s receive timeout).
  std::string read_to_end() {
    std::string out;
    char buffer[4096];
    boost::system::error_code ec;
    for (;;) {
      const auto n = socket_.read_some(boost::asio::buffer(buffer), ec);
      if (ec) break;
      out.append(buffer, n);
    }
    return out;
  }

  /// Reads until `marker` has been seen (or the timeout); returns what was read.
  std::string read_until(const std::string& marker) {
    std::string out;
    char c = 0;
    boost::system::error_code ec;
    while (out.find(marker) == std::string::npos) {
      if (socket_.read_some(boost::asio::buffer(&c, 1), ec) != 1 || ec) break;
      out.push_back(c);
    }
    return out;
  }

 private:
  boost::asio::io_context ioc_;
  boost::asio::ip::tcp::socket socket_;
};

}  // namespace troupe::net::testing
