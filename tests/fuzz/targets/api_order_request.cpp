// parse_order_request on arbitrary POST /api/v1/orders bodies (docs/api.md) with one BTCUSDT
// instrument (tick 0.10, lot 0.001, so tick and lot checks matter). Oracle: a parsed order obeys
// the documented rules; a refusal is a 400 or a 422 with a message.

#include "adapters/api/order_request.hpp"

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz_support.hpp"

namespace troupe::fuzz {
namespace {

/// ApiBackend that knows BTCUSDT; parsing only calls find_instrument().
class OneInstrumentBackend final : public ApiBackend {
 public:
  OneInstrumentBackend() {
    instrument_ = btcusdt();
    instrument_.size_precision = 3;
    instrument_.tick_size = Price::from_raw(10, 2);
    instrument_.lot_size = Quantity::from_raw(1, 3);
  }
  const Instrument& instrument() const { return instrument_; }

  HealthReport health() override { return {}; }
  PortfolioSnapshot portfolio() override { return {}; }
  std::vector<OrderRecord> orders() override { return {}; }
  const Instrument* find_instrument(const std::string& symbol) override {
    return symbol == instrument_.id.symbol ? &instrument_ : nullptr;
  }
  SubmitOutcome submit(SubmitOrder) override { return std::string("not used"); }
  BookView book(const std::string&, const std::string&, std::size_t) override { return {}; }
  std::optional<ConsolidatedBook> consolidated(const std::string&) override { return {}; }
  std::vector<std::string> consolidated_assets() override { return {}; }
  std::string metrics_text() override { return {}; }

 private:
  Instrument instrument_;
};

bool allowed_id_character(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' ||
         c == '_' || c == ':' || c == '-';
}

void check_order(const SubmitOrder& order, const Instrument& instrument) {
  check(order.instrument == instrument.id, "order for another instrument");
  check(order.quantity.is_positive(), "non-positive qty accepted");
  check(instrument.on_lot(order.quantity), "qty off the lot size accepted");
  const bool limit = order.type == OrderType::Limit || order.type == OrderType::StopLimit;
  const bool stop = order.type == OrderType::Stop || order.type == OrderType::StopLimit;
  check(
      limit ? order.price.is_positive() && instrument.on_tick(order.price) : order.price.is_zero(),
      "limit_price does not match the order type");
  check(stop ? order.trigger_price.is_positive() && instrument.on_tick(order.trigger_price)
             : order.trigger_price.is_zero(),
        "stop_price does not match the order type");
  const std::string& id = order.client_order_id.value;
  check(id.size() <= api::kMaxClientOrderIdLength, "client_order_id too long accepted");
  for (char c : id) check(allowed_id_character(c), "client_order_id character accepted");
  check(order.account.empty() && order.strategy.empty(), "account or strategy filled in");
}

}  // namespace
}  // namespace troupe::fuzz

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace troupe;
  static fuzz::OneInstrumentBackend backend;
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  auto order = api::parse_order_request(body, backend);
  if (order) {
    fuzz::check_order(*order, backend.instrument());
  } else {
    const api::RequestError& error = order.error();
    fuzz::check(error.status == 400 || error.status == 422, "refusal neither 400 nor 422");
    // `field` may legitimately be "" on a 422: an unknown field whose name is the empty string.
    fuzz::check(!error.message.empty(), "refusal without a message");
  }
  return 0;
}
