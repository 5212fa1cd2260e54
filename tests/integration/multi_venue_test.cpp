// A paper node streaming every venue from its simulated front end over TLS on loopback (a CA and
// certificates generated at start). Two claims of the market-data issue:
// - under more than 1,000 injected faults spread over the venues, every book equals the venue's
//   own book once its session has caught up, and no crossed book is ever published;
// - one node holds 1,000 live books over the four venues without falling behind, and /metrics
//   shows per-venue message rates, resyncs and book counts.

#include "actors/book/book_actor.hpp"
#include "adapters/sim/front_end.hpp"
#include "adapters/sim/sim_server.hpp"
#include "runtime/actor_directory.hpp"
#include "runtime/config_loader.hpp"
#include "runtime/metrics.hpp"
#include "runtime/topic_bus.hpp"
#include "runtime/topics.hpp"
#include "tools/node/actor_names.hpp"
#include "tools/node/market_data_ports.hpp"
#include "tools/node/paper_node.hpp"

#include <caf/actor_cast.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/scoped_actor.hpp>
#include <caf/send.hpp>

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <spdlog/spdlog.h>

#include <atomic>
#include <map>
#include <random>
#include <thread>

#include "tests/integration/integration_support.hpp"

namespace troupe {
namespace {

using namespace std::chrono_literals;
using testing::metric;
using testing::wait_until;

// How each venue's instruments look in the generated config.
struct VenueShape {
  std::string venue;
  std::string quote;
  int price_precision;
  int size_precision;
  const char* tick;
  const char* lot;
  const char* maker_size;
  const char* taker_size;
  std::size_t compare_depth;  // levels per side the node's book is compared on
};

const std::vector<VenueShape> kVenues = {
    {"binance", "USDT", 2, 5, "0.01", "0.00001", "0.5", "0.05", 1000},
    {"kraken", "USD", 1, 8, "0.1", "0.00000001", "0.5", "0.05", 10},
    {"coinbase", "USD", 2, 8, "0.01", "0.00000001", "0.5", "0.05", 1000},
    {"alpaca", "USD", 2, 0, "0.01", "1", "50", "5", 1},
};

// Venue symbol of asset `base` at `venue`.
std::string symbol_of(const std::string& venue, const std::string& base, const std::string& quote) {
  if (venue == "kraken") return base + "/" + quote;
  if (venue == "coinbase") return base + "-" + quote;
  if (venue == "alpaca") return base;
  return base + quote;
}

struct Universe {
  std::string yaml;
  std::vector<std::pair<InstrumentId, std::size_t>> books;  // id, compare depth
};

// A paper config over TLS with `bases(venue)` assets on every venue of kVenues.
Universe make_universe(const std::function<std::vector<std::string>(const VenueShape&)>& bases,
                       int makers, int takers, int levels, int step_ms) {
  Universe u;
  std::string instruments, sims, feeds;
  for (const auto& v : kVenues) {
    for (const auto& base : bases(v)) {
      const auto symbol = symbol_of(v.venue, base, v.quote);
      u.books.emplace_back(InstrumentId{VenueId{v.venue}, symbol}, v.compare_depth);
      instruments += fmt::format(
          "  - {{symbol: \"{}\", venue: {}, base: {}, quote: {}, price_precision: {}, "
          "size_precision: {}, tick_size: \"{}\", lot_size: \"{}\"}}\n",
          symbol, v.venue, base, v.quote, v.price_precision, v.size_precision, v.tick, v.lot);
      sims += fmt::format(
          "    - {{symbol: \"{}\", start_price: \"{}\", market_makers: {}, noise_takers: {}, "
          "maker_levels: {}, maker_size: \"{}\", taker_size: \"{}\"}}\n",
          symbol, v.price_precision == 1 ? "100.0" : "100.00", makers, takers, levels, v.maker_size,
          v.taker_size);
    }
    if (v.venue != "binance")
      feeds += fmt::format(
          "  - {{venue: {}, port: 0, stale_after_ms: 1500, reconnect_min_ms: 50, "
          "reconnect_max_ms: 500{}}}\n",
          v.venue, v.venue == "alpaca" ? ", feed: sip" : "");
  }
  u.yaml = fmt::format(R"(node_name: multi
mode: paper
log_level: warn
http: {{port: 0}}
instruments:
{}venue:
  name: binance
  account: paper
  stale_after_ms: 1500
  reconnect_min_ms: 50
  reconnect_max_ms: 500
  snapshot_depth: 100
market_data:
{}sim:
  tls: true
  port: 0
  step_ms: {}
  seed: 11
  balances: {{USDT: "100000"}}
  instruments:
{}risk:
  max_order_notional: "5000"
strategies: []
)",
                       instruments, feeds, step_ms, sims);
  return u;
}

NodeConfig load(const Universe& u, const std::string& data_dir) {
  auto config = load_node_config_from_string(u.yaml, {"data_dir=" + data_dir}, "multi.yaml");
  if (!config) throw std::runtime_error(config.error().to_string());
  spdlog::set_level(spdlog::level::err);  // thousands of expected resync warnings
  return *config;
}

// Counts crossed or locked tops published by any book.
class CrossedBookWatch {
 public:
  CrossedBookWatch(PaperNode& node, const Universe& u) {
    auto* crossed = &crossed_;
    auto* tops = &tops_;
    actor_ = node.system().spawn([crossed, tops](caf::event_based_actor*) -> caf::behavior {
      return {[crossed, tops](const BookSnapshot& top) {
        tops->fetch_add(1);
        if (!top.bids.empty() && !top.asks.empty() &&
            top.bids.front().price >= top.asks.front().price)
          crossed->fetch_add(1);
      }};
    });
    for (const auto& [id, depth] : u.books) node.bus().subscribe(topics::book(id), actor_);
  }
  ~CrossedBookWatch() { caf::anon_send_exit(actor_, caf::exit_reason::user_shutdown); }
  std::uint64_t crossed() const { return crossed_.load(); }
  std::uint64_t tops() const { return tops_.load(); }

 private:
  std::atomic<std::uint64_t> crossed_{0};
  std::atomic<std::uint64_t> tops_{0};
  caf::actor actor_;
};

// The node's book actor's view: (in sync, top `depth`).
std::pair<bool, BookSnapshot> node_book(PaperNode& node, const InstrumentId& id,
                                        std::size_t depth) {
  std::pair<bool, BookSnapshot> out{false, {}};
  auto book = caf::actor_cast<BookActor>(node.directory().get(names::book(id)));
  if (!book) return out;
  caf::scoped_actor self{node.system()};
  self->request(book, 5s, snapshot_atom_v, static_cast<std::uint32_t>(depth))
      .receive(
          [&](bool in_sync, BookSnapshot& s) {
            out = {in_sync, std::move(s)};
          },
          [](caf::error&) {});
  return out;
}

bool same_levels(const BookSnapshot& a, const BookSnapshot& b) {
  return a.bids == b.bids && a.asks == b.asks;
}

std::string describe(const BookSnapshot& s) {
  std::string out = "bids";
  for (std::size_t i = 0; i < std::min<std::size_t>(3, s.bids.size()); ++i)
    out += " " + s.bids[i].price.to_string() + "x" + s.bids[i].size.to_string();
  out += " (" + std::to_string(s.bids.size()) + ") asks";
  for (std::size_t i = 0; i < std::min<std::size_t>(3, s.asks.size()); ++i)
    out += " " + s.asks[i].price.to_string() + "x" + s.asks[i].size.to_string();
  return out + " (" + std::to_string(s.asks.size()) + ")";
}

void pause_all(PaperNode& node, bool paused) {
  for (const auto& v : kVenues) node.sim_venue(v.venue)->set_paused(paused);
}

// Pauses every market, then waits (bounded) until each book equals its venue's book. A fault
// that fired in the last step before the pause cannot be seen by any client until the venue
// sends its next update (that is how gaps are detected), so a book that does not converge gets
// up to two more short bursts of market activity before it counts as a mismatch.
std::size_t compare_all(PaperNode& node, const Universe& u, std::string& first_mismatch) {
  std::size_t mismatches = 0;
  for (int attempt = 0; attempt < 3; ++attempt) {
    pause_all(node, true);
    mismatches = 0;
    for (const auto& [id, depth] : u.books) {
      auto* sim = node.sim_venue(id.venue.value);
      const auto venue_book = sim->front_end().book(id.symbol, depth);
      std::pair<bool, BookSnapshot> ours;
      const bool equal = wait_until(
          [&] {
            ours = node_book(node, id, depth);
            return ours.first && same_levels(ours.second, venue_book);
          },
          attempt < 2 ? 3s : 10s);
      if (!equal) {
        ++mismatches;
        if (first_mismatch.empty())
          first_mismatch = to_string(id) + (ours.first ? " in sync" : " resyncing") + ": ours " +
                           describe(ours.second) + " venue " + describe(venue_book);
      }
    }
    pause_all(node, false);
    if (mismatches == 0) return 0;
    std::this_thread::sleep_for(200ms);
  }
  return mismatches;
}

std::size_t books_in_sync(PaperNode& node, const std::string& venue) {
  return static_cast<std::size_t>(
      metric(node.metrics().exposition(), "troupe_books_in_sync", {"venue=\"" + venue + "\""}));
}

bool all_in_sync(PaperNode& node, const Universe& u) {
  std::map<std::string, std::size_t> expected;
  for (const auto& [id, depth] : u.books) ++expected[id.venue.value];
  for (const auto& [venue, count] : expected)
    if (books_in_sync(node, venue) != count) return false;
  return true;
}

TEST(MultiVenue, EveryBookEqualsItsVenueAfterAThousandFaultsOverTls) {
  testing::TempDir dir;
  const auto universe = make_universe(
      [](const VenueShape&) {
        return std::vector<std::string>{"BTC", "ETH"};
      },
      2, 1, 5, 20);
  auto node = PaperNode::start(load(universe, dir.path()));
  ASSERT_TRUE(node) << node.error();
  auto& n = **node;
  for (const auto& v : kVenues) {
    ASSERT_NE(n.sim_venue(v.venue), nullptr) << v.venue;
    EXPECT_TRUE(n.config().venue.tls.enabled);
  }
  CrossedBookWatch watch(n, universe);
  ASSERT_TRUE(wait_until([&] { return all_in_sync(n, universe); }, 60s))
      << n.metrics().exposition();

  std::mt19937_64 rng(20261122);
  std::map<std::string, std::size_t> injected;  // "venue/kind" -> count
  std::size_t faults = 0, rounds = 0, comparisons = 0, mismatches = 0;
  std::string first_mismatch;
  while (faults < 1000) {
    ++rounds;
    std::int64_t longest = 0;
    for (const auto& v : kVenues) {
      auto& front_end = n.sim_venue(v.venue)->front_end();
      const auto kinds = front_end.supported_faults();
      sim::FaultSpec spec;
      spec.kind = kinds[rng() % kinds.size()];
      spec.symbol = symbol_of(v.venue, rng() % 2 ? "BTC" : "ETH", v.quote);
      if (spec.kind == sim::FaultKind::Stall)  // every 20th round long enough to look stale
        spec.duration_ms = rounds % 20 == 0 ? 2000 : 100;
      if (spec.kind == sim::FaultKind::Throttle) spec.duration_ms = 300;
      longest = std::max(longest, spec.duration_ms);
      if (front_end.inject(spec).done) {
        ++faults;
        ++injected[v.venue + "/" + std::string(to_string(spec.kind))];
      }
    }
    // Let the faults fire and the sessions notice and resync before comparing.
    std::this_thread::sleep_for(std::chrono::milliseconds(250 + longest));
    comparisons += universe.books.size();
    mismatches += compare_all(n, universe, first_mismatch);
  }
  const auto exposition = n.metrics().exposition();
  std::string summary;
  for (const auto& [kind, count] : injected) summary += fmt::format(" {}={}", kind, count);
  std::cout << "faults " << faults << " in " << rounds << " rounds;" << summary << "\n"
            << "book comparisons " << comparisons << ", mismatches " << mismatches
            << ", tops published " << watch.tops() << "\n";
  EXPECT_GE(faults, 1000u);
  EXPECT_EQ(mismatches, 0u) << first_mismatch;
  EXPECT_EQ(watch.crossed(), 0u);
  EXPECT_GT(watch.tops(), 1000u);
  for (const auto& v : kVenues) {
    const std::string label = "venue=\"" + v.venue + "\"";
    EXPECT_GT(metric(exposition, "troupe_venue_resyncs_total", {label}), 10) << v.venue;
    EXPECT_GT(metric(exposition, "troupe_venue_messages_total", {label}), 1000) << v.venue;
    EXPECT_EQ(metric(exposition, "troupe_books", {label}), 2) << v.venue;
  }
  // Every kind each venue supports was exercised.
  for (const auto& v : kVenues)
    for (auto kind : n.sim_venue(v.venue)->front_end().supported_faults())
      EXPECT_GT(injected[v.venue + "/" + std::string(to_string(kind))], 0u)
          << v.venue << " " << to_string(kind);
  // The consolidated view of BTC lists every venue, in sync, from the API.
  auto consolidated = testing::http(n.http_port(), "GET", "/api/v1/consolidated/BTC");
  ASSERT_TRUE(consolidated) << consolidated.error();
  EXPECT_EQ(consolidated->status, 200) << consolidated->body;
  for (const auto& v : kVenues)
    EXPECT_NE(consolidated->body.find("\"venue\":\"" + v.venue + "\""), std::string::npos);
  n.shutdown();
}

TEST(MultiVenue, HoldsAThousandLiveBooksWithoutFallingBehind) {
  testing::TempDir dir;
  // 250 assets on each of the four venues ("A000" ... "A249"): 1,000 books.
  const auto universe = make_universe(
      [](const VenueShape&) {
        std::vector<std::string> bases;
        for (int i = 0; i < 250; ++i) bases.push_back(fmt::format("A{:03}", i));
        return bases;
      },
      1, 1, 3, 100);
  ASSERT_EQ(universe.books.size(), 1000u);
  auto node = PaperNode::start(load(universe, dir.path()));
  ASSERT_TRUE(node) << node.error();
  auto& n = **node;
  CrossedBookWatch watch(n, universe);
  ASSERT_TRUE(wait_until([&] { return all_in_sync(n, universe); }, 120s))
      << n.metrics().exposition();

  // Ten seconds of live market on every book.
  std::this_thread::sleep_for(10s);
  const auto exposition = n.metrics().exposition();
  for (const auto& v : kVenues) {
    const std::string label = "venue=\"" + v.venue + "\"";
    EXPECT_EQ(metric(exposition, "troupe_books", {label}), 250) << v.venue;
    EXPECT_EQ(metric(exposition, "troupe_books_in_sync", {label}), 250) << v.venue;
    EXPECT_GT(metric(exposition, "troupe_venue_messages_per_second", {label}), 0) << v.venue;
    EXPECT_GT(metric(exposition, "troupe_venue_messages_total", {label}), 1000) << v.venue;
    EXPECT_GE(metric(exposition, "troupe_venue_resyncs_total", {label, "reason=\"startup\""}), 250)
        << v.venue;
  }
  // Not behind: once the markets pause, every one of the 1,000 books equals its venue's book
  // (a node that lagged would still be applying old updates and differ).
  std::string first_mismatch;
  EXPECT_EQ(compare_all(n, universe, first_mismatch), 0u) << first_mismatch;
  EXPECT_EQ(watch.crossed(), 0u);
  std::cout << "1,000 books: tops published " << watch.tops() << "\n";
  n.shutdown();
}

}  // namespace
}  // namespace troupe
