#include "actors/oms/oms_engine.hpp"

#include "actors/common/invariant.hpp"

#include <algorithm>
#include <string_view>
#include <type_traits>
#include <utility>

namespace troupe {
namespace {

std::int64_t event_time(std::int64_t ts_event, std::int64_t ts_init) {
  return ts_event != 0 ? ts_event : ts_init;
}

OmsIgnored ignored(OmsIgnoreKind kind, std::string reason) {
  return OmsIgnored{kind, std::move(reason)};
}

bool all_digits(std::string_view text) {
  return !text.empty() &&
         std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// Mantissa of `value` (a price mantissa sum) times 10^digits.
__int128 scale_up(__int128 value, std::uint8_t digits) {
  for (std::uint8_t i = 0; i < digits; ++i) value *= 10;
  return value;
}

}  // namespace

OrderManagerEngine::OrderManagerEngine(OmsConfig config, std::uint64_t epoch, const Clock& clock)
    : config_(std::move(config)),
      epoch_(epoch),
      clock_(clock),
      id_prefix_(config_.account.value + "-" + std::to_string(epoch) + "-") {}

OrderManagerEngine::Lookup OrderManagerEngine::lookup(const ClientOrderId& id) {
  auto it = index_.find(id);
  if (it == index_.end()) return {};
  return Lookup{&records_[it->second], &fill_states_[it->second]};
}

const OrderRecord* OrderManagerEngine::find(const ClientOrderId& id) const {
  auto it = index_.find(id);
  return it == index_.end() ? nullptr : &records_[it->second];
}

std::vector<OrderRecord> OrderManagerEngine::open_orders() const {
  std::vector<OrderRecord> out;
  for (const auto& record : records_)
    if (!is_terminal(record.status)) out.push_back(record);
  return out;
}

OmsIgnored OrderManagerEngine::unknown(const ClientOrderId& id, const char* what) const {
  return ignored(OmsIgnoreKind::UnknownOrder, std::string(what) + " for unknown order " + id.value);
}

OmsIgnored OrderManagerEngine::after_terminal(const OrderRecord& record, const char* what) const {
  return ignored(OmsIgnoreKind::AfterTerminal,
                 std::string(what) + " for order " + record.order.client_order_id.value +
                     " after terminal status " + to_string(record.status));
}

OrderDenied OrderManagerEngine::deny(const SubmitOrder& command, DenyReason reason,
                                     std::string message) const {
  const TimestampNs now = clock_.now_ns();
  return OrderDenied{command.account,
                     command.strategy,
                     command.client_order_id,
                     command.instrument,
                     reason,
                     std::move(message),
                     now,
                     now};
}

ClientOrderId OrderManagerEngine::assign_id() {
  // A user may have chosen an id of our form: skip taken sequence numbers.
  for (;;) {
    ClientOrderId id{id_prefix_ + std::to_string(next_seq_++)};
    if (index_.count(id) == 0) return id;
  }
}

void OrderManagerEngine::restore_seq(const ClientOrderId& id) {
  const std::string& text = id.value;
  if (text.size() <= id_prefix_.size() || text.compare(0, id_prefix_.size(), id_prefix_) != 0)
    return;
  const std::string_view digits = std::string_view(text).substr(id_prefix_.size());
  if (!all_digits(digits) || digits.size() > 19) return;
  const std::uint64_t seq = std::stoull(std::string(digits));
  if (seq >= next_seq_) next_seq_ = seq + 1;
}

tl::expected<OrderSubmitted, OrderDenied> OrderManagerEngine::submit(SubmitOrder command) {
  if (command.account.empty()) command.account = config_.account;
  if (command.account != config_.account)
    return tl::make_unexpected(deny(command, DenyReason::InvalidOrder,
                                    "account: " + command.account.value +
                                        " is not this order manager's account " +
                                        config_.account.value));
  if (command.client_order_id.empty()) {
    command.client_order_id = assign_id();
  } else if (const OrderRecord* existing = find(command.client_order_id)) {
    return tl::make_unexpected(deny(command, DenyReason::DuplicateClientOrderId,
                                    "client_order_id " + command.client_order_id.value +
                                        " already used (order is " + to_string(existing->status) +
                                        ")"));
  }
  const TimestampNs now = clock_.now_ns();
  OrderSubmitted event{std::move(command), now, now};
  auto applied = apply(event);
  if (!applied)
    return tl::make_unexpected(deny(event.order, DenyReason::InvalidOrder, applied.error().reason));
  return std::move(*applied);
}

OmsResult<OrderSubmitted> OrderManagerEngine::apply(const OrderSubmitted& event) {
  const SubmitOrder& order = event.order;
  if (order.client_order_id.empty())
    return tl::make_unexpected(
        ignored(OmsIgnoreKind::Inconsistent, "order without client_order_id"));
  if (index_.count(order.client_order_id) != 0)
    return tl::make_unexpected(
        ignored(OmsIgnoreKind::Duplicate,
                "client_order_id " + order.client_order_id.value + " already used"));
  if (!order.quantity.is_positive())
    return tl::make_unexpected(
        ignored(OmsIgnoreKind::Inconsistent,
                "quantity must be positive, got " + order.quantity.to_string()));
  OrderRecord record;
  record.order = order;
  record.status = OrderStatus::Submitted;
  record.filled_quantity = Quantity::from_raw(0, order.quantity.precision());
  record.average_fill_price = Price::from_raw(0, order.price.precision());
  record.ts_created = event_time(event.ts_event, event.ts_init);
  record.ts_updated = record.ts_created;
  FillState fills;
  fills.price_precision = order.price.precision();
  index_.emplace(order.client_order_id, records_.size());
  records_.push_back(std::move(record));
  fill_states_.push_back(std::move(fills));
  restore_seq(order.client_order_id);
  return event;
}

OmsResult<OrderAccepted> OrderManagerEngine::apply(const OrderAccepted& event) {
  auto [record, fills] = lookup(event.client_order_id);
  if (record == nullptr) return tl::make_unexpected(unknown(event.client_order_id, "accept"));
  if (is_terminal(record->status)) return tl::make_unexpected(after_terminal(*record, "accept"));
  if (fills->accepted)
    return tl::make_unexpected(ignored(
        OmsIgnoreKind::Duplicate, "order " + event.client_order_id.value + " already accepted (" +
                                      to_string(record->status) + ")"));
  fills->accepted = true;
  if (!event.venue_order_id.empty()) record->venue_order_id = event.venue_order_id;
  if (record->status == OrderStatus::Submitted) record->status = OrderStatus::Accepted;
  record->ts_updated = event_time(event.ts_event, event.ts_init);
  OrderAccepted out = event;
  out.account = record->order.account;
  out.instrument = record->order.instrument;
  out.venue_order_id = record->venue_order_id;
  return out;
}

std::optional<OmsIgnored> OrderManagerEngine::add_fill(OrderRecord& record, FillState& fills,
                                                       const OrderFilled& event) {
  const std::string& id = record.order.client_order_id.value;
  if (!event.last_quantity.is_positive() || !event.last_price.is_positive())
    return ignored(OmsIgnoreKind::Inconsistent, "fill " + event.trade_id.value + " for order " +
                                                    id + " has quantity " +
                                                    event.last_quantity.to_string() + " at price " +
                                                    event.last_price.to_string());
  const Quantity ordered = record.order.quantity;
  auto quantity = event.last_quantity.rescaled(ordered.precision());
  if (!quantity)
    return ignored(OmsIgnoreKind::Inconsistent,
                   "fill quantity " + event.last_quantity.to_string() + " for order " + id +
                       " is finer than the order quantity " + ordered.to_string());
  const __int128 filled = static_cast<__int128>(record.filled_quantity.raw()) + quantity->raw();
  if (filled > ordered.raw())
    return ignored(OmsIgnoreKind::Inconsistent,
                   "overfill of order " + id + ": filled " + record.filled_quantity.to_string() +
                       " + fill " + event.last_quantity.to_string() + " exceeds order quantity " +
                       ordered.to_string() + " (trade " + event.trade_id.value + ")");
  // Keep the value sum at the finest price precision seen so that it stays exact.
  const std::uint8_t price_precision = event.last_price.precision();
  if (price_precision > fills.price_precision) {
    fills.value =
        scale_up(fills.value, static_cast<std::uint8_t>(price_precision - fills.price_precision));
    fills.price_precision = price_precision;
  }
  const Price price = TROUPE_CHECKED(event.last_price.rescaled(fills.price_precision),
                                     "fill price at a coarser precision");
  fills.value += static_cast<__int128>(price.raw()) * quantity->raw();
  record.filled_quantity =
      Quantity::from_raw(static_cast<std::int64_t>(filled), ordered.precision());
  // Average rounded half up (prices and quantities are positive).
  const __int128 average = (2 * fills.value + filled) / (2 * filled);
  record.average_fill_price =
      Price::from_raw(static_cast<std::int64_t>(average), fills.price_precision);
  return std::nullopt;
}

OmsResult<OrderFilled> OrderManagerEngine::apply(const OrderFilled& event) {
  auto [record, fills] = lookup(event.client_order_id);
  if (record == nullptr) return tl::make_unexpected(unknown(event.client_order_id, "fill"));
  const auto& seen = fills->trade_ids;
  if (!event.trade_id.empty() && std::find(seen.begin(), seen.end(), event.trade_id) != seen.end())
    return tl::make_unexpected(ignored(
        OmsIgnoreKind::Duplicate, "duplicate fill: trade " + event.trade_id.value +
                                      " already applied to order " + event.client_order_id.value));
  if (is_terminal(record->status)) return tl::make_unexpected(after_terminal(*record, "fill"));
  if (auto rejected = add_fill(*record, *fills, event)) return tl::make_unexpected(*rejected);
  if (!event.trade_id.empty()) fills->trade_ids.push_back(event.trade_id);
  fills->accepted = true;
  ++fill_count_;
  if (record->venue_order_id.empty()) record->venue_order_id = event.venue_order_id;
  const Quantity ordered = record->order.quantity;
  TROUPE_ASSERT(record->filled_quantity <= ordered, "filled quantity above order quantity");
  if (record->filled_quantity == ordered)
    record->status = OrderStatus::Filled;
  else if (record->status != OrderStatus::PendingCancel)
    record->status = OrderStatus::PartiallyFilled;
  record->ts_updated = event_time(event.ts_event, event.ts_init);
  OrderFilled out = event;
  out.account = record->order.account;
  out.strategy = record->order.strategy;
  out.instrument = record->order.instrument;
  out.side = record->order.side;
  out.venue_order_id = record->venue_order_id;
  out.cum_quantity = record->filled_quantity;
  out.leaves_quantity = ordered - record->filled_quantity;
  return out;
}

OmsResult<OrderCanceled> OrderManagerEngine::apply(const OrderCanceled& event) {
  auto [record, fills] = lookup(event.client_order_id);
  if (record == nullptr) return tl::make_unexpected(unknown(event.client_order_id, "cancel"));
  if (is_terminal(record->status)) return tl::make_unexpected(after_terminal(*record, "cancel"));
  record->status = OrderStatus::Canceled;
  record->reason = event.reason.empty() ? "canceled" : event.reason;
  if (record->venue_order_id.empty()) record->venue_order_id = event.venue_order_id;
  record->ts_updated = event_time(event.ts_event, event.ts_init);
  OrderCanceled out = event;
  out.account = record->order.account;
  out.instrument = record->order.instrument;
  out.venue_order_id = record->venue_order_id;
  return out;
}

OmsResult<OrderRejected> OrderManagerEngine::apply(const OrderRejected& event) {
  auto [record, fills] = lookup(event.client_order_id);
  if (record == nullptr) return tl::make_unexpected(unknown(event.client_order_id, "reject"));
  if (is_terminal(record->status)) return tl::make_unexpected(after_terminal(*record, "reject"));
  if (fills->accepted)
    return tl::make_unexpected(
        ignored(OmsIgnoreKind::Inconsistent, "reject of order " + event.client_order_id.value +
                                                 " after the venue accepted it (a failed cancel?): "
                                                 "order stays " +
                                                 to_string(record->status) +
                                                 "; venue said: " + event.reason));
  record->status = OrderStatus::Rejected;
  record->reason = event.reason;
  record->ts_updated = event_time(event.ts_event, event.ts_init);
  OrderRejected out = event;
  out.account = record->order.account;
  out.instrument = record->order.instrument;
  return out;
}

OmsResult<CancelOrder> OrderManagerEngine::request_cancel(const CancelOrder& command) {
  auto [record, fills] = lookup(command.client_order_id);
  if (record == nullptr)
    return tl::make_unexpected(unknown(command.client_order_id, "cancel request"));
  if (is_terminal(record->status))
    return tl::make_unexpected(after_terminal(*record, "cancel request"));
  CancelOrder out = command;
  // Stamped here when the sender did not, so that the journaled request replays identically.
  if (out.ts_init == 0) out.ts_init = clock_.now_ns();
  record->status = OrderStatus::PendingCancel;
  record->ts_updated = out.ts_init;
  out.account = record->order.account;
  if (out.strategy.empty()) out.strategy = record->order.strategy;
  out.instrument = record->order.instrument;
  return out;
}

bool OrderManagerEngine::replay(const OmsJournalEvent& event) {
  return std::visit(
      [this](const auto& e) {
        if constexpr (std::is_same_v<std::decay_t<decltype(e)>, CancelOrder>)
          return request_cancel(e).has_value();
        else
          return apply(e).has_value();
      },
      event);
}

}  // namespace troupe
