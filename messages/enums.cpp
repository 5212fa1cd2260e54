#include "messages/enums.hpp"

#include <array>
#include <utility>

namespace troupe {
namespace {

template <class E, std::size_t N>
std::string name_of(const std::array<std::pair<E, const char*>, N>& table, E x) {
  for (const auto& [value, name] : table)
    if (value == x) return name;
  return "unknown";
}

template <class E, std::size_t N>
std::optional<E> value_of(const std::array<std::pair<E, const char*>, N>& table,
                          std::string_view text) {
  for (const auto& [value, name] : table)
    if (text == name) return value;
  return std::nullopt;
}

constexpr std::array<std::pair<Side, const char*>, 2> kSides{
    {{Side::Buy, "buy"}, {Side::Sell, "sell"}}};
constexpr std::array<std::pair<OrderType, const char*>, 4> kOrderTypes{
    {{OrderType::Market, "market"},
     {OrderType::Limit, "limit"},
     {OrderType::Stop, "stop"},
     {OrderType::StopLimit, "stop_limit"}}};
constexpr std::array<std::pair<TimeInForce, const char*>, 4> kTifs{{{TimeInForce::Day, "day"},
                                                                    {TimeInForce::Gtc, "gtc"},
                                                                    {TimeInForce::Ioc, "ioc"},
                                                                    {TimeInForce::Fok, "fok"}}};
constexpr std::array<std::pair<OrderStatus, const char*>, 10> kStatuses{
    {{OrderStatus::Initialized, "initialized"},
     {OrderStatus::Denied, "denied"},
     {OrderStatus::Submitted, "submitted"},
     {OrderStatus::Accepted, "accepted"},
     {OrderStatus::Rejected, "rejected"},
     {OrderStatus::PendingCancel, "pending_cancel"},
     {OrderStatus::PartiallyFilled, "partially_filled"},
     {OrderStatus::Filled, "filled"},
     {OrderStatus::Canceled, "canceled"},
     {OrderStatus::Expired, "expired"}}};
constexpr std::array<std::pair<LiquiditySide, const char*>, 3> kLiquidity{
    {{LiquiditySide::None, "none"},
     {LiquiditySide::Maker, "maker"},
     {LiquiditySide::Taker, "taker"}}};
constexpr std::array<std::pair<DenyReason, const char*>, 9> kDenyReasons{
    {{DenyReason::MaxOrderNotional, "max_order_notional"},
     {DenyReason::MaxOrderQuantity, "max_order_quantity"},
     {DenyReason::MaxPosition, "max_position"},
     {DenyReason::MaxOrderRate, "max_order_rate"},
     {DenyReason::TradingHalted, "trading_halted"},
     {DenyReason::InvalidOrder, "invalid_order"},
     {DenyReason::UnknownInstrument, "unknown_instrument"},
     {DenyReason::DuplicateClientOrderId, "duplicate_client_order_id"},
     {DenyReason::NoMarketPrice, "no_market_price"}}};
constexpr std::array<std::pair<TradingState, const char*>, 3> kTradingStates{
    {{TradingState::Active, "active"},
     {TradingState::Reducing, "reducing"},
     {TradingState::Halted, "halted"}}};
constexpr std::array<std::pair<ResyncReason, const char*>, 9> kResyncReasons{
    {{ResyncReason::Startup, "startup"},
     {ResyncReason::Gap, "gap"},
     {ResyncReason::OutOfSequence, "out_of_sequence"},
     {ResyncReason::MalformedFrame, "malformed_frame"},
     {ResyncReason::Disconnected, "disconnected"},
     {ResyncReason::Stale, "stale"},
     {ResyncReason::Crossed, "crossed"},
     {ResyncReason::Checksum, "checksum"},
     {ResyncReason::Requested, "requested"}}};
constexpr std::array<std::pair<SessionState, const char*>, 4> kSessionStates{
    {{SessionState::Connecting, "connecting"},
     {SessionState::Syncing, "syncing"},
     {SessionState::Live, "live"},
     {SessionState::Disconnected, "disconnected"}}};

}  // namespace

std::string to_string(Side x) { return name_of(kSides, x); }
std::string to_string(OrderType x) { return name_of(kOrderTypes, x); }
std::string to_string(TimeInForce x) { return name_of(kTifs, x); }
std::string to_string(OrderStatus x) { return name_of(kStatuses, x); }
std::string to_string(LiquiditySide x) { return name_of(kLiquidity, x); }
std::string to_string(DenyReason x) { return name_of(kDenyReasons, x); }
std::string to_string(TradingState x) { return name_of(kTradingStates, x); }
std::string to_string(ResyncReason x) { return name_of(kResyncReasons, x); }
std::string to_string(SessionState x) { return name_of(kSessionStates, x); }

std::optional<Side> parse_side(std::string_view t) { return value_of(kSides, t); }
std::optional<OrderType> parse_order_type(std::string_view t) { return value_of(kOrderTypes, t); }
std::optional<TimeInForce> parse_time_in_force(std::string_view t) { return value_of(kTifs, t); }
std::optional<OrderStatus> parse_order_status(std::string_view t) { return value_of(kStatuses, t); }
std::optional<TradingState> parse_trading_state(std::string_view t) {
  return value_of(kTradingStates, t);
}

bool is_terminal(OrderStatus s) {
  switch (s) {
    case OrderStatus::Denied:
    case OrderStatus::Rejected:
    case OrderStatus::Filled:
    case OrderStatus::Canceled:
    case OrderStatus::Expired:
      return true;
    default:
      return false;
  }
}

}  // namespace troupe
