// Kraken WS v2 wire formats (exchange-protocols.md §4.1-§4.3): RFC 3339 times, book frames with
// JSON-number levels, the CRC32 book checksum, and the method response envelope.

#include "adapters/json/json_writer.hpp"
#include "adapters/sim/kraken/kraken_state.hpp"

#include <array>
#include <cstdio>
#include <ctime>

namespace troupe::sim::kraken_detail {
namespace {

constexpr std::size_t kChecksumLevels = 10;

constexpr std::array<std::uint32_t, 256> make_crc_table() {
  std::array<std::uint32_t, 256> table{};
  for (std::uint32_t n = 0; n < 256; ++n) {
    std::uint32_t c = n;
    for (int k = 0; k < 8; ++k) c = (c & 1U) != 0 ? 0xEDB88320U ^ (c >> 1) : c >> 1;
    table[n] = c;
  }
  return table;
}

constexpr auto kCrcTable = make_crc_table();

// §4.2: the value formatted at the pair's precision with the point removed and leading zeros
// stripped. Levels are held at exactly that precision, so the digits are the mantissa's.
void append_field(std::string& out, std::int64_t mantissa) {
  if (mantissa > 0) out += std::to_string(mantissa);
}

template <class Levels>
void append_side(std::string& out, const Levels& levels) {
  std::size_t n = 0;
  for (const auto& [price, qty] : levels) {
    if (n++ == kChecksumLevels) break;
    append_field(out, price);
    append_field(out, qty.raw());
  }
}

void write_times(json::JsonWriter& w, TimestampNs time_in) {
  w.field("time_in", rfc3339(time_in)).field("time_out", rfc3339(time_in));
}

}  // namespace

std::string rfc3339(TimestampNs ns) {
  std::time_t seconds = static_cast<std::time_t>(ns / 1'000'000'000);
  std::int64_t micros = (ns % 1'000'000'000) / 1000;
  if (micros < 0) {
    micros += 1'000'000;
    --seconds;
  }
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char buffer[96];
  std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02dT%02d:%02d:%02d.%06lldZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                static_cast<long long>(micros));
  return buffer;
}

std::uint32_t crc32(std::string_view bytes) {
  std::uint32_t crc = 0xFFFFFFFFU;
  for (unsigned char c : bytes) crc = kCrcTable[(crc ^ c) & 0xFFU] ^ (crc >> 8);
  return crc ^ 0xFFFFFFFFU;
}

std::uint32_t book_checksum(const BidLevels& bids, const AskLevels& asks,
                            const Instrument& instrument) {
  (void)instrument;  // levels are kept at the instrument's precisions (see append_field)
  std::string text;
  text.reserve(2 * kChecksumLevels * 24);
  append_side(text, asks);
  append_side(text, bids);
  return crc32(text);
}

void append_level(std::string& out, std::int64_t price_raw, const Quantity& qty,
                  const Instrument& instrument) {
  if (!out.empty()) out += ',';
  out += "{\"price\":";
  out += Price::from_raw(price_raw, instrument.price_precision).to_string();
  out += ",\"qty\":";
  // §4.2 writes a removed level as `"qty":0`.
  out += qty.is_zero() ? std::string("0") : qty.to_string();
  out += '}';
}

std::string book_frame(bool snapshot, const std::string& symbol, const std::string& bids_json,
                       const std::string& asks_json, std::uint32_t checksum, TimestampNs ts) {
  json::JsonWriter w;
  w.begin_object()
      .field("channel", "book")
      .field("type", snapshot ? "snapshot" : "update")
      .key("data")
      .begin_array()
      .begin_object()
      .field("symbol", symbol)
      .key("bids")
      .raw("[" + bids_json + "]")
      .key("asks")
      .raw("[" + asks_json + "]")
      .field("checksum", checksum)
      .field("timestamp", rfc3339(ts))
      .end_object()
      .end_array();
  return w.end_object().take();
}

std::string success_response(std::string_view method, const std::string& result_json,
                             std::optional<std::int64_t> req_id, TimestampNs time_in) {
  json::JsonWriter w;
  w.begin_object().field("method", method);
  if (!result_json.empty()) w.key("result").raw(result_json);
  w.field("success", true);
  if (req_id) w.field("req_id", *req_id);
  write_times(w, time_in);
  return w.end_object().take();
}

std::string error_response(std::string_view method, const std::string& error,
                           std::optional<std::int64_t> req_id, const std::string& symbol,
                           TimestampNs time_in) {
  json::JsonWriter w;
  w.begin_object().field("error", error).field("method", method);
  if (req_id) w.field("req_id", *req_id);
  w.field("success", false);
  if (!symbol.empty()) w.field("symbol", symbol);
  write_times(w, time_in);
  return w.end_object().take();
}

}  // namespace troupe::sim::kraken_detail
