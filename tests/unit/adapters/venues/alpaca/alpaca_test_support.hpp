#pragma once
// Shared fixtures for the Alpaca tests: US equity instruments, composed frames in the shapes of
// exchange-protocols.md §1.11, and a listener that records every call (bars included) in order.

#include "actors/venue/venue_ports.hpp"
#include "messages/instrument.hpp"

#include <string>
#include <utility>
#include <vector>

#include "tests/unit/adapters/venues/common/recording_listener.hpp"

namespace troupe::alpaca::testing {

/// A US equity: price precision 2 (cents), size precision 0 (whole shares).
inline Instrument equity(std::string symbol) {
  Instrument instrument;
  instrument.id = InstrumentId{VenueId{"alpaca"}, std::move(symbol)};
  instrument.base = instrument.id.symbol;
  instrument.quote = "USD";
  instrument.price_precision = 2;
  instrument.size_precision = 0;
  instrument.tick_size = Price::from_raw(1, 2);
  instrument.lot_size = Quantity::from_raw(1, 0);
  return instrument;
}

inline Price px(const char* text) { return *Price::parse(text, 2); }
inline Quantity qty(const char* text) { return *Quantity::parse(text, 0); }

inline const std::string kConnected = R"([{"T":"success","msg":"connected"}])";
inline const std::string kAuthenticated = R"([{"T":"success","msg":"authenticated"}])";

/// The `subscription` echo for trades and quotes of `symbols`.
inline std::string subscription_echo(const std::vector<std::string>& symbols) {
  std::string list;
  for (const auto& s : symbols) list += (list.empty() ? "\"" : ",\"") + s + "\"";
  return R"([{"T":"subscription","trades":[)" + list + R"(],"quotes":[)" + list +
         R"(],"bars":[],"updatedBars":[],"dailyBars":[],"statuses":[],"lulds":[],"corrections":[)" +
         list + R"(],"cancelErrors":[)" + list + "]}]";
}

/// The §1.11 two-quote frame (AAPL and MSFT).
inline const std::string kQuotes =
    R"([{"T":"q","S":"AAPL","bx":"V","bp":187.23,"bs":2,"ax":"V","ap":187.25,"as":3,)"
    R"("t":"2024-06-03T14:30:02.460001234Z","c":["R"],"z":"C"},)"
    R"({"T":"q","S":"MSFT","bx":"V","bp":412.10,"bs":1,"ax":"V","ap":412.14,"as":4,)"
    R"("t":"2024-06-03T14:30:02.460100000Z","c":["R"],"z":"C"}])";

/// The §1.11 trade frame.
inline const std::string kTrade =
    R"([{"T":"t","S":"AAPL","i":52983525029461,"x":"V","p":187.24,"s":100,)"
    R"("t":"2024-06-03T14:30:02.456789123Z","c":["@"],"z":"C"}])";

/// The §1.11 bar frame, for AAPL.
inline const std::string kBar =
    R"([{"T":"b","S":"AAPL","o":528.01,"h":528.30,"l":527.95,"c":528.22,"v":48211,)"
    R"("t":"2024-06-03T14:30:00Z","n":612,"vw":528.14}])";

/// 2024-06-03T14:30:02.460001234Z in ns.
inline constexpr TimestampNs kQuoteTimeNs = 1'717'425'002'460'001'234;

using venues::testing::FrameError;
using venues::testing::StateChange;

/// Records every MarketDataListener call in order, bars included.
class RecordingListener final
    : public MarketDataListener,
      public venues::testing::RecordedEvents<BookSnapshot, BookDeltas, TradeTick, BookResyncStarted,
                                             StateChange, FrameError, Bar> {
 public:
  void on_snapshot(BookSnapshot s) override { events.emplace_back(std::move(s)); }
  void on_deltas(BookDeltas d) override { events.emplace_back(std::move(d)); }
  void on_trade(TradeTick t) override { events.emplace_back(std::move(t)); }
  void on_bar(Bar b) override { events.emplace_back(std::move(b)); }
  void on_resync(BookResyncStarted r) override { events.emplace_back(std::move(r)); }
  void on_state(SessionState s, std::string d) override {
    events.emplace_back(StateChange{s, std::move(d)});
  }
  void on_frame_error(std::string r) override { events.emplace_back(FrameError{std::move(r)}); }
};

}  // namespace troupe::alpaca::testing
