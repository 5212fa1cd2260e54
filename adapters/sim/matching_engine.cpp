#include "adapters/sim/matching_engine.hpp"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <utility>

namespace troupe::sim {

std::string reject_text(RejectReason reason) {
  switch (reason) {
    case RejectReason::UnknownSymbol:
      return "Invalid symbol.";
    case RejectReason::SymbolHalted:
      return "Market is closed.";
    case RejectReason::PriceFilter:
      return "Filter failure: PRICE_FILTER";
    case RejectReason::LotSize:
      return "Filter failure: LOT_SIZE";
    case RejectReason::Notional:
      return "Filter failure: NOTIONAL";
    case RejectReason::WouldMatch:
      return "Order would immediately match and take.";
    case RejectReason::DuplicateOrder:
      return "Duplicate order sent.";
    case RejectReason::UnsupportedOrder:
      return "Unsupported order combination.";
  }
  return "Unknown rejection.";
}

void MatchingEngine::add_instrument(const Instrument& instrument) {
  const std::string& symbol = instrument.id.symbol;
  if (books_.count(symbol) != 0) {
    std::fprintf(stderr, "troupe::sim::MatchingEngine: duplicate instrument %s\n", symbol.c_str());
    std::abort();
  }
  books_.emplace(symbol, OrderBook(instrument, events_));
}

const Instrument* MatchingEngine::instrument(std::string_view symbol) const {
  const OrderBook* book = book_of(symbol);
  return book == nullptr ? nullptr : &book->instrument();
}

std::vector<std::string> MatchingEngine::symbols() const {
  std::vector<std::string> out;
  for (const auto& [symbol, book] : books_) out.push_back(symbol);
  return out;
}

OrderBook* MatchingEngine::book_of(std::string_view symbol) {
  auto found = books_.find(symbol);
  return found == books_.end() ? nullptr : &found->second;
}

const OrderBook* MatchingEngine::book_of(std::string_view symbol) const {
  auto found = books_.find(symbol);
  return found == books_.end() ? nullptr : &found->second;
}

std::optional<RejectReason> MatchingEngine::check(OrderRequest& request) const {
  const OrderBook* book = book_of(request.symbol);
  if (book == nullptr) return RejectReason::UnknownSymbol;
  if (auto reason = validate(request, *book)) return reason;
  if (request.post_only && book->would_take(request.side, request.price))
    return RejectReason::WouldMatch;
  return std::nullopt;
}

tl::expected<OrderId, RejectReason> MatchingEngine::submit(OrderRequest request) {
  OrderBook* book = book_of(request.symbol);
  if (auto reason = check(request)) {
    events_.push_back(OrderRejected{std::move(request), *reason});
    return tl::make_unexpected(*reason);
  }
  const OrderId id = next_order_id_++;
  book->execute(id, request);
  return id;
}

// Normalises price and quantity to the instrument's precisions (in place) and checks filters.
std::optional<RejectReason> MatchingEngine::validate(OrderRequest& request,
                                                     const OrderBook& book) const {
  const Instrument& rules = book.instrument();
  if (!rules.tradable) return RejectReason::SymbolHalted;
  if (request.type != OrderType::Limit && request.type != OrderType::Market)
    return RejectReason::UnsupportedOrder;
  if (request.post_only && request.type != OrderType::Limit) return RejectReason::UnsupportedOrder;
  auto quantity = request.quantity.rescaled(rules.size_precision);
  if (!quantity || !quantity->is_positive() || !rules.on_lot(*quantity) ||
      *quantity < rules.min_quantity)
    return RejectReason::LotSize;
  request.quantity = *quantity;
  if (request.type == OrderType::Limit) {
    auto price = request.price.rescaled(rules.price_precision);
    if (!price || !price->is_positive() || !rules.on_tick(*price)) return RejectReason::PriceFilter;
    request.price = *price;
  } else {
    request.price = Price::from_raw(0, rules.price_precision);
  }
  return validate_limits(request, book);
}

std::optional<RejectReason> MatchingEngine::validate_limits(const OrderRequest& request,
                                                            const OrderBook& book) const {
  const Instrument& rules = book.instrument();
  std::optional<Price> reference;
  if (request.type == OrderType::Limit) {
    reference = request.price;
  } else if (auto best = book.best(opposite(request.side))) {
    reference = best->price;
  }
  if (reference && rules.min_notional.is_positive()) {
    // Truncation at the minimum's own precision cannot turn a passing notional into a failing
    // one: the minimum is representable there.
    auto value = notional(*reference, request.quantity, rules.min_notional.precision());
    if (value && *value < rules.min_notional) return RejectReason::Notional;
  }
  if (!request.client_order_id.empty()) {
    bool duplicate = false;
    book.for_each_open([&](const OpenOrder& open) {
      duplicate = duplicate || (open.request.account == request.account &&
                                open.request.client_order_id == request.client_order_id);
    });
    if (duplicate) return RejectReason::DuplicateOrder;
  }
  return std::nullopt;
}

bool MatchingEngine::cancel(OrderId id) {
  for (auto& [symbol, book] : books_)
    if (book.cancel(id, CancelReason::User)) return true;
  return false;
}

std::vector<EngineEvent> MatchingEngine::take_events() {
  std::vector<EngineEvent> out;
  out.swap(events_);
  return out;
}

DepthSnapshot MatchingEngine::snapshot(std::string_view symbol, std::size_t depth) const {
  const OrderBook* book = book_of(symbol);
  return book == nullptr ? DepthSnapshot{} : book->snapshot(depth);
}

std::optional<BookLevel> MatchingEngine::best_bid(std::string_view symbol) const {
  const OrderBook* book = book_of(symbol);
  return book == nullptr ? std::nullopt : book->best(Side::Buy);
}

std::optional<BookLevel> MatchingEngine::best_ask(std::string_view symbol) const {
  const OrderBook* book = book_of(symbol);
  return book == nullptr ? std::nullopt : book->best(Side::Sell);
}

std::uint64_t MatchingEngine::update_id(std::string_view symbol) const {
  const OrderBook* book = book_of(symbol);
  return book == nullptr ? 0 : book->update_id();
}

void MatchingEngine::skip_update_ids(std::string_view symbol, std::uint64_t count) {
  if (OrderBook* book = book_of(symbol)) book->skip_update_ids(count);
}

std::vector<OpenOrder> MatchingEngine::open_orders(std::string_view account,
                                                   std::optional<std::string_view> symbol) const {
  std::vector<OpenOrder> out;
  for (const auto& [book_symbol, book] : books_) {
    if (symbol && *symbol != book_symbol) continue;
    book.for_each_open([&](const OpenOrder& open) {
      if (open.request.account == account) out.push_back(open);
    });
  }
  std::sort(out.begin(), out.end(),
            [](const OpenOrder& a, const OpenOrder& b) { return a.order_id < b.order_id; });
  return out;
}

std::optional<OpenOrder> MatchingEngine::open_order(OrderId id) const {
  for (const auto& [symbol, book] : books_)
    if (auto found = book.find(id)) return found;
  return std::nullopt;
}

}  // namespace troupe::sim
