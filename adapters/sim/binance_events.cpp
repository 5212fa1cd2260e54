// Turns the matching engine's events into venue state and frames: user order records, balance
// settlement, executionReport + outboundAccountPosition (exchange-protocols.md §2.10), public
// trades and depth batches.

#include "adapters/sim/binance_json.hpp"
#include "adapters/sim/binance_state.hpp"

#include <type_traits>

namespace troupe::sim::detail {
namespace {

std::string type_text(const OrderRequest& r) {
  if (r.type == OrderType::Market) return "MARKET";
  return r.post_only ? "LIMIT_MAKER" : "LIMIT";
}

std::string time_in_force_text(const OrderRequest& r) {
  if (r.type == OrderType::Market) return "GTC";
  switch (r.time_in_force) {
    case TimeInForce::Ioc:
      return "IOC";
    case TimeInForce::Fok:
      return "FOK";
    default:
      return "GTC";
  }
}

Execution execution(std::string type, std::string reject_reason = "NONE") {
  Execution x;
  x.type = std::move(type);
  x.reject_reason = std::move(reject_reason);
  return x;
}

class EventApplier {
 public:
  EventApplier(VenueState& state, TimestampNs now) : state_(state), now_(now) {}

  void operator()(const OrderAccepted& e) {
    const OrderRequest& r = e.request;
    if (!state_.accounts.is_user(r.account)) return;
    const Instrument& instrument = *state_.engine.instrument(r.symbol);
    OrderRecord record;
    record.order_id = e.order_id;
    record.symbol = r.symbol;
    record.account = r.account;
    record.client_order_id = r.client_order_id;
    record.side = r.side;
    record.type = type_text(r);
    record.time_in_force = time_in_force_text(r);
    record.price = r.price;
    record.quantity = r.quantity;
    record.executed = Quantity::from_raw(0, instrument.size_precision);
    record.cumulative_quote = Money::from_raw(0, Accounts::kAssetPrecision);
    record.created_ns = now_;
    record.updated_ns = now_;
    // Resting-capable orders count as working from acceptance; IOC, FOK and market never are.
    record.on_book = r.type == OrderType::Limit &&
                     (r.time_in_force == TimeInForce::Gtc || r.time_in_force == TimeInForce::Day);
    if (record.on_book) record.working_ns = now_;
    state_.orders.add(record);
    report(record, execution("NEW"));
  }

  void operator()(const OrderFill& e) {
    if (!state_.accounts.is_user(e.account)) return;
    OrderRecord* record = state_.orders.find(e.order_id);
    if (record == nullptr) return;
    const Instrument& instrument = *state_.engine.instrument(e.symbol);
    const Settlement s = state_.accounts.settle(e, instrument, now_);
    record->executed = e.cumulative;
    record->cumulative_quote += s.quote_quantity;
    record->status = e.leaves.is_zero() ? "FILLED" : "PARTIALLY_FILLED";
    if (e.leaves.is_zero()) record->on_book = false;
    record->updated_ns = now_;
    state_.orders.add_trade(TradeRecord{e.symbol, e.account, e.trade_id, e.order_id, e.price,
                                        e.quantity, s.quote_quantity, s.commission,
                                        s.commission_asset, now_, e.side == Side::Buy, e.maker});
    touch(e.account, instrument);
    Execution x = execution("TRADE");
    x.last_quantity = e.quantity;
    x.last_price = e.price;
    x.last_quote = s.quote_quantity;
    x.commission = s.commission;
    x.commission_asset = s.commission_asset;
    x.trade_id = static_cast<std::int64_t>(e.trade_id);
    x.maker = e.maker;
    report(*record, x);
  }

  void operator()(const OrderCanceled& e) {
    if (!state_.accounts.is_user(e.account)) return;
    state_.accounts.release(e.order_id, now_);
    OrderRecord* record = state_.orders.find(e.order_id);
    if (record == nullptr) return;
    const bool user = e.reason == CancelReason::User;
    record->status = user ? "CANCELED" : "EXPIRED";
    record->on_book = false;
    record->updated_ns = now_;
    touch(e.account, *state_.engine.instrument(e.symbol));
    Execution x = execution(user ? "CANCELED" : "EXPIRED");
    if (e.reason == CancelReason::FokUnfilled) {
      x.expiry_reason = "UNFILLED_FOK_ORDER_EXPIRED";
    } else if (e.reason == CancelReason::IocRemainder) {
      x.expiry_reason =
          record->type == "MARKET" ? "INSUFFICIENT_LIQUIDITY" : "UNFILLED_IOC_QUANTITY_EXPIRED";
    }
    report(*record, x);
  }

  void operator()(const PublicTrade& e) { publish_trade(state_, e, now_); }
  void operator()(const LevelChange& e) { record_level_change(state_, e, now_); }
  // Refusals are answered on the request path (report_rejection), not here.
  void operator()(const OrderRejected&) {}

 private:
  void touch(const std::string& account, const Instrument& instrument) {
    state_.touched_assets[account].insert(instrument.base);
    state_.touched_assets[account].insert(instrument.quote);
  }

  void report(const OrderRecord& record, Execution x) {
    x.execution_id = state_.next_execution_id++;
    x.transaction_ns = now_;
    const Instrument& instrument = *state_.engine.instrument(record.symbol);
    state_.counters.execution_reports +=
        publish_user_event(state_, record.account, execution_report(record, x, instrument, now_));
  }

  VenueState& state_;
  TimestampNs now_;
};

void send_account_positions(VenueState& state, TimestampNs now) {
  for (const auto& [account, assets] : state.touched_assets) {
    std::vector<AssetBalance> balances;
    for (const std::string& asset : assets)
      balances.push_back(state.accounts.balance(account, asset));
    publish_user_event(state, account,
                       account_position(balances, now, state.accounts.update_time(account)));
  }
  state.touched_assets.clear();
}

}  // namespace

void process_events(VenueState& state, TimestampNs now) {
  EventApplier apply(state, now);
  for (const EngineEvent& event : state.engine.take_events()) std::visit(apply, event);
  send_account_positions(state, now);
}

void report_rejection(VenueState& state, const OrderRequest& request, const std::string& type,
                      const std::string& reject_reason, TimestampNs now) {
  const Instrument* instrument = state.engine.instrument(request.symbol);
  if (instrument == nullptr) return;
  OrderRecord record;
  record.symbol = request.symbol;
  record.account = request.account;
  record.client_order_id = request.client_order_id;
  record.side = request.side;
  record.type = type;
  record.time_in_force = time_in_force_text(request);
  record.price = request.type == OrderType::Market ? Price::from_raw(0, instrument->price_precision)
                                                   : request.price;
  record.quantity = request.quantity;
  record.executed = Quantity::from_raw(0, instrument->size_precision);
  record.cumulative_quote = Money::from_raw(0, Accounts::kAssetPrecision);
  record.status = "REJECTED";
  record.created_ns = now;
  record.updated_ns = now;
  Execution x = execution("REJECTED", reject_reason);
  x.execution_id = state.next_execution_id++;
  x.transaction_ns = now;
  state.counters.execution_reports +=
      publish_user_event(state, request.account, execution_report(record, x, *instrument, now));
}

}  // namespace troupe::sim::detail
