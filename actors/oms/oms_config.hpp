#pragma once
#include <cstdint>

#include "messages/ids.hpp"

namespace troupe {

/// Configuration of one account's order manager.
struct OmsConfig {
  AccountId account{"paper"};
  VenueId venue{"binance"};
};

}  // namespace troupe
