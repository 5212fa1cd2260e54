#pragma once
// The consolidated per-asset view (pure engine): the top of each member venue's book of one
// asset, the best bid and ask over the venues whose books are in sync, and whether they cross.
// The consolidated actor feeds it the member books' published tops and resync notices.

#include "messages/consolidated.hpp"
#include "messages/instrument.hpp"

#include <string>
#include <vector>

namespace troupe {

/// One asset and the instruments (one per venue or more) that trade it.
struct ConsolidatedConfig {
  std::string asset;                ///< base asset, "BTC"
  std::vector<Instrument> members;  ///< in the order the view lists them
};

/// Groups `instruments` by base asset; only assets streamed from at least two venues form a
/// consolidated view. Order: first appearance of the asset, members in input order.
std::vector<ConsolidatedConfig> consolidated_assets(const std::vector<Instrument>& instruments);

class ConsolidatedEngine {
 public:
  explicit ConsolidatedEngine(ConsolidatedConfig config);

  /// A member book published its top (bids/asks best first). Returns true when the view
  /// changed; false for an instrument that is not a member or an unchanged top.
  bool on_top(const BookSnapshot& top, std::int64_t now);
  /// A member book lost sync: it leaves the best bid/ask until its next top.
  bool on_resync(const InstrumentId& instrument, std::int64_t now);

  const ConsolidatedBook& view() const { return view_; }
  const std::string& asset() const { return view_.asset; }

 private:
  VenueTop* member(const InstrumentId& instrument);
  void recompute();

  ConsolidatedBook view_;
};

}  // namespace troupe
