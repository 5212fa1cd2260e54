#include "adapters/venues/kraken/checksum.hpp"

#include <array>

namespace troupe::kraken {
namespace {

constexpr std::array<std::uint32_t, 256> make_crc_table() {
  std::array<std::uint32_t, 256> table{};
  for (std::uint32_t i = 0; i < 256; ++i) {
    std::uint32_t c = i;
    for (int bit = 0; bit < 8; ++bit) c = (c & 1U) != 0 ? 0xEDB88320U ^ (c >> 1) : c >> 1;
    table[i] = c;
  }
  return table;
}

constexpr std::array<std::uint32_t, 256> kCrcTable = make_crc_table();

// Rescales a mantissa from `from` to `to` decimals. Book levels always carry the instrument's
// precision, so this is the identity in practice; a finer value is truncated, never rounded up.
std::int64_t rescale(std::int64_t raw, std::uint8_t from, std::uint8_t to) {
  for (; from < to; ++from) raw *= 10;
  for (; from > to; --from) raw /= 10;
  return raw;
}

void append_side(std::string& out, std::span<const BookLevel> levels, std::uint8_t price_precision,
                 std::uint8_t qty_precision) {
  const std::size_t count = levels.size() < kChecksumLevels ? levels.size() : kChecksumLevels;
  for (std::size_t i = 0; i < count; ++i) {
    append_checksum_field(out, levels[i].price.raw(), levels[i].price.precision(),
                          price_precision);
    append_checksum_field(out, levels[i].size.raw(), levels[i].size.precision(), qty_precision);
  }
}

}  // namespace

std::uint32_t crc32(std::string_view bytes) {
  std::uint32_t crc = 0xFFFFFFFFU;
  for (char c : bytes) {
    crc = kCrcTable[(crc ^ static_cast<unsigned char>(c)) & 0xFFU] ^ (crc >> 8);
  }
  return crc ^ 0xFFFFFFFFU;
}

void append_checksum_field(std::string& out, std::int64_t raw, std::uint8_t value_precision,
                           std::uint8_t precision) {
  const std::int64_t mantissa = rescale(raw, value_precision, precision);
  if (mantissa > 0) out.append(std::to_string(mantissa));
}

std::string checksum_text(std::span<const BookLevel> asks, std::span<const BookLevel> bids,
                          std::uint8_t price_precision, std::uint8_t qty_precision) {
  std::string out;
  out.reserve(2 * kChecksumLevels * 24);
  append_side(out, asks, price_precision, qty_precision);
  append_side(out, bids, price_precision, qty_precision);
  return out;
}

std::uint32_t book_checksum(std::span<const BookLevel> asks, std::span<const BookLevel> bids,
                            std::uint8_t price_precision, std::uint8_t qty_precision) {
  return crc32(checksum_text(asks, bids, price_precision, qty_precision));
}

}  // namespace troupe::kraken
