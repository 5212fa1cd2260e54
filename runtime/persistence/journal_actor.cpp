#include "runtime/persistence/journal_actor.hpp"

#include <caf/actor_cast.hpp>
#include <caf/typed_event_based_actor.hpp>
#include <caf/typed_response_promise.hpp>

#include <spdlog/spdlog.h>

#include <algorithm>

namespace troupe::persistence {
namespace {

using Clock = std::chrono::steady_clock;
using EventList = std::vector<std::pair<std::uint64_t, std::string>>;
using OutboxList = std::vector<std::pair<std::string, std::string>>;

// `io_code` is what an Io failure means for the request at hand (a read or a write).
caf::error to_caf_error(const JournalError& error, JournalErrc io_code) {
  switch (error.code) {
    case JournalErrorCode::Corruption:
      return make_error(JournalErrc::CorruptData, error.message);
    case JournalErrorCode::InvalidArgument:
      return make_error(JournalErrc::InvalidRequest, error.message);
    case JournalErrorCode::Io:
      break;
  }
  return make_error(io_code, error.message);
}

class JournalActorImpl : public journal_actor::base {
 public:
  JournalActorImpl(caf::actor_config& config, std::unique_ptr<Journal> journal,
                   JournalActorOptions options)
      : journal_actor::base(config), journal_(std::move(journal)), options_(options) {}

  const char* name() const override { return "journal"; }

  // Runs before monitors see the actor go down, so the database (and its LOCK) is released by
  // the time a supervisor reacts; the actor object itself may live on while handles exist.
  void on_exit() override {
    if (!journal_) return;
    commit();
    journal_.reset();
  }

  behavior_type make_behavior() override {
    return {
        [this](append_atom, std::string& entity, std::string& bytes) {
          return append(std::move(entity), std::move(bytes));
        },
        [this](read_atom, const std::string& entity, std::uint64_t from_seq) {
          return read(entity, from_seq);
        },
        [this](epoch_atom, const std::string& entity) -> caf::result<std::uint64_t> {
          commit();
          return reply(journal_->bump_epoch(entity), JournalErrc::WriteFailed);
        },
        [this](snapshot_atom, caf::put_atom, const std::string& entity, std::uint64_t seq,
               const std::string& bytes) -> caf::result<void> {
          commit();
          return reply(journal_->put_snapshot(entity, seq, bytes), JournalErrc::WriteFailed);
        },
        [this](snapshot_atom, caf::get_atom,
               const std::string& entity) -> caf::result<std::uint64_t, std::string> {
          commit();
          auto snapshot = journal_->latest_snapshot(entity);
          if (!snapshot) return fail(snapshot.error(), JournalErrc::ReadFailed);
          if (!*snapshot) return {std::uint64_t{0}, std::string{}};
          return {(*snapshot)->seq, std::move((*snapshot)->bytes)};
        },
        [this](outbox_atom, caf::put_atom, const std::string& key,
               const std::string& bytes) -> caf::result<void> {
          commit();
          return reply(journal_->outbox_put(key, bytes), JournalErrc::WriteFailed);
        },
        [this](outbox_atom, caf::delete_atom, const std::string& key) -> caf::result<void> {
          commit();
          return reply(journal_->outbox_erase(key), JournalErrc::WriteFailed);
        },
        [this](outbox_atom, caf::get_atom) { return outbox(); },
        [this](status_atom) { return status_; },
        [this](commit_atom) {
          commit_scheduled_ = false;
          commit();
        },
    };
  }

 private:
  // Queues the append; it is answered when the batch holding it is committed: at once when the
  // batch is full or its first append has waited max_delay, otherwise when the commit message
  // sent to ourselves arrives, i.e. after every message already in the mailbox.
  caf::typed_response_promise<std::uint64_t> append(std::string entity, std::string bytes) {
    auto promise = make_response_promise<std::uint64_t>();
    if (pending_.empty()) first_pending_at_ = Clock::now();
    pending_.push_back({std::move(entity), std::move(bytes)});
    promises_.push_back(promise);
    if (pending_.size() >= options_.max_batch ||
        Clock::now() - first_pending_at_ >= options_.max_delay) {
      commit();
    } else if (!commit_scheduled_) {
      commit_scheduled_ = true;
      send(caf::actor_cast<journal_actor>(this), commit_atom_v);
    }
    return promise;
  }

  // Commits every queued append in one WriteBatch, then answers each. When the batch fails,
  // each append is retried alone so that one bad entity (say, corrupt meta) cannot fail the
  // appends of other entities that happened to share its batch.
  void commit() {
    if (pending_.empty()) return;
    std::vector<AppendRequest> batch;
    std::vector<caf::typed_response_promise<std::uint64_t>> promises;
    batch.swap(pending_);
    promises.swap(promises_);
    ++status_.batches;
    status_.largest_batch = std::max<std::uint64_t>(status_.largest_batch, batch.size());
    auto seqs = journal_->append_batch(batch, options_.sync);
    if (seqs) {
      for (std::size_t i = 0; i < promises.size(); ++i) promises[i].deliver((*seqs)[i]);
      status_.appends += promises.size();
      return;
    }
    spdlog::error("journal: batch of {} appends failed: {}", batch.size(), seqs.error().message);
    if (batch.size() == 1) {
      answer_failure(promises.front(), seqs.error());
      return;
    }
    for (std::size_t i = 0; i < batch.size(); ++i) {
      ++status_.batches;
      auto seq = journal_->append_batch({batch[i]}, options_.sync);
      if (seq) {
        promises[i].deliver(seq->front());
        ++status_.appends;
      } else {
        spdlog::error("journal: append to entity '{}' failed: {}", batch[i].entity,
                      seq.error().message);
        answer_failure(promises[i], seq.error());
      }
    }
  }

  void answer_failure(caf::typed_response_promise<std::uint64_t>& promise,
                      const JournalError& error) {
    promise.deliver(to_caf_error(error, JournalErrc::WriteFailed));
    ++status_.failed_appends;
  }

  caf::result<EventList> read(const std::string& entity, std::uint64_t from_seq) {
    commit();
    auto events = journal_->read_events(entity, from_seq);
    if (!events) return fail(events.error(), JournalErrc::ReadFailed);
    EventList out;
    out.reserve(events->size());
    for (auto& event : *events) out.emplace_back(event.seq, std::move(event.bytes));
    return out;
  }

  caf::result<OutboxList> outbox() {
    commit();
    auto entries = journal_->outbox_list();
    if (!entries) return fail(entries.error(), JournalErrc::ReadFailed);
    OutboxList out;
    out.reserve(entries->size());
    for (auto& entry : *entries) out.emplace_back(std::move(entry.key), std::move(entry.bytes));
    return out;
  }

  template <class T>
  caf::result<T> reply(tl::expected<T, JournalError> x, JournalErrc io_code) {
    if (!x) return fail(x.error(), io_code);
    return std::move(*x);
  }

  caf::result<void> reply(tl::expected<void, JournalError> x, JournalErrc io_code) {
    if (!x) return fail(x.error(), io_code);
    return caf::unit;
  }

  caf::error fail(const JournalError& error, JournalErrc io_code) {
    spdlog::error("journal: {}", error.message);
    return to_caf_error(error, io_code);
  }

  std::unique_ptr<Journal> journal_;
  JournalActorOptions options_;
  std::vector<AppendRequest> pending_;
  std::vector<caf::typed_response_promise<std::uint64_t>> promises_;
  Clock::time_point first_pending_at_;
  bool commit_scheduled_ = false;
  JournalStatus status_;
};

}  // namespace

std::string to_string(JournalErrc code) {
  switch (code) {
    case JournalErrc::WriteFailed:
      return "write_failed";
    case JournalErrc::ReadFailed:
      return "read_failed";
    case JournalErrc::CorruptData:
      return "corrupt_data";
    case JournalErrc::InvalidRequest:
      return "invalid_request";
  }
  return "unknown";
}

std::string render_journal_error(std::uint8_t code, caf::atom_value category,
                                 const caf::message& context) {
  std::string text = caf::to_string(category) + ": " + to_string(static_cast<JournalErrc>(code));
  if (context.match_elements<std::string>())
    text += " (" + context.get_as<std::string>(0) + ")";
  else if (!context.empty())
    text += " " + caf::to_string(context);
  return text;
}

caf::error make_error(JournalErrc code) {
  return {static_cast<std::uint8_t>(code), journal_error_category};
}

caf::error make_error(JournalErrc code, std::string message) {
  return {static_cast<std::uint8_t>(code), journal_error_category,
          caf::make_message(std::move(message))};
}

journal_actor spawn_journal(caf::actor_system& system, std::unique_ptr<Journal> journal,
                            bool detached, JournalActorOptions options) {
  if (detached) return system.spawn<JournalActorImpl, caf::detached>(std::move(journal), options);
  return system.spawn<JournalActorImpl>(std::move(journal), options);
}

}  // namespace troupe::persistence
