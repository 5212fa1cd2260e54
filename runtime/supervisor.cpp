#include "runtime/supervisor.hpp"

#include "runtime/actor_directory.hpp"
#include "runtime/atoms.hpp"
#include "runtime/metrics.hpp"

#include <caf/actor_cast.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/exit_reason.hpp>
#include <caf/send.hpp>
#include <caf/stateful_actor.hpp>
#include <caf/system_messages.hpp>

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <memory>
#include <set>

namespace troupe {
namespace {

// Internal timers: a planned restart (by plan generation) and a child slow to stop.
using restart_atom = caf::atom_constant<caf::atom("sup_rstart")>;
using stop_timeout_atom = caf::atom_constant<caf::atom("sup_stopto")>;

using TimePoint = caf::actor_clock::time_point;

struct Child {
  ChildSpec spec;
  caf::actor handle;  ///< current incarnation; invalid while down
  std::uint32_t restarts = 0;
  std::chrono::milliseconds next_backoff{0};
  TimePoint started{};
  bool completed = false;  ///< exited with reason normal: not restarted
  Counter* restart_counter = nullptr;
};

// A restart is a plan: stop the affected running children one at a time (highest start index
// first), then, after the backoff, start every child of the plan in start order. A newer
// failure extends the plan and bumps `generation`, which voids already scheduled timers.
struct SupervisorState {
  SupervisorSpec spec;
  std::vector<Child> children;
  std::deque<TimePoint> failures;  ///< within the intensity period
  std::set<std::size_t> to_start;
  std::set<std::size_t> to_stop;
  caf::actor_addr awaiting;  ///< the child told to stop, until its down_msg
  std::uint64_t generation = 0;
  std::chrono::milliseconds plan_delay{0};
  bool shutting_down = false;
  caf::error exit_reason;
  /// Running children, read by the cleanup functor when the supervisor dies abnormally.
  std::shared_ptr<std::vector<caf::actor_addr>> live =
      std::make_shared<std::vector<caf::actor_addr>>();

  static inline const char* name = "troupe.supervisor";
};

using Self = caf::stateful_actor<SupervisorState>*;

bool is_normal(const caf::error& reason) { return !reason || reason == caf::exit_reason::normal; }

void refresh_live(SupervisorState& st) {
  st.live->clear();
  for (const auto& c : st.children)
    if (c.handle) st.live->push_back(c.handle.address());
}

bool start_child(Self self, std::size_t i, bool restart) {
  auto& st = self->state;
  auto& c = st.children[i];
  caf::actor hdl;
  try {
    hdl = c.spec.start(self->system());
  } catch (const std::exception& e) {
    spdlog::error("supervisor {}: starting child {} threw: {}", st.spec.name, c.spec.name,
                  e.what());
  } catch (...) {
    spdlog::error("supervisor {}: starting child {} threw", st.spec.name, c.spec.name);
  }
  if (restart) {
    ++c.restarts;
    if (c.restart_counter != nullptr) c.restart_counter->inc();
  }
  if (!hdl) return false;
  c.handle = hdl;
  c.started = self->clock().now();
  c.completed = false;
  self->monitor(hdl);
  if (st.spec.directory != nullptr) st.spec.directory->put(c.spec.name, hdl);
  refresh_live(st);
  return true;
}

void continue_plan(Self self) {
  auto& st = self->state;
  if (st.awaiting) return;
  while (!st.to_stop.empty()) {
    const std::size_t j = *st.to_stop.rbegin();
    st.to_stop.erase(j);
    auto& c = st.children[j];
    if (!c.handle) continue;
    st.awaiting = c.handle.address();
    self->send_exit(c.handle, caf::exit_reason::user_shutdown);
    self->delayed_send(self, st.spec.shutdown_timeout, stop_timeout_atom::value, st.awaiting);
    return;
  }
  if (st.shutting_down) {
    self->quit(st.exit_reason);
    return;
  }
  if (st.to_start.empty()) return;
  if (st.plan_delay.count() == 0)
    self->send(self, restart_atom::value, st.generation);
  else
    self->delayed_send(self, st.plan_delay, restart_atom::value, st.generation);
}

void begin_shutdown(Self self, caf::error reason) {
  auto& st = self->state;
  if (st.shutting_down) return;
  st.shutting_down = true;
  st.exit_reason = std::move(reason);
  ++st.generation;
  st.to_start.clear();
  st.to_stop.clear();
  for (std::size_t j = 0; j < st.children.size(); ++j)
    if (st.children[j].handle) st.to_stop.insert(j);
  continue_plan(self);
}

void on_failure(Self self, std::size_t i) {
  auto& st = self->state;
  const auto now = self->clock().now();
  st.failures.push_back(now);
  while (now - st.failures.front() > st.spec.period) st.failures.pop_front();
  if (st.failures.size() > st.spec.max_restarts) {
    spdlog::error("supervisor {}: more than {} restarts within {} ms, giving up", st.spec.name,
                  st.spec.max_restarts, st.spec.period.count());
    begin_shutdown(self, make_error(SupervisorError::MaxRestartsExceeded));
    return;
  }
  auto& c = st.children[i];
  if (now - c.started > st.spec.period) c.next_backoff = st.spec.backoff_initial;
  st.plan_delay = std::max(st.plan_delay, c.next_backoff);
  c.next_backoff = std::min(c.next_backoff * 2, st.spec.backoff_max);
  const std::size_t n = st.children.size();
  const std::size_t first = st.spec.strategy == RestartStrategy::OneForAll ? 0 : i;
  const std::size_t last = st.spec.strategy == RestartStrategy::OneForOne ? i + 1 : n;
  for (std::size_t j = first; j < last; ++j) {
    auto& other = st.children[j];
    if (other.completed && j != i) continue;
    st.to_start.insert(j);
    if (j != i && other.handle && other.handle.address() != st.awaiting) st.to_stop.insert(j);
  }
  ++st.generation;
  continue_plan(self);
}

void on_down(Self self, caf::down_msg& dm) {
  auto& st = self->state;
  auto it = std::find_if(st.children.begin(), st.children.end(), [&](const Child& c) {
    return c.handle && c.handle.address() == dm.source;
  });
  if (it == st.children.end()) return;
  const auto i = static_cast<std::size_t>(it - st.children.begin());
  it->handle = caf::actor{};
  if (st.spec.directory != nullptr) st.spec.directory->erase_if(it->spec.name, dm.source);
  refresh_live(st);
  if (dm.source == st.awaiting) {
    st.awaiting = caf::actor_addr{};
    continue_plan(self);
    return;
  }
  if (st.shutting_down) return;
  if (is_normal(dm.reason)) {
    it->completed = true;
    st.to_start.erase(i);
    st.to_stop.erase(i);
    return;
  }
  spdlog::warn("supervisor {}: child {} failed: {}", st.spec.name, it->spec.name,
               self->system().render(dm.reason));
  on_failure(self, i);
}

void on_restart_timer(Self self, std::uint64_t generation) {
  auto& st = self->state;
  if (generation != st.generation || st.shutting_down) return;
  st.plan_delay = std::chrono::milliseconds{0};
  std::vector<std::size_t> order(st.to_start.begin(), st.to_start.end());
  st.to_start.clear();
  for (std::size_t k = 0; k < order.size(); ++k) {
    if (st.children[order[k]].handle) continue;
    if (!start_child(self, order[k], true)) {
      st.to_start.insert(order.begin() + static_cast<std::ptrdiff_t>(k) + 1, order.end());
      on_failure(self, order[k]);
      return;
    }
  }
}

std::vector<ChildStatus> status_of(const SupervisorState& st) {
  std::vector<ChildStatus> out;
  for (const auto& c : st.children)
    out.push_back(ChildStatus{c.spec.name, static_cast<bool>(c.handle), c.restarts});
  return out;
}

void init_children(Self self, SupervisorSpec spec, std::vector<ChildSpec> children) {
  auto& st = self->state;
  st.spec = std::move(spec);
  for (auto& cs : children) {
    Child c;
    c.spec = std::move(cs);
    c.next_backoff = st.spec.backoff_initial;
    if (st.spec.metrics != nullptr)
      c.restart_counter = &st.spec.metrics->counter(
          "troupe_actor_restarts_total", "Actor restarts by supervisor and child.",
          {{"supervisor", st.spec.name}, {"child", c.spec.name}});
    st.children.push_back(std::move(c));
  }
}

caf::behavior supervisor_impl(Self self, SupervisorSpec spec, std::vector<ChildSpec> children) {
  init_children(self, std::move(spec), std::move(children));
  // If the supervisor itself is killed, its children must not outlive it.
  self->attach_functor([live = self->state.live] {
    for (const auto& addr : *live)
      if (auto hdl = caf::actor_cast<caf::actor>(addr))
        caf::anon_send_exit(hdl, caf::exit_reason::kill);
  });
  self->set_down_handler([self](caf::down_msg& dm) { on_down(self, dm); });
  self->set_exit_handler([self](caf::exit_msg& msg) { begin_shutdown(self, msg.reason); });
  auto& st = self->state;
  for (std::size_t i = 0; i < st.children.size(); ++i) {
    if (!start_child(self, i, false)) {
      for (std::size_t j = i + 1; j < st.children.size(); ++j) st.to_start.insert(j);
      on_failure(self, i);
      break;
    }
  }
  return {
      [self](restart_atom, std::uint64_t generation) { on_restart_timer(self, generation); },
      [self](stop_timeout_atom, const caf::actor_addr& addr) {
        auto& s = self->state;
        if (!s.awaiting || addr != s.awaiting) return;
        spdlog::warn("supervisor {}: a child ignored shutdown, killing it", s.spec.name);
        if (auto hdl = caf::actor_cast<caf::actor>(addr))
          self->send_exit(hdl, caf::exit_reason::kill);
      },
      [self](children_atom) {
        std::vector<std::string> names;
        for (const auto& c : self->state.children) names.push_back(c.spec.name);
        return names;
      },
      [self](caf::get_atom, const std::string& name) -> caf::actor {
        for (const auto& c : self->state.children)
          if (c.spec.name == name) return c.handle;
        return caf::actor{};
      },
      [self](status_atom) { return status_of(self->state); },
  };
}

}  // namespace

std::string to_string(SupervisorError x) {
  switch (x) {
    case SupervisorError::MaxRestartsExceeded:
      return "max_restarts_exceeded";
  }
  return "unknown";
}

caf::atom_value supervisor_error_category() { return caf::atom("supervisor"); }

caf::error make_error(SupervisorError x) {
  return caf::error{static_cast<std::uint8_t>(x), supervisor_error_category()};
}

caf::actor spawn_supervisor(caf::actor_system& sys, SupervisorSpec spec,
                            std::vector<ChildSpec> children) {
  std::set<std::string> names;
  for (const auto& c : children) {
    if (c.name.empty() || !names.insert(c.name).second || !c.start) {
      std::fprintf(stderr, "troupe: supervisor %s: child spec '%s' is empty or duplicate\n",
                   spec.name.c_str(), c.name.c_str());
      std::abort();
    }
  }
  return sys.spawn(supervisor_impl, std::move(spec), std::move(children));
}

ChildSpec supervisor_child(SupervisorSpec spec, std::vector<ChildSpec> children) {
  std::string name = spec.name;
  return ChildSpec{std::move(name),
                   [spec = std::move(spec), children = std::move(children)](
                       caf::actor_system& sys) { return spawn_supervisor(sys, spec, children); }};
}

}  // namespace troupe
