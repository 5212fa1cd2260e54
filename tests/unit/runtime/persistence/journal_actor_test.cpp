#include "runtime/persistence/journal_actor.hpp"

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/scoped_actor.hpp>

#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "tests/unit/runtime/persistence/raw_rocksdb.hpp"
#include "tests/unit/runtime/persistence/temp_dir.hpp"

namespace troupe::persistence {
namespace {

using namespace std::chrono_literals;
using testing::TempDir;
using done_atom = caf::atom_constant<caf::atom("t_done")>;

constexpr auto kWait = 30s;

/// One acknowledged append as a requester saw it.
struct Ack {
  std::string entity;
  std::string bytes;
  std::uint64_t seq = 0;
};

/// What each requester saw, indexed by requester; each slot is written by its requester only
/// and read after its done message arrived.
struct Outcomes {
  std::vector<std::vector<Ack>> acks;
  std::vector<std::vector<std::string>> errors;
};

// Sends `count` appends without waiting (entity i % 3), then reports done to `report_to`.
void requester(caf::event_based_actor* self, const journal_actor& journal, int id, int count,
               const std::shared_ptr<Outcomes>& outcomes, const caf::actor& report_to) {
  auto answered = std::make_shared<int>(0);
  auto finish_one = [=] {
    if (++*answered == count) self->send(report_to, done_atom::value, id);
  };
  for (int i = 0; i < count; ++i) {
    std::string entity = "oms/acct-" + std::to_string(i % 3);
    std::string bytes = "r" + std::to_string(id) + "-" + std::to_string(i);
    self->request(journal, kWait, append_atom_v, entity, bytes)
        .then(
            [=](std::uint64_t seq) {
              outcomes->acks[id].push_back({entity, bytes, seq});
              finish_one();
            },
            [=](caf::error& error) {
              outcomes->errors[id].push_back(caf::to_string(error));
              finish_one();
            });
  }
}

std::unique_ptr<Journal> open_or_fail(const std::string& path) {
  auto journal = Journal::open(path);
  if (!journal) ADD_FAILURE() << journal.error().message;
  return journal ? std::move(*journal) : nullptr;
}

// Stops the actor and waits until it is gone, which closes its Journal.
void stop(caf::scoped_actor& self, journal_actor& journal) {
  self->monitor(journal);
  self->send_exit(journal, caf::exit_reason::user_shutdown);
  bool down = false;
  self->receive([&](const caf::down_msg&) { down = true; }, caf::after(kWait) >> [] {});
  EXPECT_TRUE(down);
  journal = nullptr;
}

JournalStatus status_of(caf::scoped_actor& self, const journal_actor& journal) {
  JournalStatus status;
  self->request(journal, kWait, status_atom_v)
      .receive([&](const JournalStatus& x) { status = x; },
               [](caf::error& error) { ADD_FAILURE() << caf::to_string(error); });
  return status;
}

constexpr int kRequesters = 4;
constexpr int kPerRequester = 250;

// Runs kRequesters requesters at once and waits for all of them to see every answer.
std::shared_ptr<Outcomes> append_concurrently(caf::actor_system& system, caf::scoped_actor& self,
                                              const journal_actor& journal) {
  auto outcomes = std::make_shared<Outcomes>();
  outcomes->acks.resize(kRequesters);
  outcomes->errors.resize(kRequesters);
  for (int id = 0; id < kRequesters; ++id)
    system.spawn(requester, journal, id, kPerRequester, outcomes, caf::actor{self});
  int done = 0;
  for (int i = 0; i < kRequesters; ++i)
    self->receive([&](done_atom, int) { ++done; }, caf::after(kWait) >> [] {});
  EXPECT_EQ(done, kRequesters);
  return outcomes;
}

using SeqsByEntity = std::map<std::string, std::map<std::uint64_t, std::string>>;

// Checks that every append was acked once, per-requester seqs grow, and each entity's seqs are
// exactly 1..n; returns seq -> bytes per entity.
SeqsByEntity check_acks(const Outcomes& outcomes) {
  SeqsByEntity by_entity;
  for (int id = 0; id < kRequesters; ++id) {
    for (const auto& error : outcomes.errors[id]) ADD_FAILURE() << error;
    EXPECT_EQ(outcomes.acks[id].size(), static_cast<std::size_t>(kPerRequester));
    std::map<std::string, std::uint64_t> last_seen;
    for (const auto& ack : outcomes.acks[id]) {
      EXPECT_GT(ack.seq, last_seen[ack.entity]) << "requester " << id << " saw seqs go back";
      last_seen[ack.entity] = ack.seq;
      EXPECT_TRUE(by_entity[ack.entity].emplace(ack.seq, ack.bytes).second)
          << ack.entity << " seq " << ack.seq << " acked twice";
    }
  }
  EXPECT_EQ(by_entity.size(), 3u);
  for (const auto& [entity, seqs] : by_entity) {
    EXPECT_EQ(seqs.begin()->first, 1u) << entity;
    EXPECT_EQ(seqs.rbegin()->first, seqs.size()) << entity << " seqs are not consecutive";
  }
  return by_entity;
}

void check_reopened(const std::string& path, const SeqsByEntity& by_entity) {
  auto reopened = open_or_fail(path);
  ASSERT_TRUE(reopened);
  for (const auto& [entity, seqs] : by_entity) {
    auto events = reopened->read_events(entity, 1);
    ASSERT_TRUE(events.has_value()) << events.error().message;
    ASSERT_EQ(events->size(), seqs.size());
    for (const auto& event : *events) EXPECT_EQ(event.bytes, seqs.at(event.seq));
  }
}

// 4 requesters x 250 appends over 3 entities, all sent before any ack arrives.
void run_concurrent_appends(bool detached) {
  TempDir dir;
  caf::actor_system_config config;
  caf::actor_system system{config};
  caf::scoped_actor self{system};
  auto journal = spawn_journal(system, open_or_fail(dir.journal_path()), detached);

  const auto outcomes = append_concurrently(system, self, journal);
  const SeqsByEntity by_entity = check_acks(*outcomes);

  const JournalStatus status = status_of(self, journal);
  EXPECT_EQ(status.appends, static_cast<std::uint64_t>(kRequesters * kPerRequester));
  EXPECT_EQ(status.failed_appends, 0u);
  EXPECT_LT(status.batches, status.appends) << "group commit did not batch";
  EXPECT_GT(status.largest_batch, 1u);
  EXPECT_LE(status.largest_batch, JournalActorOptions{}.max_batch);
  stop(self, journal);
  check_reopened(dir.journal_path(), by_entity);
}

TEST(JournalActor, ConcurrentAppendsOnItsOwnThreadAreAckedConsecutivelyAndSurviveReopen) {
  run_concurrent_appends(true);
}

TEST(JournalActor, CooperativeSpawnAcksTheSameWayForBacktests) { run_concurrent_appends(false); }

TEST(JournalActor, ReadEpochSnapshotAndOutboxRequestsRoundTrip) {
  TempDir dir;
  caf::actor_system_config config;
  caf::actor_system system{config};
  caf::scoped_actor self{system};
  auto journal = spawn_journal(system, open_or_fail(dir.journal_path()), true);
  auto fail = [](caf::error& error) { ADD_FAILURE() << caf::to_string(error); };

  // Not awaited: the read below is served after it, in mailbox order.
  self->send(journal, append_atom_v, std::string{"e"}, std::string{"one"});
  std::vector<std::pair<std::uint64_t, std::string>> events;
  self->request(journal, kWait, read_atom_v, std::string{"e"}, std::uint64_t{1})
      .receive([&](std::vector<std::pair<std::uint64_t, std::string>>& x) { events = x; }, fail);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0], (std::pair<std::uint64_t, std::string>{1, "one"}));

  std::uint64_t epoch = 0;
  for (int i = 0; i < 2; ++i)
    self->request(journal, kWait, epoch_atom_v, std::string{"e"})
        .receive([&](std::uint64_t x) { epoch = x; }, fail);
  EXPECT_EQ(epoch, 2u);

  self->request(journal, kWait, snapshot_atom_v, caf::put_atom::value, std::string{"e"},
                std::uint64_t{1}, std::string{"state"})
      .receive([] {}, fail);
  self->request(journal, kWait, snapshot_atom_v, caf::get_atom::value, std::string{"e"})
      .receive(
          [](std::uint64_t seq, const std::string& bytes) {
            EXPECT_EQ(seq, 1u);
            EXPECT_EQ(bytes, "state");
          },
          fail);
  self->request(journal, kWait, snapshot_atom_v, caf::get_atom::value, std::string{"none"})
      .receive([](std::uint64_t seq, const std::string&) { EXPECT_EQ(seq, 0u); }, fail);

  self->request(journal, kWait, outbox_atom_v, caf::put_atom::value, std::string{"e-2-1"},
                std::string{"submit"})
      .receive([] {}, fail);
  std::vector<std::pair<std::string, std::string>> outbox;
  self->request(journal, kWait, outbox_atom_v, caf::get_atom::value)
      .receive([&](std::vector<std::pair<std::string, std::string>>& x) { outbox = x; }, fail);
  ASSERT_EQ(outbox.size(), 1u);
  EXPECT_EQ(outbox[0].first, "e-2-1");
  self->request(journal, kWait, outbox_atom_v, caf::delete_atom::value, std::string{"e-2-1"})
      .receive([] {}, fail);
  self->request(journal, kWait, outbox_atom_v, caf::get_atom::value)
      .receive([&](std::vector<std::pair<std::string, std::string>>& x) { outbox = x; }, fail);
  EXPECT_TRUE(outbox.empty());
  stop(self, journal);
}

TEST(JournalActor, FailedAppendsGetAJournalErrorAndTheActorKeepsServing) {
  TempDir dir;
  {
    auto journal = open_or_fail(dir.journal_path());
    ASSERT_TRUE(journal && journal->append_batch({{"oms/bad", "x"}}, true));
  }
  ASSERT_TRUE(testing::put_raw(dir.journal_path(), "meta", "oms/bad", "garbage"));
  caf::actor_system_config config;
  config.add_error_category(journal_error_category, render_journal_error);
  caf::actor_system system{config};
  caf::scoped_actor self{system};
  auto journal = spawn_journal(system, open_or_fail(dir.journal_path()), true);

  // Sent back to back so they can share a batch; only the bad entity's append may fail.
  auto good =
      self->request(journal, kWait, append_atom_v, std::string{"oms/good"}, std::string{"g1"});
  auto bad =
      self->request(journal, kWait, append_atom_v, std::string{"oms/bad"}, std::string{"b2"});
  auto empty = self->request(journal, kWait, append_atom_v, std::string{}, std::string{"e"});
  good.receive([](std::uint64_t seq) { EXPECT_EQ(seq, 1u); },
               [](caf::error& error) { ADD_FAILURE() << caf::to_string(error); });
  caf::error bad_error;
  bad.receive([](std::uint64_t) { ADD_FAILURE() << "append to corrupt entity succeeded"; },
              [&](caf::error& error) { bad_error = std::move(error); });
  EXPECT_EQ(bad_error.category(), journal_error_category);
  EXPECT_EQ(bad_error.code(), static_cast<std::uint8_t>(JournalErrc::CorruptData));
  const std::string rendered = system.render(bad_error);
  EXPECT_NE(rendered.find("journal: corrupt_data (meta of entity 'oms/bad'"), std::string::npos)
      << rendered;
  caf::error empty_error;
  empty.receive([](std::uint64_t) { ADD_FAILURE() << "append to empty entity succeeded"; },
                [&](caf::error& error) { empty_error = std::move(error); });
  EXPECT_EQ(empty_error.code(), static_cast<std::uint8_t>(JournalErrc::InvalidRequest));

  self->request(journal, kWait, append_atom_v, std::string{"oms/good"}, std::string{"g2"})
      .receive([](std::uint64_t seq) { EXPECT_EQ(seq, 2u); },
               [](caf::error& error) { ADD_FAILURE() << caf::to_string(error); });
  const JournalStatus status = status_of(self, journal);
  EXPECT_EQ(status.appends, 2u);
  EXPECT_EQ(status.failed_appends, 2u);
  stop(self, journal);
}

}  // namespace
}  // namespace troupe::persistence
