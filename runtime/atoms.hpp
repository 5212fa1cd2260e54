#pragma once
// Project atoms (CAF 0.17: atom_constant, at most 10 characters). CAF's own atoms (get_atom,
// put_atom, ok_atom, subscribe_atom, ...) live in namespace caf; use them where they fit.

#include <caf/atom.hpp>

namespace troupe {

/// Asks an actor for its status (supervisor: restart counts; sessions: connection state).
using status_atom = caf::atom_constant<caf::atom("status")>;
constexpr status_atom status_atom_v{};

/// A periodic timer tick (the same atom as caf::tick_atom).
using tick_atom = caf::tick_atom;
constexpr tick_atom tick_atom_v{};

/// Asks a market-data session or book to discard its state and resync from the venue.
using resync_atom = caf::atom_constant<caf::atom("resync")>;
constexpr resync_atom resync_atom_v{};

/// Asks a supervisor for its children's names.
using children_atom = caf::atom_constant<caf::atom("children")>;
constexpr children_atom children_atom_v{};

/// Asks for a snapshot (book: BookSnapshot; T1 actors: their state for persistence).
using snapshot_atom = caf::atom_constant<caf::atom("snapshot")>;
constexpr snapshot_atom snapshot_atom_v{};

/// Asks the order manager for its orders (std::vector<OrderRecord>).
using orders_atom = caf::atom_constant<caf::atom("orders")>;
constexpr orders_atom orders_atom_v{};

/// Asks the portfolio for its PortfolioSnapshot.
using portfolio_atom = caf::atom_constant<caf::atom("portfolio")>;
constexpr portfolio_atom portfolio_atom_v{};

/// Kill switch: the risk guard stops accepting new orders (TradingState::Halted).
using halt_atom = caf::atom_constant<caf::atom("halt")>;
constexpr halt_atom halt_atom_v{};

/// Lifts a halt (TradingState::Active).
using resume_atom = caf::atom_constant<caf::atom("resume")>;
constexpr resume_atom resume_atom_v{};

}  // namespace troupe
