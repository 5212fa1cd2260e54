#pragma once
// Our own versioned binary encoding of the order events the order manager journals. The bytes
// are what the journal stores in its `events` column family (docs/persistence.md).
//
// Envelope (all integers little-endian):
//   u16 format version | u16 event type tag | payload
// Payload: the event's fields in a fixed order per type, each as
//   - integers / timestamps: fixed-width (i64 for ns since the epoch)
//   - strings and string ids: u32 byte count + bytes
//   - InstrumentId: venue string, symbol string
//   - fixed point (Price, Quantity, Money): i64 mantissa + u8 precision (<= kMaxPrecision)
//   - enums: u8 underlying value, checked against the named enumerators
// The decoder consumes exactly the whole input: truncated input, trailing bytes, an unknown
// version or tag, and out-of-range enum or precision bytes are errors, never crashes.
//
// Evolution rule (how v2 adds fields):
//   1. Fields are only ever appended at the end of a type's payload, read under
//      `if (io.version >= 2)` in event_codec.cpp; v1 bytes then decode with the new fields left
//      at their defaults. Never reorder, retype or remove a field; stop writing it in a new
//      version instead (and keep reading it for the old ones).
//   2. Adding a field to any event bumps kEventFormatVersion; the encoder always writes the
//      current version; the decoder accepts every version from 1 to the current one and refuses
//      newer ones (an old binary must not misread data written by a newer one).
//   3. Tags are never reused. A new event type takes the next free tag; a retired type keeps its
//      tag reserved. A new enumerator needs the codec's enum limits extended (a test guards this).

#include "messages/events.hpp"

#include <tl/expected.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>

namespace troupe::persistence {

/// The order events the order manager journals, one per state change of an order. A
/// CancelOrder records that we asked the venue to cancel (the order's PendingCancel state).
using JournalEvent = std::variant<OrderSubmitted, OrderAccepted, OrderRejected, OrderDenied,
                                  OrderFilled, OrderCanceled, CancelOrder>;

/// The envelope format version the encoder writes (and the highest the decoder accepts).
inline constexpr std::uint16_t kEventFormatVersion = 1;

/// Envelope type tags. Stable on disk: never renumber, never reuse.
enum class EventTag : std::uint16_t {
  OrderSubmitted = 1,
  OrderAccepted = 2,
  OrderRejected = 3,
  OrderDenied = 4,
  OrderFilled = 5,
  OrderCanceled = 6,
  CancelOrder = 7,
};

/// Why bytes could not be decoded into a JournalEvent.
enum class CodecErrorCode : std::uint8_t {
  UnknownVersion,  ///< envelope version 0 or newer than kEventFormatVersion
  UnknownTag,      ///< envelope tag names no event type
  Truncated,       ///< the input ended inside a field
  TrailingBytes,   ///< bytes left after the last field
  InvalidValue,    ///< a field's bytes are not a valid value (enum byte, precision)
};

/// A decoding failure. `message` names the event type, the field, the byte offset and what was
/// wrong, e.g. "OrderFilled at byte 57: commission needs 8 bytes, 3 left".
struct CodecError {
  CodecErrorCode code = CodecErrorCode::InvalidValue;  ///< the kind of failure
  std::string message;                                 ///< human-readable details
};

/// Short name of a CodecErrorCode ("truncated", ...).
std::string to_string(CodecErrorCode code);

/// The envelope tag of an event.
EventTag tag_of(const JournalEvent& event);

/// The event type's name ("OrderFilled").
std::string_view type_name(const JournalEvent& event);

/// Encodes `event` at kEventFormatVersion. Total: every event encodes.
std::string encode(const JournalEvent& event);

/// Decodes bytes written by `encode` of any supported version.
tl::expected<JournalEvent, CodecError> decode(std::string_view bytes);

}  // namespace troupe::persistence
