#include "actors/book/book_actor.hpp"

#include "actors/book/book_engine.hpp"
#include "runtime/metrics.hpp"
#include "runtime/topic_bus.hpp"
#include "runtime/topics.hpp"

#include <caf/actor_cast.hpp>
#include <caf/actor_system.hpp>
#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>

#include <spdlog/spdlog.h>

#include <memory>
#include <string>
#include <tuple>

namespace troupe {
namespace {

struct BookState {
  std::unique_ptr<BookEngine> engine;
  const NodeContext* context = nullptr;
  std::string out_topic;
  std::string status_topic;
  std::string label;  // "BTCUSDT.binance" for logs
  Counter* updates = nullptr;
  Counter* integrity_failures = nullptr;
  Gauge* in_sync_books = nullptr;  // per venue: books in sync now
  // This book is counted in in_sync_books; shared with the exit functor, which may run after
  // the state is gone.
  std::shared_ptr<bool> counted_in_sync = std::make_shared<bool>(false);
  BookSnapshot top;  // reused buffer for publishing
  std::size_t publish_depth = 10;
  static inline const char* name = "book";

  // Keeps troupe_books_in_sync{venue} in step with this book's validity, and tells
  // topics::book_status when the book stops being in sync.
  void track_sync(const BookResyncStarted* why = nullptr) {
    const bool valid = engine->valid();
    if (valid == *counted_in_sync) return;
    *counted_in_sync = valid;
    if (valid) {
      in_sync_books->inc();
      return;
    }
    in_sync_books->dec();
    BookResyncStarted event;
    if (why != nullptr) {
      event = *why;
    } else {
      // The book itself found the venue's data inconsistent (crossed, gap, bad level).
      event.reason = ResyncReason::Crossed;
      event.detail = "book found invalid data";
    }
    event.instrument = engine->instrument().id;
    event.ts_init = context->clock.now_ns();
    context->bus.publish(status_topic, event);
  }

  void handle(const BookApplyResult& result) {
    track_sync();
    if (result.applied()) {
      updates->inc();
      engine->top_into(publish_depth, top);
      top.ts_init = context->clock.now_ns();
      context->bus.publish(out_topic, top);
    } else if (result.status == BookApplyStatus::Invalid) {
      integrity_failures->inc();
      spdlog::warn("book {}: invalid: {}", label, result.reason);
    }
  }
};

BookActor::behavior_type book_behavior(BookActor::stateful_pointer<BookState> self,
                                       const NodeContext* context, BookConfig config) {
  auto& st = self->state;
  const auto id = config.instrument.id;
  st.context = context;
  st.publish_depth = config.publish_depth;
  st.engine = std::make_unique<BookEngine>(config);
  st.out_topic = topics::book(id);
  st.status_topic = topics::book_status(id);
  st.label = to_string(id);
  Labels labels{{"venue", id.venue.value}, {"symbol", id.symbol}};
  st.updates = &context->metrics.counter("troupe_book_updates_total",
                                         "Book changes applied by symbol book actors", labels);
  st.integrity_failures =
      &context->metrics.counter("troupe_book_integrity_failures_total",
                                "Gaps, crossed books and bad levels detected by books", labels);
  Labels venue_label{{"venue", id.venue.value}};
  Gauge* books =
      &context->metrics.gauge("troupe_books", "Symbol books held, by venue", venue_label);
  st.in_sync_books = &context->metrics.gauge(
      "troupe_books_in_sync", "Symbol books in sync with their venue, by venue", venue_label);
  books->inc();
  context->bus.subscribe(topics::market_data(id), caf::actor_cast<caf::actor>(self));
  self->attach_functor([context, books, in_sync = st.in_sync_books, counted = st.counted_in_sync,
                        addr = self->address()] {
    context->bus.unsubscribe_all(addr);
    books->dec();
    if (*counted) in_sync->dec();
  });
  return {
      [self](const BookSnapshot& snapshot) {
        self->state.handle(self->state.engine->apply(snapshot));
      },
      [self](const BookDeltas& deltas) { self->state.handle(self->state.engine->apply(deltas)); },
      [self](const BookResyncStarted& resync) {
        // The session already counted and logged the resync: not an integrity failure here.
        (void)self->state.engine->apply(resync);
        self->state.track_sync(&resync);
      },
      [self](snapshot_atom, std::uint32_t depth) -> std::tuple<bool, BookSnapshot> {
        auto& engine = *self->state.engine;
        if (!engine.valid()) {
          BookSnapshot empty;
          empty.instrument = engine.instrument().id;
          return {false, std::move(empty)};
        }
        return {true, engine.top(depth)};
      },
  };
}

}  // namespace

BookActor spawn_book_actor(const NodeContext& context, BookConfig config) {
  return context.system.spawn(book_behavior, &context, std::move(config));
}

}  // namespace troupe
