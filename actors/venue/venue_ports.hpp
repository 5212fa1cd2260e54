#pragma once
// Port interfaces the venue session actors declare and the venue adapters implement
// (adapters/venues/<venue>/). CAF-free. A port owns its I/O; it reports through a listener whose
// methods may be called from the port's own thread, so listener implementations only enqueue
// (the session actors forward each call to their own mailbox).

#include "messages/commands.hpp"
#include "messages/data.hpp"
#include "messages/events.hpp"

#include <functional>
#include <memory>
#include <string>

namespace troupe {

/// Receives what a market-data port learns. Never called concurrently for one port.
class MarketDataListener {
 public:
  virtual ~MarketDataListener() = default;
  /// A fresh full book (after connect or resync): replaces the book for that instrument.
  virtual void on_snapshot(BookSnapshot snapshot) = 0;
  /// Level changes that follow the last snapshot or deltas without a gap.
  virtual void on_deltas(BookDeltas deltas) = 0;
  /// A public trade.
  virtual void on_trade(TradeTick trade) = 0;
  /// A completed OHLCV bar (venues that stream bars, e.g. Alpaca minute bars). Default: ignored.
  virtual void on_bar(Bar bar) {}
  /// The book for an instrument is invalid until the next snapshot (gap, bad frame, ...).
  virtual void on_resync(BookResyncStarted event) = 0;
  /// Connection state changed; `detail` says why ("connected to 127.0.0.1:18082").
  virtual void on_state(SessionState state, std::string detail) = 0;
  /// A frame could not be used: malformed JSON, unknown type, missing field. `reason` names the
  /// venue, the stream and what was wrong. Counted in metrics; the port resyncs if needed.
  virtual void on_frame_error(std::string reason) = 0;
};

/// One market-data connection to one venue for a set of instruments (configured at creation).
class MarketDataPort {
 public:
  virtual ~MarketDataPort() = default;
  /// Connects, subscribes and syncs books; reports to `listener` until stop() returns.
  virtual void start(MarketDataListener& listener) = 0;
  /// Disconnects; blocks until no listener call is running or will run.
  virtual void stop() = 0;
};

/// Receives venue reports for one account. Never called concurrently for one port.
/// Events carry account, client order id and instrument; the order manager fills in the rest.
class OrderListener {
 public:
  virtual ~OrderListener() = default;
  virtual void on_accepted(OrderAccepted event) = 0;
  virtual void on_rejected(OrderRejected event) = 0;
  virtual void on_filled(OrderFilled event) = 0;
  virtual void on_canceled(OrderCanceled event) = 0;
  /// Connection state of the order session (user-data stream).
  virtual void on_state(SessionState state, std::string detail) = 0;
  /// A report or response could not be used; `reason` names venue and what was wrong.
  virtual void on_frame_error(std::string reason) = 0;
};

/// Order entry for one account at one venue.
class OrderPort {
 public:
  virtual ~OrderPort() = default;
  /// Connects the user-data stream; reports to `listener` until stop() returns.
  virtual void start(OrderListener& listener) = 0;
  /// Disconnects; blocks until no listener call is running or will run.
  virtual void stop() = 0;
  /// Sends a new order (client_order_id already assigned). The outcome arrives as events.
  virtual void submit(const SubmitOrder& order) = 0;
  /// Sends a cancel for a working order. The outcome arrives as events (or on_rejected text).
  virtual void cancel(const CancelOrder& cancel) = 0;
};

/// Creates a fresh port on every (re)start of a session actor.
using MarketDataPortFactory = std::function<std::unique_ptr<MarketDataPort>()>;
using OrderPortFactory = std::function<std::unique_ptr<OrderPort>()>;

}  // namespace troupe
