// BinanceCodec construction, the instrument lookup and REST depth snapshots (§2.2).

#include "adapters/venues/binance/binance_codec.hpp"

#include "adapters/venues/binance/json_support.hpp"

#include <optional>
#include <unordered_map>

namespace troupe::binance {
namespace {

namespace od = simdjson::ondemand;
using detail::CodecState;

std::string size_failure(std::size_t size) {
  return "body of " + std::to_string(size) + " bytes exceeds the " +
         std::to_string(kMaxFrameBytes) + "-byte limit";
}

tl::expected<void, std::string> collect_snapshot(od::object& root, CodecState& state,
                                                 std::optional<std::uint64_t>& last_update_id,
                                                 bool& has_bids, bool& has_asks) {
  for (auto entry : root) {
    od::field field;
    if (auto error = std::move(entry).get(field))
      return tl::make_unexpected(detail::json_failure(error));
    std::string_view key;
    if (auto error = field.unescaped_key().get(key)) {
      return tl::make_unexpected(detail::json_failure(error));
    }
    od::value& value = field.value();
    tl::expected<void, std::string> read;
    if (key == "lastUpdateId") {
      auto id = detail::read_uint(value, key);
      if (!id) return tl::make_unexpected(id.error());
      last_update_id = *id;
    } else if (key == "bids") {
      has_bids = true;
      read = detail::read_levels(value, key, state.bids);
    } else if (key == "asks") {
      has_asks = true;
      read = detail::read_levels(value, key, state.asks);
    }
    if (!read) return read;
  }
  return {};
}

}  // namespace

InstrumentLookup make_instrument_lookup(const std::vector<Instrument>& instruments) {
  auto table = std::make_shared<std::unordered_map<std::string, const Instrument*>>();
  for (const Instrument& instrument : instruments) {
    (*table)[instrument.id.symbol] = &instrument;
  }
  return [table](std::string_view symbol) -> const Instrument* {
    auto it = table->find(std::string(symbol));
    return it == table->end() ? nullptr : it->second;
  };
}

BinanceCodec::BinanceCodec(InstrumentLookup lookup, std::string venue)
    : state_(std::make_unique<detail::CodecState>(std::move(lookup), std::move(venue))) {}
BinanceCodec::~BinanceCodec() = default;
BinanceCodec::BinanceCodec(BinanceCodec&&) noexcept = default;
BinanceCodec& BinanceCodec::operator=(BinanceCodec&&) noexcept = default;

tl::expected<BookSnapshot, DecodeError> BinanceCodec::decode_depth_snapshot(
    std::string_view body, const Instrument& instrument, TimestampNs now) {
  auto fail = [&](std::string_view what) {
    return tl::make_unexpected(DecodeError{
        state_->venue + " depth snapshot " + instrument.id.symbol + ": " + std::string(what),
        instrument.id.symbol, true});
  };
  if (body.size() > kMaxFrameBytes) return fail(size_failure(body.size()));
  state_->bids.clear();
  state_->asks.clear();
  od::document doc;
  if (auto error = state_->iterate(body).get(doc)) return fail(detail::json_failure(error));
  od::object root;
  if (auto error = doc.get_object().get(root)) {
    return fail(error == simdjson::INCORRECT_TYPE ? "not a JSON object"
                                                  : detail::json_failure(error));
  }
  std::optional<std::uint64_t> last_update_id;
  bool has_bids = false;
  bool has_asks = false;
  if (auto read = collect_snapshot(root, *state_, last_update_id, has_bids, has_asks); !read) {
    return fail(read.error());
  }
  if (detail::has_trailing_content(doc)) return fail("trailing content after the JSON object");
  if (!last_update_id) return fail("missing " + detail::field_location("lastUpdateId"));
  if (!has_bids) return fail("missing " + detail::field_location("bids"));
  if (!has_asks) return fail("missing " + detail::field_location("asks"));
  BookSnapshot snapshot{instrument.id, *last_update_id, {}, {}, now, now};
  if (auto bids = detail::levels_to_book(state_->bids, instrument, "bids", snapshot.bids); !bids) {
    return fail(bids.error());
  }
  if (auto asks = detail::levels_to_book(state_->asks, instrument, "asks", snapshot.asks); !asks) {
    return fail(asks.error());
  }
  return snapshot;
}

}  // namespace troupe::binance
