#include "runtime/persistence/event_codec.hpp"

#include "runtime/persistence/byte_io.hpp"

#include <concepts>
#include <type_traits>

namespace troupe::persistence {
namespace {

// Number of named enumerators per enum (values are 0..count-1). When messages/enums.hpp gains
// an enumerator, extend the count here; EventCodec.AcceptsExactlyTheNamedEnumerators fails
// until then.
constexpr std::uint8_t enum_count(Side) { return 2; }
constexpr std::uint8_t enum_count(OrderType) { return 4; }
constexpr std::uint8_t enum_count(TimeInForce) { return 4; }
constexpr std::uint8_t enum_count(LiquiditySide) { return 3; }
constexpr std::uint8_t enum_count(DenyReason) { return 9; }

template <class T>
concept CodecEnum = std::is_enum_v<T> && requires(T x) {
  enum_count(x);
};

// Writes fields in the order the field lists below visit them. `version` is what the field
// lists test to decide which fields exist; the writer always writes the current version.
struct FieldWriter {
  ByteWriter out;
  std::uint16_t version = kEventFormatVersion;

  void operator()(const std::int64_t& x, const char*) { out.i64(x); }
  void operator()(const std::string& x, const char*) { out.string(x); }
  template <class Tag>
  void operator()(const StrongId<Tag>& x, const char*) {
    out.string(x.value);
  }
  void operator()(const InstrumentId& x, const char*) {
    out.string(x.venue.value);
    out.string(x.symbol);
  }
  template <class Tag>
  void operator()(const FixedPoint<Tag>& x, const char*) {
    out.i64(x.raw());
    out.u8(x.precision());
  }
  template <CodecEnum E>
  void operator()(const E& x, const char*) {
    out.u8(static_cast<std::uint8_t>(x));
  }
};

// Reads fields in the same order, validating enum bytes and precisions.
struct FieldReader {
  ByteReader in;
  std::uint16_t version = kEventFormatVersion;

  void operator()(std::int64_t& x, const char* field) { x = in.i64(field); }
  void operator()(std::string& x, const char* field) { x = in.string(field); }
  template <class Tag>
  void operator()(StrongId<Tag>& x, const char* field) {
    x.value = in.string(field);
  }
  void operator()(InstrumentId& x, const char* field) {
    x.venue.value = in.string(field);
    x.symbol = in.string(field);
  }
  template <class Tag>
  void operator()(FixedPoint<Tag>& x, const char* field) {
    const std::int64_t raw = in.i64(field);
    const std::uint8_t precision = in.u8(field);
    if (precision > kMaxPrecision)
      in.invalid(field, "precision " + std::to_string(precision) + " exceeds " +
                            std::to_string(kMaxPrecision));
    x = FixedPoint<Tag>::from_raw(raw, precision);
  }
  template <CodecEnum E>
  void operator()(E& x, const char* field) {
    const std::uint8_t raw = in.u8(field);
    if (raw >= enum_count(E{}))
      in.invalid(field, "enum value " + std::to_string(raw) + " is not one of the " +
                            std::to_string(enum_count(E{})) + " known values");
    else
      x = static_cast<E>(raw);
  }
};

// `Self` is T or const T, so one field list serves both the writer and the reader.
template <class Self, class T>
concept Either = std::same_as<std::remove_const_t<Self>, T>;

// --- Field lists, format v1. Append new fields at the end under `if (io.version >= N)`. ---

template <class Io, Either<SubmitOrder> Self>
void fields(Io& io, Self& x) {
  io(x.account, "order.account");
  io(x.strategy, "order.strategy");
  io(x.client_order_id, "order.client_order_id");
  io(x.instrument, "order.instrument");
  io(x.side, "order.side");
  io(x.type, "order.type");
  io(x.time_in_force, "order.time_in_force");
  io(x.quantity, "order.quantity");
  io(x.price, "order.price");
  io(x.trigger_price, "order.trigger_price");
  io(x.ts_init, "order.ts_init");
}

template <class Io, Either<OrderSubmitted> Self>
void fields(Io& io, Self& x) {
  fields(io, x.order);
  io(x.ts_event, "ts_event");
  io(x.ts_init, "ts_init");
}

template <class Io, Either<OrderAccepted> Self>
void fields(Io& io, Self& x) {
  io(x.account, "account");
  io(x.client_order_id, "client_order_id");
  io(x.venue_order_id, "venue_order_id");
  io(x.instrument, "instrument");
  io(x.ts_event, "ts_event");
  io(x.ts_init, "ts_init");
}

template <class Io, Either<OrderRejected> Self>
void fields(Io& io, Self& x) {
  io(x.account, "account");
  io(x.client_order_id, "client_order_id");
  io(x.instrument, "instrument");
  io(x.reason, "reason");
  io(x.ts_event, "ts_event");
  io(x.ts_init, "ts_init");
}

template <class Io, Either<OrderDenied> Self>
void fields(Io& io, Self& x) {
  io(x.account, "account");
  io(x.strategy, "strategy");
  io(x.client_order_id, "client_order_id");
  io(x.instrument, "instrument");
  io(x.reason, "reason");
  io(x.message, "message");
  io(x.ts_event, "ts_event");
  io(x.ts_init, "ts_init");
}

template <class Io, Either<OrderFilled> Self>
void fields(Io& io, Self& x) {
  io(x.account, "account");
  io(x.strategy, "strategy");
  io(x.client_order_id, "client_order_id");
  io(x.venue_order_id, "venue_order_id");
  io(x.trade_id, "trade_id");
  io(x.instrument, "instrument");
  io(x.side, "side");
  io(x.last_quantity, "last_quantity");
  io(x.last_price, "last_price");
  io(x.cum_quantity, "cum_quantity");
  io(x.leaves_quantity, "leaves_quantity");
  io(x.commission, "commission");
  io(x.commission_asset, "commission_asset");
  io(x.liquidity, "liquidity");
  io(x.ts_event, "ts_event");
  io(x.ts_init, "ts_init");
}

template <class Io, Either<OrderCanceled> Self>
void fields(Io& io, Self& x) {
  io(x.account, "account");
  io(x.client_order_id, "client_order_id");
  io(x.venue_order_id, "venue_order_id");
  io(x.instrument, "instrument");
  io(x.reason, "reason");
  io(x.ts_event, "ts_event");
  io(x.ts_init, "ts_init");
}

template <class Io, Either<CancelOrder> Self>
void fields(Io& io, Self& x) {
  io(x.account, "account");
  io(x.strategy, "strategy");
  io(x.client_order_id, "client_order_id");
  io(x.instrument, "instrument");
  io(x.ts_init, "ts_init");
}

// --- Tags and names per type. ---

template <class T>
struct EventInfo;
template <>
struct EventInfo<OrderSubmitted> {
  static constexpr EventTag tag = EventTag::OrderSubmitted;
  static constexpr const char* name = "OrderSubmitted";
};
template <>
struct EventInfo<OrderAccepted> {
  static constexpr EventTag tag = EventTag::OrderAccepted;
  static constexpr const char* name = "OrderAccepted";
};
template <>
struct EventInfo<OrderRejected> {
  static constexpr EventTag tag = EventTag::OrderRejected;
  static constexpr const char* name = "OrderRejected";
};
template <>
struct EventInfo<OrderDenied> {
  static constexpr EventTag tag = EventTag::OrderDenied;
  static constexpr const char* name = "OrderDenied";
};
template <>
struct EventInfo<OrderFilled> {
  static constexpr EventTag tag = EventTag::OrderFilled;
  static constexpr const char* name = "OrderFilled";
};
template <>
struct EventInfo<OrderCanceled> {
  static constexpr EventTag tag = EventTag::OrderCanceled;
  static constexpr const char* name = "OrderCanceled";
};
template <>
struct EventInfo<CancelOrder> {
  static constexpr EventTag tag = EventTag::CancelOrder;
  static constexpr const char* name = "CancelOrder";
};

constexpr std::size_t kEnvelopeSize = 4;

CodecError codec_error(const ByteReader& in) {
  switch (in.problem()) {
    case ReadProblem::Truncated:
      return {CodecErrorCode::Truncated, in.message()};
    case ReadProblem::TrailingBytes:
      return {CodecErrorCode::TrailingBytes, in.message()};
    default:
      return {CodecErrorCode::InvalidValue, in.message()};
  }
}

// Decodes the payload that follows the envelope in `bytes`.
template <class T>
tl::expected<JournalEvent, CodecError> decode_payload(std::string_view bytes,
                                                      std::uint16_t version) {
  FieldReader io{ByteReader{bytes, EventInfo<T>::name, kEnvelopeSize}, version};
  T event;
  fields(io, event);
  if (!io.in.expect_end()) return tl::make_unexpected(codec_error(io.in));
  return JournalEvent{std::move(event)};
}

}  // namespace

std::string to_string(CodecErrorCode code) {
  switch (code) {
    case CodecErrorCode::UnknownVersion:
      return "unknown_version";
    case CodecErrorCode::UnknownTag:
      return "unknown_tag";
    case CodecErrorCode::Truncated:
      return "truncated";
    case CodecErrorCode::TrailingBytes:
      return "trailing_bytes";
    case CodecErrorCode::InvalidValue:
      return "invalid_value";
  }
  return "unknown";
}

EventTag tag_of(const JournalEvent& event) {
  return std::visit([](const auto& x) { return EventInfo<std::decay_t<decltype(x)>>::tag; }, event);
}

std::string_view type_name(const JournalEvent& event) {
  return std::visit([](const auto& x) { return EventInfo<std::decay_t<decltype(x)>>::name; },
                    event);
}

std::string encode(const JournalEvent& event) {
  FieldWriter io;
  io.out.u16(kEventFormatVersion);
  io.out.u16(static_cast<std::uint16_t>(tag_of(event)));
  std::visit([&io](const auto& x) { fields(io, x); }, event);
  return io.out.take();
}

tl::expected<JournalEvent, CodecError> decode(std::string_view bytes) {
  ByteReader envelope{bytes, "event envelope"};
  const std::uint16_t version = envelope.u16("format version");
  const std::uint16_t tag = envelope.u16("event type tag");
  if (!envelope.ok()) return tl::make_unexpected(codec_error(envelope));
  if (version == 0 || version > kEventFormatVersion)
    return tl::make_unexpected(CodecError{
        CodecErrorCode::UnknownVersion,
        "event envelope: format version " + std::to_string(version) +
            " is not supported (this build reads 1.." + std::to_string(kEventFormatVersion) + ")"});
  switch (static_cast<EventTag>(tag)) {
    case EventTag::OrderSubmitted:
      return decode_payload<OrderSubmitted>(bytes, version);
    case EventTag::OrderAccepted:
      return decode_payload<OrderAccepted>(bytes, version);
    case EventTag::OrderRejected:
      return decode_payload<OrderRejected>(bytes, version);
    case EventTag::OrderDenied:
      return decode_payload<OrderDenied>(bytes, version);
    case EventTag::OrderFilled:
      return decode_payload<OrderFilled>(bytes, version);
    case EventTag::OrderCanceled:
      return decode_payload<OrderCanceled>(bytes, version);
    case EventTag::CancelOrder:
      return decode_payload<CancelOrder>(bytes, version);
  }
  return tl::make_unexpected(CodecError{
      CodecErrorCode::UnknownTag,
      "event envelope: event type tag " + std::to_string(tag) + " names no known event type"});
}

}  // namespace troupe::persistence
