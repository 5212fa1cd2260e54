#pragma once
// The byte-level primitives of every format the journal persists (event envelopes, entity meta):
// little-endian fixed-width integers, u32-length-prefixed strings and big-endian u64 keys.
// Nothing here depends on CAF; CAF's serializer output is never persisted (it changed in 0.18).

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace troupe::persistence {

/// Appends fixed-width little-endian values to a growing byte string.
class ByteWriter {
 public:
  /// Appends one byte.
  void u8(std::uint8_t x) { out_.push_back(static_cast<char>(x)); }
  /// Appends 2 bytes, little-endian.
  void u16(std::uint16_t x) { fixed(x, 2); }
  /// Appends 4 bytes, little-endian.
  void u32(std::uint32_t x) { fixed(x, 4); }
  /// Appends 8 bytes, little-endian.
  void u64(std::uint64_t x) { fixed(x, 8); }
  /// Appends 8 bytes, two's complement little-endian.
  void i64(std::int64_t x) { fixed(static_cast<std::uint64_t>(x), 8); }
  /// Appends a u32 byte count followed by the bytes. Strings longer than 4 GiB are a broken
  /// invariant (nothing we journal comes close) and abort.
  void string(std::string_view x);

  /// The bytes written so far.
  const std::string& bytes() const { return out_; }
  /// Moves the bytes out; the writer is empty afterwards.
  std::string take() { return std::move(out_); }

 private:
  void fixed(std::uint64_t x, int width) {
    for (int i = 0; i < width; ++i) out_.push_back(static_cast<char>((x >> (8 * i)) & 0xFF));
  }

  std::string out_;
};

/// What kind of problem a ByteReader ran into.
enum class ReadProblem : std::uint8_t {
  None,           ///< no problem so far
  Truncated,      ///< a field needed more bytes than were left
  InvalidValue,   ///< a field's bytes were present but not a valid value (e.g. an enum byte)
  TrailingBytes,  ///< bytes were left over after the last field
};

/// Reads what ByteWriter wrote, with bounds checks. The first problem is sticky: it is recorded
/// with the field name and byte offset, and every later read returns zero / empty without
/// advancing, so decoders read all fields straight through and check `ok()` once at the end.
class ByteReader {
 public:
  /// Reads `bytes` (not copied; must outlive the reader) from offset `start`. `what` names the
  /// thing being decoded ("OrderFilled", "meta of entity 'oms/acct-1'") and starts every error
  /// message; offsets in messages count from the start of `bytes`.
  ByteReader(std::string_view bytes, std::string what, std::size_t start = 0)
      : in_(bytes), what_(std::move(what)), pos_(start < bytes.size() ? start : bytes.size()) {}

  /// Reads one byte; `field` names it in the error message.
  std::uint8_t u8(std::string_view field) { return static_cast<std::uint8_t>(fixed(1, field)); }
  /// Reads a little-endian u16.
  std::uint16_t u16(std::string_view field) { return static_cast<std::uint16_t>(fixed(2, field)); }
  /// Reads a little-endian u32.
  std::uint32_t u32(std::string_view field) { return static_cast<std::uint32_t>(fixed(4, field)); }
  /// Reads a little-endian u64.
  std::uint64_t u64(std::string_view field) { return fixed(8, field); }
  /// Reads a little-endian two's complement i64.
  std::int64_t i64(std::string_view field) { return static_cast<std::int64_t>(fixed(8, field)); }
  /// Reads a u32 length and that many bytes.
  std::string string(std::string_view field);

  /// Records an InvalidValue problem for `field` (unless a problem is already recorded).
  void invalid(std::string_view field, std::string_view detail);
  /// Records a TrailingBytes problem if any bytes are left; returns `ok()`.
  bool expect_end();

  /// True while no problem has been recorded.
  bool ok() const { return problem_ == ReadProblem::None; }
  /// The first problem, or ReadProblem::None.
  ReadProblem problem() const { return problem_; }
  /// Text of the first problem: what, field, byte offset and what was wrong.
  const std::string& message() const { return message_; }
  /// Byte offset of the next read.
  std::size_t position() const { return pos_; }
  /// Bytes not read yet.
  std::size_t remaining() const { return in_.size() - pos_; }

 private:
  std::uint64_t fixed(std::size_t width, std::string_view field);
  void fail(ReadProblem problem, const std::string& message);

  std::string_view in_;
  std::string what_;
  std::size_t pos_ = 0;
  ReadProblem problem_ = ReadProblem::None;
  std::string message_;
};

/// Appends `x` as 8 big-endian bytes, so that byte-wise key order equals numeric order.
void append_big_endian_u64(std::string& out, std::uint64_t x);
/// Reads 8 big-endian bytes at the start of `bytes` (which must hold at least 8).
std::uint64_t read_big_endian_u64(std::string_view bytes);

}  // namespace troupe::persistence
