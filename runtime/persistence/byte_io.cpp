#include "runtime/persistence/byte_io.hpp"

#include <cstdio>
#include <cstdlib>
#include <limits>

namespace troupe::persistence {

void ByteWriter::string(std::string_view x) {
  if (x.size() > std::numeric_limits<std::uint32_t>::max()) {
    std::fprintf(stderr, "troupe::persistence::ByteWriter: string of %zu bytes exceeds u32\n",
                 x.size());
    std::abort();
  }
  u32(static_cast<std::uint32_t>(x.size()));
  out_.append(x);
}

std::uint64_t ByteReader::fixed(std::size_t width, std::string_view field) {
  if (!ok()) return 0;
  if (remaining() < width) {
    fail(ReadProblem::Truncated, std::string{field} + " needs " + std::to_string(width) +
                                     " bytes, " + std::to_string(remaining()) + " left");
    return 0;
  }
  std::uint64_t x = 0;
  for (std::size_t i = 0; i < width; ++i)
    x |= static_cast<std::uint64_t>(static_cast<unsigned char>(in_[pos_ + i])) << (8 * i);
  pos_ += width;
  return x;
}

std::string ByteReader::string(std::string_view field) {
  const std::uint32_t size = u32(field);
  if (!ok()) return {};
  if (remaining() < size) {
    fail(ReadProblem::Truncated, std::string{field} + " declares " + std::to_string(size) +
                                     " bytes, " + std::to_string(remaining()) + " left");
    return {};
  }
  std::string x{in_.substr(pos_, size)};
  pos_ += size;
  return x;
}

void ByteReader::invalid(std::string_view field, std::string_view detail) {
  fail(ReadProblem::InvalidValue, std::string{field} + ": " + std::string{detail});
}

bool ByteReader::expect_end() {
  if (ok() && remaining() > 0)
    fail(ReadProblem::TrailingBytes,
         std::to_string(remaining()) + " trailing bytes after the last field");
  return ok();
}

void ByteReader::fail(ReadProblem problem, const std::string& message) {
  if (!ok()) return;
  problem_ = problem;
  message_ = what_ + " at byte " + std::to_string(pos_) + ": " + message;
}

void append_big_endian_u64(std::string& out, std::uint64_t x) {
  for (int shift = 56; shift >= 0; shift -= 8)
    out.push_back(static_cast<char>((x >> shift) & 0xFF));
}

std::uint64_t read_big_endian_u64(std::string_view bytes) {
  std::uint64_t x = 0;
  for (std::size_t i = 0; i < 8; ++i) x = (x << 8) | static_cast<unsigned char>(bytes[i]);
  return x;
}

}  // namespace troupe::persistence
