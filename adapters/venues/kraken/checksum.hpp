#pragma once
// The Kraken WS v2 book checksum (exchange-protocols.md §4.2): CRC32 (IEEE 802.3, as zlib) over
// the top 10 asks (ascending) then the top 10 bids (descending), each level written as price then
// qty, formatted at the pair's precision with the decimal point removed and leading zeros
// stripped.

#include "messages/data.hpp"

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace troupe::kraken {

/// Levels per side the checksum covers, whatever the subscription depth.
inline constexpr std::size_t kChecksumLevels = 10;

/// CRC32 (IEEE 802.3 polynomial, reflected, as zlib's crc32()) of `bytes`.
std::uint32_t crc32(std::string_view bytes);

/// Appends one checksum field: `value` at `precision` decimals, point removed, leading zeros
/// stripped (3000.50 at 2 -> "300050"; 0.00012000 at 8 -> "12000"; zero -> "").
// Equal to the venue's rule applied to its own text: the mantissa at the pair's precision is
// exactly the formatted digits without the point.
void append_checksum_field(std::string& out, std::int64_t raw, std::uint8_t value_precision,
                           std::uint8_t precision);

/// The text the checksum covers. `asks` ascending and `bids` descending (best first); only the
/// first kChecksumLevels of each are used. Prices at `price_precision`, sizes at `qty_precision`.
std::string checksum_text(std::span<const BookLevel> asks, std::span<const BookLevel> bids,
                          std::uint8_t price_precision, std::uint8_t qty_precision);

/// crc32(checksum_text(...)): compare with the `checksum` of a book message.
std::uint32_t book_checksum(std::span<const BookLevel> asks, std::span<const BookLevel> bids,
                            std::uint8_t price_precision, std::uint8_t qty_precision);

}  // namespace troupe::kraken
