#pragma once
#include "messages/ids.hpp"

#include <cstdint>

namespace troupe {

/// Configuration of one account's order manager.
struct OmsConfig {
  AccountId account{"paper"};
  VenueId venue{"binance"};
};

}  // namespace troupe
