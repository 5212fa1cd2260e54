#include "tests/unit/adapters/sim/kraken/kraken_sim_support.hpp"

#include <iterator>

namespace troupe::sim::kraken_test {
namespace {

namespace od = simdjson::ondemand;

std::string token(od::value value) {
  std::string_view raw = value.raw_json_token();
  while (!raw.empty() && (raw.back() == ' ' || raw.back() == '\n')) raw.remove_suffix(1);
  return std::string(raw);
}

// Exact: the number tokens are read as decimal text, never through double.
std::vector<BookLevel> read_levels(od::array levels, const Instrument& instrument) {
  std::vector<BookLevel> out;
  for (od::object level : levels) {
    const std::string price = token(level["price"]);
    const std::string qty = token(level["qty"]);
    out.push_back(BookLevel{*Price::parse(price, instrument.price_precision),
                            *Quantity::parse(qty, instrument.size_precision)});
  }
  return out;
}

template <class Map>
void put(Map& side, const BookLevel& level) {
  if (level.size.is_zero()) {
    side.erase(level.price.raw());
  } else {
    side[level.price.raw()] = level.size;
  }
}

template <class Map>
std::size_t cut(Map& side, std::size_t depth) {
  std::size_t removed = 0;
  while (side.size() > depth) {
    side.erase(std::prev(side.end()));
    ++removed;
  }
  return removed;
}

template <class Map>
std::vector<BookLevel> levels(const Map& side, std::uint8_t precision, std::size_t count) {
  std::vector<BookLevel> out;
  for (const auto& [price, qty] : side) {
    if (out.size() == count) break;
    out.push_back(BookLevel{Price::from_raw(price, precision), qty});
  }
  return out;
}

}  // namespace

BookItem parse_book(const std::string& frame, const Instrument& instrument) {
  od::parser parser;
  simdjson::padded_string padded(frame);
  od::document doc = parser.iterate(padded);
  BookItem out;
  out.snapshot = std::string_view(doc["type"]) == "snapshot";
  for (od::object item : doc["data"].get_array()) {
    out.symbol = std::string(std::string_view(item["symbol"]));
    out.bids = read_levels(item["bids"].get_array(), instrument);
    out.asks = read_levels(item["asks"].get_array(), instrument);
    out.checksum = static_cast<std::uint32_t>(std::uint64_t(item["checksum"]));
    break;
  }
  return out;
}

bool ClientBook::apply(const BookItem& item) {
  if (item.snapshot) {
    bids_.clear();
    asks_.clear();
  }
  for (const BookLevel& level : item.bids) put(bids_, level);
  for (const BookLevel& level : item.asks) put(asks_, level);
  truncated += cut(bids_, depth_) + cut(asks_, depth_);
  const auto top_asks = levels(asks_, instrument_.price_precision, kraken::kChecksumLevels);
  const auto top_bids = levels(bids_, instrument_.price_precision, kraken::kChecksumLevels);
  return kraken::book_checksum(top_asks, top_bids, instrument_.price_precision,
                               instrument_.size_precision) == item.checksum;
}

std::vector<BookLevel> ClientBook::bids() const {
  return levels(bids_, instrument_.price_precision, bids_.size());
}

std::vector<BookLevel> ClientBook::asks() const {
  return levels(asks_, instrument_.price_precision, asks_.size());
}

}  // namespace troupe::sim::kraken_test
