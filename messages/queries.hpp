#pragma once
// Read models returned by queries (the API, the admin tools, tests): the order manager's view of
// an order and the portfolio's view of an account. Replies, not events.

#include "messages/commands.hpp"
#include "messages/enums.hpp"
#include "messages/events.hpp"
#include "messages/fixed_point.hpp"
#include "messages/ids.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace troupe {

/// The current state of one order as kept by the order manager.
struct OrderRecord {
  SubmitOrder order;  ///< as submitted, client_order_id assigned
  VenueOrderId venue_order_id;
  OrderStatus status = OrderStatus::Initialized;
  Quantity filled_quantity;
  Price average_fill_price;     ///< volume-weighted, at the instrument's price precision
  std::string reason;           ///< reject / deny / cancel reason, empty otherwise
  std::int64_t ts_created = 0;  ///< ns since epoch
  std::int64_t ts_updated = 0;

  template <class Inspector>
  friend typename Inspector::result_type inspect(Inspector& f, OrderRecord& x) {
    return f(x.order, x.venue_order_id, x.status, x.filled_quantity, x.average_fill_price, x.reason,
             x.ts_created, x.ts_updated);
  }
};

/// Position in one instrument. `quantity` is signed: positive long, negative short.
struct PositionRecord {
  InstrumentId instrument;
  Quantity quantity;
  Price average_price;  ///< average entry price of the open quantity
  Price mark_price;     ///< last mid used for unrealized P&L (zero until the first mark)
  Money realized_pnl;
  Money unrealized_pnl;
  Money fees;

  template <class Inspector>
  friend typename Inspector::result_type inspect(Inspector& f, PositionRecord& x) {
    return f(x.instrument, x.quantity, x.average_price, x.mark_price, x.realized_pnl,
             x.unrealized_pnl, x.fees);
  }
};

/// Cash balance of one currency.
struct CashBalance {
  std::string currency;
  Money amount;

  template <class Inspector>
  friend typename Inspector::result_type inspect(Inspector& f, CashBalance& x) {
    return f(x.currency, x.amount);
  }
};

/// An account's portfolio.
struct PortfolioSnapshot {
  AccountId account;
  std::vector<PositionRecord> positions;
  std::vector<CashBalance> cash;
  Money realized_pnl;    ///< sum over positions
  Money unrealized_pnl;  ///< sum over positions
  Money fees;
  std::uint64_t fill_count = 0;
  std::int64_t ts = 0;

  template <class Inspector>
  friend typename Inspector::result_type inspect(Inspector& f, PortfolioSnapshot& x) {
    return f(x.account, x.positions, x.cash, x.realized_pnl, x.unrealized_pnl, x.fees, x.fill_count,
             x.ts);
  }
};

/// Reply to SubmitOrder from the risk guard / order manager: either the order as recorded
/// (accepted = true, the order is journaled and on its way to the venue) or our denial.
struct SubmitOrderResponse {
  bool accepted = false;
  OrderRecord record;  ///< valid when accepted
  OrderDenied denial;  ///< valid when !accepted

  template <class Inspector>
  friend typename Inspector::result_type inspect(Inspector& f, SubmitOrderResponse& x) {
    return f(x.accepted, x.record, x.denial);
  }
};

}  // namespace troupe
