#include "runtime/topic_bus.hpp"

#include "runtime/actor_directory.hpp"
#include "runtime/metrics.hpp"
#include "runtime/node_context.hpp"
#include "runtime/topics.hpp"
#include "runtime/type_ids.hpp"

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/scoped_actor.hpp>

#include <gtest/gtest.h>

#include <chrono>
#include <thread>
#include <vector>

namespace troupe {
namespace {

using namespace std::chrono_literals;

const InstrumentId kBtc{VenueId{"binance"}, "BTCUSDT"};

caf::actor_system_config& registered(caf::actor_system_config& cfg) {
  register_message_types(cfg);
  return cfg;
}

class TopicBusTest : public ::testing::Test {
 protected:
  // Number of int messages `self` can take from its mailbox right now (without waiting).
  static int drain(caf::scoped_actor& self) {
    int n = 0;
    bool more = true;
    while (more) self->receive([&](int) { ++n; }, caf::after(0ms) >> [&] { more = false; });
    return n;
  }

  caf::actor_system_config cfg_;
  caf::actor_system sys_{registered(cfg_)};
  TopicBus bus_;
};

TEST_F(TopicBusTest, DeliversAPublishedMessageToEverySubscriberOfTheTopicOnly) {
  caf::scoped_actor a{sys_}, b{sys_}, other{sys_};
  bus_.subscribe(topics::trades(kBtc), caf::actor_cast<caf::actor>(a));
  bus_.subscribe(topics::trades(kBtc), caf::actor_cast<caf::actor>(b));
  bus_.subscribe(topics::book(kBtc), caf::actor_cast<caf::actor>(other));
  TradeTick trade;
  trade.instrument = kBtc;
  trade.trade_id = TradeId{"t-1"};
  bus_.publish(topics::trades(kBtc), trade);
  for (auto* self : {&a, &b}) {
    bool got = false;
    (*self)->receive([&](const TradeTick& t) { got = t.trade_id.value == "t-1"; },
                     caf::after(5s) >> [] {});
    EXPECT_TRUE(got);
  }
  bool other_got_something = false;
  other->receive([&](const TradeTick&) { other_got_something = true; }, caf::after(0ms) >> [] {});
  EXPECT_FALSE(other_got_something);
}

TEST_F(TopicBusTest, DeliversMultiElementMessagesAsOneMessage) {
  caf::scoped_actor a{sys_};
  bus_.subscribe("t", caf::actor_cast<caf::actor>(a));
  bus_.publish("t", SessionState::Live, std::string("connected"));
  std::string detail;
  a->receive([&](SessionState s, const std::string& d) { detail = d; }, caf::after(5s) >> [] {});
  EXPECT_EQ(detail, "connected");
}

TEST_F(TopicBusTest, DeliversOnceToASubscriberThatSubscribedTwice) {
  caf::scoped_actor a{sys_};
  bus_.subscribe("t", caf::actor_cast<caf::actor>(a));
  bus_.subscribe("t", caf::actor_cast<caf::actor>(a));
  EXPECT_EQ(bus_.subscriber_count("t"), 1u);
  bus_.publish("t", 1);
  EXPECT_EQ(drain(a), 1);
}

TEST_F(TopicBusTest, StopsDeliveringAfterUnsubscribe) {
  caf::scoped_actor a{sys_}, b{sys_};
  bus_.subscribe("t1", caf::actor_cast<caf::actor>(a));
  bus_.subscribe("t2", caf::actor_cast<caf::actor>(a));
  bus_.subscribe("t1", caf::actor_cast<caf::actor>(b));
  bus_.unsubscribe("t1", a->address());
  bus_.publish("t1", 1);
  bus_.publish("t2", 2);
  EXPECT_EQ(drain(a), 1);
  EXPECT_EQ(drain(b), 1);
  bus_.unsubscribe_all(a->address());
  bus_.publish("t2", 3);
  EXPECT_EQ(drain(a), 0);
  EXPECT_EQ(bus_.subscriber_count("t2"), 0u);
  EXPECT_EQ(bus_.topics(), std::vector<std::string>{"t1"});
}

TEST_F(TopicBusTest, NeverKeepsASubscriberAliveAndPrunesItOnceGone) {
  auto hdl = sys_.spawn([]() -> caf::behavior { return {[](int) {}}; });
  bus_.subscribe("t", hdl);
  EXPECT_EQ(bus_.subscriber_count("t"), 1u);
  hdl = nullptr;  // the bus holds the only (weak) reference left
  auto deadline = std::chrono::steady_clock::now() + 5s;
  while (bus_.subscriber_count("t") != 0 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(1ms);
  EXPECT_EQ(bus_.subscriber_count("t"), 0u);
  bus_.publish("t", 1);  // prunes the dead entry
  EXPECT_TRUE(bus_.topics().empty());
}

TEST_F(TopicBusTest, LosesNoMessagesWhenManyThreadsPublish) {
  caf::scoped_actor a{sys_};
  bus_.subscribe("t", caf::actor_cast<caf::actor>(a));
  std::vector<std::thread> publishers;
  for (int t = 0; t < 4; ++t)
    publishers.emplace_back([&, t] {
      for (int i = 0; i < 1000; ++i) bus_.publish("t", t, i);
    });
  for (auto& p : publishers) p.join();
  int received = 0;
  std::vector<int> last(4, -1);
  bool in_order = true;
  a->receive_for(received, 4000)([&](int t, int i) {
    in_order = in_order && i == last[t] + 1;
    last[t] = i;
  });
  EXPECT_EQ(received, 4000);
  EXPECT_TRUE(in_order) << "messages of one publisher arrive in publish order";
}

TEST(Topics, BuildsDistinctNamesPerKindAndKey) {
  EXPECT_EQ(topics::market_data(kBtc), "market_data/binance/BTCUSDT");
  EXPECT_EQ(topics::book(kBtc), "book/binance/BTCUSDT");
  EXPECT_EQ(topics::trades(kBtc), "trades/binance/BTCUSDT");
  EXPECT_EQ(topics::order_events(AccountId{"paper"}), "order_events/paper");
  EXPECT_EQ(topics::venue_status(VenueId{"binance"}), "venue_status/binance");
  EXPECT_NE(topics::book(kBtc), topics::book(InstrumentId{VenueId{"kraken"}, "BTCUSDT"}));
}

class ActorDirectoryTest : public TopicBusTest {};

TEST_F(ActorDirectoryTest, ReturnsAnInvalidHandleForAnUnknownName) {
  ActorDirectory dir;
  EXPECT_FALSE(dir.get("oms/paper"));
}

TEST_F(ActorDirectoryTest, EraseIfRemovesOnlyTheExpectedIncarnation) {
  ActorDirectory dir;
  caf::scoped_actor first{sys_}, second{sys_};
  dir.put("oms/paper", caf::actor_cast<caf::actor>(first));
  dir.put("oms/paper", caf::actor_cast<caf::actor>(second));  // a restart replaces the handle
  EXPECT_EQ(dir.get("oms/paper"), caf::actor_cast<caf::actor>(second));
  dir.erase_if("oms/paper", first->address());  // the old incarnation's late cleanup
  EXPECT_EQ(dir.get("oms/paper"), caf::actor_cast<caf::actor>(second));
  dir.erase_if("oms/paper", second->address());
  EXPECT_FALSE(dir.get("oms/paper"));
}

TEST_F(ActorDirectoryTest, ListsNamesSorted) {
  ActorDirectory dir;
  caf::scoped_actor a{sys_};
  dir.put("risk/paper", caf::actor_cast<caf::actor>(a));
  dir.put("book/BTCUSDT", caf::actor_cast<caf::actor>(a));
  EXPECT_EQ(dir.names(), (std::vector<std::string>{"book/BTCUSDT", "risk/paper"}));
}

TEST_F(TopicBusTest, ReachesTheBusAndClockThroughTheNodeContext) {
  MetricsRegistry metrics;
  ActorDirectory directory;
  SimulatedClock clock(1'000);
  NodeContext ctx{sys_, bus_, metrics, directory, clock};
  caf::scoped_actor a{sys_};
  ctx.bus.subscribe(topics::venue_status(VenueId{"binance"}), caf::actor_cast<caf::actor>(a));
  clock.advance(std::chrono::nanoseconds(500));
  bus_.publish(topics::venue_status(VenueId{"binance"}), ctx.clock.now_ns());
  std::int64_t seen = 0;
  a->receive([&](std::int64_t t) { seen = t; }, caf::after(5s) >> [] {});
  EXPECT_EQ(seen, 1'500);
}

}  // namespace
}  // namespace troupe
