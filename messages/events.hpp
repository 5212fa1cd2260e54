#pragma once
// Order events (past tense). The order manager journals each one before acknowledging it, then
// publishes it to the portfolio, strategies and API streams. `OrderDenied` is our risk guard
// saying no; `OrderRejected` is the venue saying no.

#include "messages/commands.hpp"
#include "messages/enums.hpp"
#include "messages/fixed_point.hpp"
#include "messages/ids.hpp"

#include <cstdint>
#include <string>

namespace troupe {

/// The order manager accepted the command and is sending it to the venue. Carries the full
/// order so that the journal can rebuild the order from its events alone.
struct OrderSubmitted {
  SubmitOrder order;  ///< with client_order_id assigned
  std::int64_t ts_event = 0;
  std::int64_t ts_init = 0;

  template <class Inspector>
  friend typename Inspector::result_type inspect(Inspector& f, OrderSubmitted& x) {
    return f(x.order, x.ts_event, x.ts_init);
  }
};

/// The venue acknowledged the order; it is working.
struct OrderAccepted {
  AccountId account;
  ClientOrderId client_order_id;
  VenueOrderId venue_order_id;
  InstrumentId instrument;
  std::int64_t ts_event = 0;
  std::int64_t ts_init = 0;

  template <class Inspector>
  friend typename Inspector::result_type inspect(Inspector& f, OrderAccepted& x) {
    return f(x.account, x.client_order_id, x.venue_order_id, x.instrument, x.ts_event, x.ts_init);
  }
};

/// The venue refused the order.
struct OrderRejected {
  AccountId account;
  ClientOrderId client_order_id;
  InstrumentId instrument;
  std::string reason;  ///< the venue's code and text, e.g. "-2010 insufficient balance"
  std::int64_t ts_event = 0;
  std::int64_t ts_init = 0;

  template <class Inspector>
  friend typename Inspector::result_type inspect(Inspector& f, OrderRejected& x) {
    return f(x.account, x.client_order_id, x.instrument, x.reason, x.ts_event, x.ts_init);
  }
};

/// Our risk guard refused the order before any venue call.
struct OrderDenied {
  AccountId account;
  StrategyId strategy;
  ClientOrderId client_order_id;
  InstrumentId instrument;
  DenyReason reason = DenyReason::InvalidOrder;
  std::string message;  ///< names the limit or field, e.g. "notional 1200.00 > max 1000.00"
  std::int64_t ts_event = 0;
  std::int64_t ts_init = 0;

  template <class Inspector>
  friend typename Inspector::result_type inspect(Inspector& f, OrderDenied& x) {
    return f(x.account, x.strategy, x.client_order_id, x.instrument, x.reason, x.message,
             x.ts_event, x.ts_init);
  }
};

/// One execution. A partial fill leaves the order working; `leaves_quantity` is what remains.
struct OrderFilled {
  AccountId account;
  StrategyId strategy;
  ClientOrderId client_order_id;
  VenueOrderId venue_order_id;
  TradeId trade_id;
  InstrumentId instrument;
  Side side = Side::Buy;
  Quantity last_quantity;    ///< this execution's size
  Price last_price;          ///< this execution's price
  Quantity cum_quantity;     ///< total filled so far, including this one
  Quantity leaves_quantity;  ///< still working after this one
  Money commission;          ///< fee of this execution
  std::string commission_asset;
  LiquiditySide liquidity = LiquiditySide::None;
  std::int64_t ts_event = 0;
  std::int64_t ts_init = 0;

  template <class Inspector>
  friend typename Inspector::result_type inspect(Inspector& f, OrderFilled& x) {
    return f(x.account, x.strategy, x.client_order_id, x.venue_order_id, x.trade_id, x.instrument,
             x.side, x.last_quantity, x.last_price, x.cum_quantity, x.leaves_quantity, x.commission,
             x.commission_asset, x.liquidity, x.ts_event, x.ts_init);
  }
};

/// The order was canceled (by us, or expired by the venue for IOC/FOK remainders).
struct OrderCanceled {
  AccountId account;
  ClientOrderId client_order_id;
  VenueOrderId venue_order_id;
  InstrumentId instrument;
  std::string reason;  ///< "user", "ioc_remainder", "fok_unfilled", ...
  std::int64_t ts_event = 0;
  std::int64_t ts_init = 0;

  template <class Inspector>
  friend typename Inspector::result_type inspect(Inspector& f, OrderCanceled& x) {
    return f(x.account, x.client_order_id, x.venue_order_id, x.instrument, x.reason, x.ts_event,
             x.ts_init);
  }
};

/// A market-data session discarded its book state and is resyncing (counted in metrics).
struct BookResyncStarted {
  InstrumentId instrument;
  ResyncReason reason = ResyncReason::Startup;
  std::string detail;  ///< e.g. "expected U=161, got U=170"
  std::int64_t ts_init = 0;

  template <class Inspector>
  friend typename Inspector::result_type inspect(Inspector& f, BookResyncStarted& x) {
    return f(x.instrument, x.reason, x.detail, x.ts_init);
  }
};

/// A venue session (market data or orders) changed connection state.
struct SessionStateChanged {
  VenueId venue;
  std::string session;  ///< "market_data" or "orders"
  SessionState state = SessionState::Connecting;
  std::string detail;  ///< why, e.g. "connected to 127.0.0.1:18081"
  std::int64_t ts_init = 0;

  template <class Inspector>
  friend typename Inspector::result_type inspect(Inspector& f, SessionStateChanged& x) {
    return f(x.venue, x.session, x.state, x.detail, x.ts_init);
  }
};

}  // namespace troupe
