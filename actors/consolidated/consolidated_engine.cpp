#include "actors/consolidated/consolidated_engine.hpp"

#include <algorithm>
#include <set>

namespace troupe {

std::vector<ConsolidatedConfig> consolidated_assets(const std::vector<Instrument>& instruments) {
  std::vector<ConsolidatedConfig> assets;
  for (const auto& x : instruments) {
    auto it = std::find_if(assets.begin(), assets.end(),
                           [&](const auto& a) { return a.asset == x.base; });
    if (it == assets.end()) it = assets.insert(assets.end(), ConsolidatedConfig{x.base, {}});
    it->members.push_back(x);
  }
  std::erase_if(assets, [](const ConsolidatedConfig& a) {
    std::set<std::string> venues;
    for (const auto& m : a.members) venues.insert(m.id.venue.value);
    return venues.size() < 2;
  });
  return assets;
}

ConsolidatedEngine::ConsolidatedEngine(ConsolidatedConfig config) {
  view_.asset = std::move(config.asset);
  for (auto& m : config.members) {
    VenueTop top;
    top.instrument = m.id;
    top.quote = m.quote;
    view_.venues.push_back(std::move(top));
  }
}

VenueTop* ConsolidatedEngine::member(const InstrumentId& instrument) {
  for (auto& v : view_.venues)
    if (v.instrument == instrument) return &v;
  return nullptr;
}

bool ConsolidatedEngine::on_top(const BookSnapshot& top, std::int64_t now) {
  VenueTop* v = member(top.instrument);
  if (v == nullptr) return false;
  VenueTop next = *v;
  next.in_sync = true;
  next.has_bid = !top.bids.empty();
  next.has_ask = !top.asks.empty();
  next.bid = next.has_bid ? top.bids.front() : BookLevel{};
  next.ask = next.has_ask ? top.asks.front() : BookLevel{};
  next.ts_event = top.ts_event;
  next.ts_init = top.ts_init;
  const bool changed = next.in_sync != v->in_sync || next.has_bid != v->has_bid ||
                       next.has_ask != v->has_ask || next.bid != v->bid || next.ask != v->ask;
  *v = std::move(next);
  if (!changed) return false;
  view_.ts_init = now;
  recompute();
  return true;
}

bool ConsolidatedEngine::on_resync(const InstrumentId& instrument, std::int64_t now) {
  VenueTop* v = member(instrument);
  if (v == nullptr || !v->in_sync) return false;
  v->in_sync = false;
  v->has_bid = v->has_ask = false;
  v->bid = v->ask = BookLevel{};
  view_.ts_init = now;
  recompute();
  return true;
}

void ConsolidatedEngine::recompute() {
  view_.best_bid = view_.best_ask = -1;
  for (std::size_t i = 0; i < view_.venues.size(); ++i) {
    const auto& v = view_.venues[i];
    if (!v.in_sync) continue;
    const auto index = static_cast<std::int32_t>(i);
    // Ties keep the earlier venue (configuration order), so the view is deterministic.
    if (v.has_bid && (view_.best_bid < 0 || v.bid.price > view_.venues[view_.best_bid].bid.price))
      view_.best_bid = index;
    if (v.has_ask && (view_.best_ask < 0 || v.ask.price < view_.venues[view_.best_ask].ask.price))
      view_.best_ask = index;
  }
  view_.crossed = view_.best_bid >= 0 && view_.best_ask >= 0 &&
                  view_.venues[view_.best_bid].bid.price > view_.venues[view_.best_ask].ask.price;
}

}  // namespace troupe
