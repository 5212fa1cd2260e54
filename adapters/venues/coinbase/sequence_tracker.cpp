#include "adapters/venues/coinbase/sequence_tracker.hpp"

namespace troupe::coinbase {

std::string SequenceCheck::describe() const {
  return "expected sequence_num=" + std::to_string(expected) + ", got " + std::to_string(got);
}

SequenceCheck SequenceTracker::observe(std::uint64_t sequence_num) {
  SequenceCheck check;
  check.got = sequence_num;
  if (!last_) {
    last_ = sequence_num;
    return check;
  }
  check.expected = *last_ + 1;
  if (sequence_num <= *last_) {
    check.verdict = SequenceVerdict::Old;
    return check;
  }
  check.verdict = sequence_num == check.expected ? SequenceVerdict::InOrder : SequenceVerdict::Gap;
  last_ = sequence_num;
  return check;
}

}  // namespace troupe::coinbase
