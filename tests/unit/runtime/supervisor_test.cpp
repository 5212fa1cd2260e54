// Supervisor behaviour under CAF's deterministic test coordinator: messages run only when the
// test says so, and the clock moves only on trigger_timeout()/advance_time().
#define CAF_SUITE Supervisor

#include "runtime/supervisor.hpp"

#include <caf/all.hpp>
#include <caf/test/unit_test.hpp>
// caf/test/dsl.hpp (0.17.6) calls an unqualified FAIL() that only CAF's own test suite defines.
#define FAIL(msg) CAF_FAIL(msg)
#include "runtime/actor_directory.hpp"
#include "runtime/atoms.hpp"
#include "runtime/metrics.hpp"
#include "runtime/type_ids.hpp"

#include <caf/test/dsl.hpp>

#include <chrono>
#include <map>
#include <string>
#include <vector>

// The CAF test framework's main().
#include <caf/test/unit_test_impl.hpp>

using namespace std::chrono_literals;
using namespace troupe;

namespace {

using fail_atom = caf::atom_constant<caf::atom("fail")>;
using done_atom = caf::atom_constant<caf::atom("done")>;
constexpr fail_atom fail_atom_v{};
constexpr done_atom done_atom_v{};

struct TestConfig : caf::actor_system_config {
  TestConfig() { register_message_types(*this); }
};

// A child: fails on `fail`, completes normally on `done`, records when it terminates.
caf::behavior worker(caf::event_based_actor* self, std::string name,
                     std::vector<std::string>* stopped, bool ignore_shutdown) {
  self->attach_functor([name, stopped] { stopped->push_back(name); });
  if (ignore_shutdown) self->set_exit_handler([](caf::exit_msg&) {});
  return {
      [self](fail_atom) { self->quit(caf::sec::runtime_error); },
      [self](done_atom) { self->quit(); },
  };
}

struct Fixture : test_coordinator_fixture<TestConfig> {
  // Tear the tree down while the members the children point to still exist (the base class
  // destructor runs after they are gone).
  ~Fixture() override {
    for (const auto& sup : supervisors) caf::anon_send_exit(sup, caf::exit_reason::kill);
    run();
  }

  caf::actor spawn_sup(SupervisorSpec s, std::vector<ChildSpec> children) {
    supervisors.push_back(spawn_supervisor(sys, std::move(s), std::move(children)));
    return supervisors.back();
  }

  std::vector<caf::actor> supervisors;
  std::map<std::string, int> starts;
  std::vector<std::string> stopped;
  std::map<std::string, int> failing_starts;  ///< next N starts of a child return no actor
  ActorDirectory directory;
  MetricsRegistry metrics;

  ChildSpec child_spec(const std::string& name, bool ignore_shutdown = false) {
    return ChildSpec{name, [this, name, ignore_shutdown](caf::actor_system& s) {
                       ++starts[name];
                       if (failing_starts[name] > 0) {
                         --failing_starts[name];
                         return caf::actor{};
                       }
                       return s.spawn(worker, name, &stopped, ignore_shutdown);
                     }};
  }

  SupervisorSpec spec(RestartStrategy strategy) {
    SupervisorSpec s;
    s.name = "root";
    s.strategy = strategy;
    s.max_restarts = 100;
    s.directory = &directory;
    s.metrics = &metrics;
    return s;
  }

  caf::actor spawn_abc(RestartStrategy strategy) {
    auto sup = spawn_sup(spec(strategy), {child_spec("a"), child_spec("b"), child_spec("c")});
    run();
    return sup;
  }

  caf::actor child(const caf::actor& sup, const std::string& name) {
    return request<caf::actor>(sup, caf::get_atom_v, name);
  }

  // Child `i` of the status_atom reply (a copy: CAF_CHECK_EQUAL keeps references).
  ChildStatus status_of(const caf::actor& sup, std::size_t i) {
    auto all = request<std::vector<ChildStatus>>(sup, status_atom_v);
    return i < all.size() ? all[i] : ChildStatus{};
  }

  // Delay until the earliest pending timer, in ms; -1 when none is pending.
  long next_timer_ms() {
    const auto& pending = sched.clock().schedule();
    if (pending.empty()) return -1;
    return std::chrono::duration_cast<std::chrono::milliseconds>(pending.begin()->first -
                                                                 sched.clock().now())
        .count();
  }

  // The reason of the down_msg `self` got from the actor it monitors, if any.
  caf::error down_reason() {
    caf::error reason;
    self->receive([&](const caf::down_msg& dm) { reason = dm.reason; },
                  caf::after(std::chrono::seconds(0)) >> [] {});
    return reason;
  }
};

}  // namespace

CAF_TEST_FIXTURE_SCOPE(supervisor_tests, Fixture)

CAF_TEST(StartsChildrenInOrderAndAnswersQueries) {
  auto sup = spawn_abc(RestartStrategy::OneForOne);
  CAF_CHECK_EQUAL(request<std::vector<std::string>>(sup, children_atom_v),
                  (std::vector<std::string>{"a", "b", "c"}));
  CAF_CHECK(child(sup, "a"));
  CAF_CHECK(!child(sup, "nope"));
  CAF_CHECK_EQUAL(status_of(sup, 1), (ChildStatus{"b", true, 0}));
  CAF_CHECK_EQUAL(directory.get("c"), child(sup, "c"));
}

CAF_TEST(OneForOneRestartsOnlyTheFailedChildWithANewHandle) {
  auto sup = spawn_abc(RestartStrategy::OneForOne);
  auto a = child(sup, "a"), b = child(sup, "b"), c = child(sup, "c");
  caf::anon_send(b, fail_atom_v);
  run();
  auto b2 = child(sup, "b");
  CAF_REQUIRE(b2);
  CAF_CHECK_NOT_EQUAL(b2, b);
  CAF_CHECK_EQUAL(child(sup, "a"), a);
  CAF_CHECK_EQUAL(child(sup, "c"), c);
  CAF_CHECK_EQUAL(starts["a"], 1);
  CAF_CHECK_EQUAL(starts["b"], 2);
  CAF_CHECK_EQUAL(starts["c"], 1);
  CAF_CHECK_EQUAL(status_of(sup, 1), (ChildStatus{"b", true, 1}));
}

CAF_TEST(RestForOneRestartsTheFailedChildAndLaterSiblingsOnly) {
  auto sup = spawn_abc(RestartStrategy::RestForOne);
  auto a = child(sup, "a"), b = child(sup, "b"), c = child(sup, "c");
  caf::anon_send(b, fail_atom_v);
  run();
  CAF_CHECK_EQUAL(child(sup, "a"), a);
  CAF_CHECK_NOT_EQUAL(child(sup, "b"), b);
  CAF_CHECK_NOT_EQUAL(child(sup, "c"), c);
  CAF_CHECK(child(sup, "c"));
  CAF_CHECK_EQUAL(starts["a"], 1);
  CAF_CHECK_EQUAL(starts["b"], 2);
  CAF_CHECK_EQUAL(starts["c"], 2);
  CAF_CHECK_EQUAL(stopped, (std::vector<std::string>{"b", "c"}));
}

CAF_TEST(OneForAllRestartsEveryChildStoppingThemInReverseOrder) {
  auto sup = spawn_abc(RestartStrategy::OneForAll);
  auto a = child(sup, "a"), c = child(sup, "c");
  caf::anon_send(child(sup, "b"), fail_atom_v);
  run();
  CAF_CHECK_NOT_EQUAL(child(sup, "a"), a);
  CAF_CHECK_NOT_EQUAL(child(sup, "c"), c);
  CAF_CHECK_EQUAL(starts["a"], 2);
  CAF_CHECK_EQUAL(starts["b"], 2);
  CAF_CHECK_EQUAL(starts["c"], 2);
  CAF_CHECK_EQUAL(stopped, (std::vector<std::string>{"b", "c", "a"}));
}

CAF_TEST(DoesNotRestartAChildThatExitedNormally) {
  auto sup = spawn_abc(RestartStrategy::OneForAll);
  caf::anon_send(child(sup, "b"), done_atom_v);
  run();
  CAF_CHECK(!child(sup, "b"));
  CAF_CHECK(!directory.get("b"));
  CAF_CHECK_EQUAL(starts["a"], 1);
  CAF_CHECK_EQUAL(starts["b"], 1);
  CAF_CHECK_EQUAL(status_of(sup, 1), (ChildStatus{"b", false, 0}));
}

CAF_TEST(UpdatesTheDirectoryAndRestartMetricWithEachRestart) {
  auto sup = spawn_abc(RestartStrategy::OneForOne);
  auto a = directory.get("a");
  CAF_REQUIRE(a);
  caf::anon_send(a, fail_atom_v);
  run();
  CAF_CHECK(directory.get("a"));
  CAF_CHECK_NOT_EQUAL(directory.get("a"), a);
  CAF_CHECK_EQUAL(directory.get("a"), child(sup, "a"));
  CAF_CHECK_EQUAL(
      metrics.counter("troupe_actor_restarts_total", "", {{"supervisor", "root"}, {"child", "a"}})
          .value(),
      1.0);
  CAF_CHECK_EQUAL(
      metrics.counter("troupe_actor_restarts_total", "", {{"supervisor", "root"}, {"child", "b"}})
          .value(),
      0.0);
}

CAF_TEST(BackoffDoublesBetweenRapidRestartsUpToTheMaximum) {
  auto s = spec(RestartStrategy::OneForOne);
  s.backoff_initial = 10ms;
  s.backoff_max = 80ms;
  auto sup = spawn_sup(s, {child_spec("a")});
  run();
  std::vector<long> delays;
  for (int i = 0; i < 6; ++i) {
    caf::anon_send(child(sup, "a"), fail_atom_v);
    sched.run();
    delays.push_back(next_timer_ms());
    CAF_CHECK(!child(sup, "a"));  // down until the timer fires
    sched.trigger_timeout();
    sched.run();
  }
  CAF_CHECK_EQUAL(delays, (std::vector<long>{10, 20, 40, 80, 80, 80}));
  CAF_CHECK_EQUAL(starts["a"], 7);
  // A child that then ran longer than the intensity period starts over at the initial backoff.
  sched.advance_time(s.period + 1ms);
  caf::anon_send(child(sup, "a"), fail_atom_v);
  sched.run();
  CAF_CHECK_EQUAL(next_timer_ms(), 10);
}

CAF_TEST(RetriesAChildWhoseStartFailed) {
  failing_starts["b"] = 2;
  auto sup = spawn_abc(RestartStrategy::OneForOne);
  CAF_CHECK(child(sup, "b"));
  CAF_CHECK(child(sup, "c"));
  CAF_CHECK_EQUAL(starts["b"], 3);
}

CAF_TEST(ExceedingTheIntensityStopsChildrenAndEscalatesToTheParent) {
  SupervisorSpec inner;
  inner.name = "inner";
  inner.max_restarts = 1;
  auto root = spec(RestartStrategy::OneForOne);
  auto sup = spawn_sup(root, {supervisor_child(inner, {child_spec("a")})});
  run();
  auto inner1 = child(sup, "inner");
  CAF_REQUIRE(inner1);
  self->monitor(inner1);
  caf::anon_send(child(inner1, "a"), fail_atom_v);  // 1st failure: within the limit
  run();
  CAF_CHECK_EQUAL(child(sup, "inner"), inner1);
  CAF_CHECK_EQUAL(starts["a"], 2);
  caf::anon_send(child(inner1, "a"), fail_atom_v);  // 2nd failure: more than max_restarts
  run();
  CAF_CHECK_EQUAL(down_reason(), make_error(SupervisorError::MaxRestartsExceeded));
  auto inner2 = child(sup, "inner");
  CAF_REQUIRE(inner2);
  CAF_CHECK_NOT_EQUAL(inner2, inner1);
  CAF_CHECK(child(inner2, "a"));
  CAF_CHECK_EQUAL(starts["a"], 3);
  CAF_CHECK_EQUAL(status_of(sup, 0), (ChildStatus{"inner", true, 1}));
}

CAF_TEST(ShutdownStopsChildrenInReverseOrderWithoutRestarting) {
  auto sup = spawn_abc(RestartStrategy::OneForAll);
  self->monitor(sup);
  caf::anon_send_exit(sup, caf::exit_reason::user_shutdown);
  run();
  CAF_CHECK_EQUAL(stopped, (std::vector<std::string>{"c", "b", "a"}));
  CAF_CHECK_EQUAL(down_reason(), caf::exit_reason::user_shutdown);
  CAF_CHECK_EQUAL(starts["a"], 1);
  CAF_CHECK(directory.names().empty());
}

CAF_TEST(KillsAChildThatIgnoresShutdownAfterTheTimeout) {
  auto sup =
      spawn_sup(spec(RestartStrategy::OneForOne), {child_spec("a"), child_spec("stubborn", true)});
  run();
  caf::anon_send_exit(sup, caf::exit_reason::user_shutdown);
  sched.run();
  CAF_CHECK(stopped.empty());  // still waiting for the stubborn child
  sched.trigger_timeout();     // shutdown_timeout
  sched.run();
  CAF_CHECK_EQUAL(stopped, (std::vector<std::string>{"stubborn", "a"}));
}

CAF_TEST(KillingTheSupervisorTakesItsChildrenDown) {
  auto sup = spawn_abc(RestartStrategy::OneForOne);
  caf::anon_send_exit(sup, caf::exit_reason::kill);
  run();
  CAF_CHECK_EQUAL(stopped.size(), 3u);
}

CAF_TEST_FIXTURE_SCOPE_END()
