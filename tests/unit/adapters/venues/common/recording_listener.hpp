#pragma once
// Listeners shared by the venue tests: each records every call in order, so a test can assert
// on the exact sequence or pick out one kind of event.

#include "actors/venue/venue_ports.hpp"

#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace troupe::venues::testing {

/// A state change as reported to a listener.
struct StateChange {
  SessionState state;
  std::string detail;
};

/// A frame error as reported to a listener.
struct FrameError {
  std::string reason;
};

/// The recorded calls of one listener, in order, as a variant of `Alternatives`.
template <class... Alternatives>
struct RecordedEvents {
  using Event = std::variant<Alternatives...>;

  /// Every recorded `T`, in order.
  template <class T>
  std::vector<T> all() const {
    std::vector<T> out;
    for (const Event& e : events) {
      if (const T* t = std::get_if<T>(&e)) out.push_back(*t);
    }
    return out;
  }

  /// The states reported, in order.
  std::vector<SessionState> states() const {
    std::vector<SessionState> out;
    for (const StateChange& s : all<StateChange>()) out.push_back(s.state);
    return out;
  }

  std::vector<Event> events;
};

/// Records every MarketDataListener call in order.
class RecordingMarketDataListener final
    : public MarketDataListener,
      public RecordedEvents<BookSnapshot, BookDeltas, TradeTick, BookResyncStarted, StateChange,
                            FrameError> {
 public:
  void on_snapshot(BookSnapshot s) override { events.emplace_back(std::move(s)); }
  void on_deltas(BookDeltas d) override { events.emplace_back(std::move(d)); }
  void on_trade(TradeTick t) override { events.emplace_back(std::move(t)); }
  void on_resync(BookResyncStarted r) override { events.emplace_back(std::move(r)); }
  void on_state(SessionState s, std::string d) override {
    events.emplace_back(StateChange{s, std::move(d)});
  }
  void on_frame_error(std::string r) override { events.emplace_back(FrameError{std::move(r)}); }
};

}  // namespace troupe::venues::testing
