#include "runtime/persistence/journal.hpp"

#include <gtest/gtest.h>
#include <rocksdb/db.h>

#include <chrono>
#include <fstream>
#include <optional>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

#include "tests/unit/runtime/persistence/raw_rocksdb.hpp"
#include "tests/unit/runtime/persistence/temp_dir.hpp"

namespace troupe::persistence {
namespace {

using testing::TempDir;

std::unique_ptr<Journal> open_or_fail(const std::string& path) {
  auto journal = Journal::open(path);
  if (!journal) ADD_FAILURE() << journal.error().message;
  return journal ? std::move(*journal) : nullptr;
}

std::vector<std::uint64_t> seqs_of(const std::vector<StoredEvent>& events) {
  std::vector<std::uint64_t> seqs;
  seqs.reserve(events.size());
  for (const auto& event : events) seqs.push_back(event.seq);
  return seqs;
}

template <class T>
std::optional<JournalErrorCode> error_code(const tl::expected<T, JournalError>& x) {
  if (x) return std::nullopt;
  return x.error().code;
}

std::vector<std::string> bytes_of(const std::vector<StoredEvent>& events) {
  std::vector<std::string> bytes;
  bytes.reserve(events.size());
  for (const auto& event : events) bytes.push_back(event.bytes);
  return bytes;
}

TEST(Journal, AppendsGetConsecutiveSeqsPerEntityAndReadBackInOrder) {
  TempDir dir;
  auto journal = open_or_fail(dir.journal_path());
  ASSERT_TRUE(journal);
  auto first = journal->append_batch({{"oms/a", "a1"}, {"oms/b", "b1"}, {"oms/a", "a2"}}, true);
  ASSERT_TRUE(first.has_value()) << first.error().message;
  EXPECT_EQ(*first, (std::vector<std::uint64_t>{1, 1, 2}));
  auto second = journal->append_batch({{"oms/b", "b2"}, {"oms/a", "a3"}}, false);
  ASSERT_TRUE(second.has_value());
  EXPECT_EQ(*second, (std::vector<std::uint64_t>{2, 3}));

  auto a = journal->read_events("oms/a", 0);
  ASSERT_TRUE(a.has_value());
  EXPECT_EQ(seqs_of(*a), (std::vector<std::uint64_t>{1, 2, 3}));
  EXPECT_EQ(bytes_of(*a), (std::vector<std::string>{"a1", "a2", "a3"}));
  auto b_tail = journal->read_events("oms/b", 2);
  ASSERT_TRUE(b_tail.has_value());
  EXPECT_EQ(bytes_of(*b_tail), (std::vector<std::string>{"b2"}));
  EXPECT_TRUE(journal->read_events("oms/a", 4)->empty());
  EXPECT_TRUE(journal->read_events("oms/never", 1)->empty());

  EXPECT_EQ(*journal->entities(), (std::vector<std::string>{"oms/a", "oms/b"}));
  EXPECT_EQ(journal->meta("oms/a")->last_seq, 3u);
  EXPECT_EQ(journal->meta("oms/b")->last_seq, 2u);
  EXPECT_EQ(*journal->meta("oms/never"), EntityMeta{});
}

TEST(Journal, EntitiesSharingAPrefixKeepSeparateLogsOrderedPastByteBoundaries) {
  TempDir dir;
  auto journal = open_or_fail(dir.journal_path());
  ASSERT_TRUE(journal);
  std::vector<AppendRequest> batch;
  for (int i = 1; i <= 300; ++i) {
    batch.push_back({"a", "a" + std::to_string(i)});
    if (i % 100 == 0) batch.push_back({"ab", "ab" + std::to_string(i)});
    if (i % 150 == 0) batch.push_back({"a/b", "a/b" + std::to_string(i)});
  }
  ASSERT_TRUE(journal->append_batch(batch, true).has_value());
  auto a = journal->read_events("a", 1);
  ASSERT_TRUE(a.has_value());
  ASSERT_EQ(a->size(), 300u);
  for (std::size_t i = 0; i < a->size(); ++i) {
    EXPECT_EQ((*a)[i].seq, i + 1);
    EXPECT_EQ((*a)[i].bytes, "a" + std::to_string(i + 1));
  }
  EXPECT_EQ(bytes_of(*journal->read_events("ab", 1)),
            (std::vector<std::string>{"ab100", "ab200", "ab300"}));
  EXPECT_EQ(bytes_of(*journal->read_events("a/b", 2)), (std::vector<std::string>{"a/b300"}));
}

TEST(Journal, ABatchWithAnInvalidEntityWritesNothing) {
  TempDir dir;
  auto journal = open_or_fail(dir.journal_path());
  ASSERT_TRUE(journal);
  auto result = journal->append_batch(
      {{"oms/a", "a1"}, {std::string{"bad\0name", 8}, "x"}, {"oms/b", "b1"}}, true);
  ASSERT_EQ(error_code(result), JournalErrorCode::InvalidArgument);
  EXPECT_NE(result.error().message.find("NUL"), std::string::npos);
  EXPECT_TRUE(journal->read_events("oms/a", 1)->empty());
  EXPECT_TRUE(journal->entities()->empty());
  EXPECT_EQ(journal->meta("oms/a")->last_seq, 0u);
  // The failed batch did not consume seqs.
  EXPECT_EQ(*journal->append_batch({{"oms/a", "a1"}}, true), (std::vector<std::uint64_t>{1}));
  EXPECT_EQ(error_code(journal->append_batch({{"", "x"}}, true)),
            JournalErrorCode::InvalidArgument);
}

// Run in a forked child: appends batches of one event for each of two entities, synced, and
// writes a byte to `ready_fd` once some are durable; stops after 20 s if nobody kills it.
[[noreturn]] void append_until_killed(const std::string& path, int ready_fd) {
  auto journal = Journal::open(path);
  if (!journal) _exit(2);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  for (int i = 0; std::chrono::steady_clock::now() < deadline; ++i) {
    const std::string payload(100 + i % 900, 'x');
    if (!(*journal)->append_batch({{"left", payload}, {"right", payload}}, true)) _exit(3);
    if (i == 20 && write(ready_fd, "r", 1) != 1) _exit(4);
  }
  _exit(0);
}

// The child is SIGKILLed mid-stream; after reopening, both logs must have the same length (no
// half batch survives) and meta must agree with the events.
TEST(Journal, SigkilledWriterLeavesOnlyWholeBatches) {
  TempDir dir;
  const std::string path = dir.journal_path();
  int ready[2];
  ASSERT_EQ(pipe(ready), 0);
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) append_until_killed(path, ready[1]);
  close(ready[1]);
  pollfd wait_ready{ready[0], POLLIN, 0};
  const bool child_ready = poll(&wait_ready, 1, 20'000) == 1;
  close(ready[0]);
  std::this_thread::sleep_for(std::chrono::milliseconds(30));
  ASSERT_EQ(kill(child, SIGKILL), 0);
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  ASSERT_TRUE(child_ready) << "the child never reported durable batches";
  ASSERT_TRUE(WIFSIGNALED(status)) << "child exited early with " << WEXITSTATUS(status);

  auto journal = open_or_fail(path);
  ASSERT_TRUE(journal);
  const auto left = journal->meta("left");
  const auto right = journal->meta("right");
  ASSERT_TRUE(left && right);
  EXPECT_GT(left->last_seq, 20u);
  EXPECT_EQ(left->last_seq, right->last_seq);
  EXPECT_EQ(journal->read_events("left", 1)->size(), left->last_seq);
  EXPECT_EQ(journal->read_events("right", 1)->size(), right->last_seq);
}

TEST(Journal, EpochBumpsAreDurableAcrossReopen) {
  TempDir dir;
  {
    auto journal = open_or_fail(dir.journal_path());
    ASSERT_TRUE(journal);
    EXPECT_EQ(*journal->bump_epoch("oms/acct"), 1u);
    EXPECT_EQ(*journal->bump_epoch("oms/acct"), 2u);
  }
  auto journal = open_or_fail(dir.journal_path());
  ASSERT_TRUE(journal);
  EXPECT_EQ(journal->meta("oms/acct")->epoch, 2u);
  EXPECT_EQ(*journal->bump_epoch("oms/acct"), 3u);
  EXPECT_EQ(*journal->entities(), (std::vector<std::string>{"oms/acct"}));
}

TEST(Journal, KeepsOnlyTheTwoNewestSnapshots) {
  TempDir dir;
  auto journal = open_or_fail(dir.journal_path());
  ASSERT_TRUE(journal);
  ASSERT_TRUE(journal->append_batch({{"e", "1"}, {"e", "2"}, {"e", "3"}, {"e", "4"}}, true));
  EXPECT_FALSE(journal->latest_snapshot("e")->has_value());
  for (std::uint64_t seq : {1, 2, 3})
    ASSERT_TRUE(journal->put_snapshot("e", seq, "state@" + std::to_string(seq)));
  auto kept = journal->snapshots("e");
  ASSERT_TRUE(kept.has_value());
  ASSERT_EQ(kept->size(), 2u);
  EXPECT_EQ((*kept)[0].seq, 2u);
  EXPECT_EQ((*kept)[1].seq, 3u);
  auto latest = journal->latest_snapshot("e");
  ASSERT_TRUE(latest && latest->has_value());
  EXPECT_EQ((*latest)->seq, 3u);
  EXPECT_EQ((*latest)->bytes, "state@3");
  EXPECT_EQ(journal->meta("e")->snapshot_seq, 3u);

  auto older = journal->put_snapshot("e", 2, "stale");
  ASSERT_EQ(error_code(older), JournalErrorCode::InvalidArgument);
  EXPECT_NE(older.error().message.find("'e'"), std::string::npos);

  ASSERT_TRUE(journal->put_snapshot("e", 3, "state@3 again"));
  ASSERT_TRUE(journal->put_snapshot("e", 4, "state@4"));
  kept = journal->snapshots("e");
  ASSERT_EQ(kept->size(), 2u);
  EXPECT_EQ((*kept)[0].bytes, "state@3 again");
  EXPECT_EQ((*kept)[1].bytes, "state@4");
}

TEST(Journal, SnapshotAheadOfTheLogMovesTheNextSeqPastIt) {
  TempDir dir;
  auto journal = open_or_fail(dir.journal_path());
  ASSERT_TRUE(journal);
  ASSERT_TRUE(journal->put_snapshot("moved", 10, "installed by migration"));
  EXPECT_EQ(*journal->append_batch({{"moved", "next"}}, true), (std::vector<std::uint64_t>{11}));
  EXPECT_EQ(seqs_of(*journal->read_events("moved", 11)), (std::vector<std::uint64_t>{11}));
}

TEST(Journal, OutboxStoresReplacesErasesAndListsSideEffects) {
  TempDir dir;
  auto journal = open_or_fail(dir.journal_path());
  ASSERT_TRUE(journal);
  ASSERT_TRUE(journal->outbox_put("acct-1-2", "submit 2"));
  ASSERT_TRUE(journal->outbox_put("acct-1-1", "submit 1"));
  ASSERT_TRUE(journal->outbox_put("acct-1-2", "submit 2 v2"));
  auto listed = journal->outbox_list();
  ASSERT_TRUE(listed.has_value());
  ASSERT_EQ(listed->size(), 2u);
  EXPECT_EQ((*listed)[0].key, "acct-1-1");
  EXPECT_EQ((*listed)[1].bytes, "submit 2 v2");
  ASSERT_TRUE(journal->outbox_erase("acct-1-1"));
  ASSERT_TRUE(journal->outbox_erase("never-there"));
  listed = journal->outbox_list();
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ((*listed)[0].key, "acct-1-2");
  EXPECT_FALSE(journal->outbox_put("", "x").has_value());
}

TEST(Journal, ReopenAfterCloseRestoresEverything) {
  TempDir dir;
  {
    auto journal = open_or_fail(dir.journal_path());
    ASSERT_TRUE(journal);
    ASSERT_TRUE(journal->append_batch({{"oms/a", "a1"}, {"oms/b", "b1"}, {"oms/a", "a2"}}, true));
    ASSERT_TRUE(journal->bump_epoch("oms/a"));
    ASSERT_TRUE(journal->put_snapshot("oms/a", 1, "snap"));
    ASSERT_TRUE(journal->set_status("oms/b", EntityStatus::Fenced));
    ASSERT_TRUE(journal->outbox_put("a-1-1", "pending"));
  }
  auto journal = open_or_fail(dir.journal_path());
  ASSERT_TRUE(journal);
  EXPECT_EQ(*journal->entities(), (std::vector<std::string>{"oms/a", "oms/b"}));
  EXPECT_EQ(*journal->meta("oms/a"), (EntityMeta{1, 2, 1, EntityStatus::Active}));
  EXPECT_EQ(*journal->meta("oms/b"), (EntityMeta{0, 1, 0, EntityStatus::Fenced}));
  EXPECT_EQ(bytes_of(*journal->read_events("oms/a", 1)), (std::vector<std::string>{"a1", "a2"}));
  EXPECT_EQ((*journal->latest_snapshot("oms/a"))->bytes, "snap");
  ASSERT_EQ(journal->outbox_list()->size(), 1u);
  EXPECT_EQ(journal->outbox_list()->front().bytes, "pending");
  EXPECT_EQ(*journal->append_batch({{"oms/a", "a3"}}, true), (std::vector<std::uint64_t>{3}));
}

TEST(Journal, SecondOpenOfTheSamePathFailsNamingThePathAndTheLock) {
  TempDir dir;
  auto first = open_or_fail(dir.journal_path());
  ASSERT_TRUE(first);
  auto second = Journal::open(dir.journal_path());
  ASSERT_EQ(error_code(second), JournalErrorCode::Io);
  EXPECT_NE(second.error().message.find(dir.journal_path()), std::string::npos);
  EXPECT_NE(second.error().message.find("lock"), std::string::npos) << second.error().message;
}

TEST(Journal, OpenFailsNamingThePathWhenTheDirectoryCannotBeCreated) {
  TempDir dir;
  std::ofstream{dir.path() + "/file"} << "not a directory";
  auto journal = Journal::open(dir.path() + "/file/journal");
  ASSERT_FALSE(journal.has_value());
  EXPECT_NE(journal.error().message.find(dir.path() + "/file/journal"), std::string::npos);
}

TEST(Journal, CorruptMetaBytesGiveACleanErrorNamingTheEntity) {
  TempDir dir;
  {
    auto journal = open_or_fail(dir.journal_path());
    ASSERT_TRUE(journal);
    ASSERT_TRUE(journal->append_batch({{"oms/bad", "x"}, {"oms/good", "y"}}, true));
  }
  ASSERT_TRUE(
      testing::put_raw(dir.journal_path(), "meta", "oms/bad", std::string{"\x01\x00\x07", 3}));
  ASSERT_TRUE(testing::put_raw(dir.journal_path(), "meta", "oms/newer",
                               std::string{"\x09\x00", 2} + std::string(25, '\0')));
  auto journal = open_or_fail(dir.journal_path());
  ASSERT_TRUE(journal);

  auto bad = journal->meta("oms/bad");
  ASSERT_EQ(error_code(bad), JournalErrorCode::Corruption);
  EXPECT_NE(bad.error().message.find("meta of entity 'oms/bad'"), std::string::npos);
  EXPECT_NE(bad.error().message.find("epoch"), std::string::npos) << bad.error().message;
  EXPECT_FALSE(journal->append_batch({{"oms/bad", "z"}}, true).has_value());
  EXPECT_FALSE(journal->bump_epoch("oms/bad").has_value());

  auto newer = journal->meta("oms/newer");
  ASSERT_FALSE(newer.has_value());
  EXPECT_NE(newer.error().message.find("format version: 9"), std::string::npos)
      << newer.error().message;

  EXPECT_EQ(*journal->append_batch({{"oms/good", "y2"}}, true), (std::vector<std::uint64_t>{2}));
}

TEST(Journal, RefusesEntityNamesThatWouldBreakTheKeyLayout) {
  TempDir dir;
  auto journal = open_or_fail(dir.journal_path());
  ASSERT_TRUE(journal);
  EXPECT_EQ(error_code(journal->meta("")), JournalErrorCode::InvalidArgument);
  EXPECT_EQ(error_code(journal->read_events(std::string{"a\0b", 3}, 1)),
            JournalErrorCode::InvalidArgument);
  EXPECT_EQ(error_code(journal->bump_epoch(std::string{"a\0", 2})),
            JournalErrorCode::InvalidArgument);
  EXPECT_EQ(error_code(journal->put_snapshot("e", 0, "x")), JournalErrorCode::InvalidArgument);
}

}  // namespace
}  // namespace troupe::persistence
