// Status and Result<T>: the error currency of the kv and engine layers.
//
// Contract:
// - An OK Status holds no allocation; copying or returning it is cheap.
// - Both types are [[nodiscard]]: ignoring an error is a compile warning.
// - Thread safety: values, no shared state; safe to pass between threads.
// - Codes and reasons are never written to disk; they may be renumbered freely.
// - The code says how to treat an error (retry a conflict, report a missing
//   resource, refuse bad input); the reason says WHICH condition it is, in
//   words src/api maps to DynamoDB's error type and message (src/api/errors.cc
//   is the one place that holds those texts). Code never inspects message().
//   A reasoned Status carries its subjects (a table name, an attribute name)
//   as arguments; its message() is a debugging rendering, not DynamoDB text.
//   A Status with reason kNone carries its whole text in message(): the
//   parsers' validation errors (expressions, PartiQL, AttributeValues), whose
//   texts depend on the input, and storage errors.
#pragma once

#include <cassert>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace fdyno {

enum class StatusCode : uint8_t {
  kOk = 0,
  kNotFound,         // a named thing does not exist (not used for a missing key)
  kConflict,         // optimistic transaction lost a race; retry from the start
  kInvalidArgument,  // the caller passed something malformed
  kIOError,          // the storage device or backend failed
  kCorruption,       // stored bytes do not decode
  kBusy,             // temporarily unavailable (e.g. shutting down)
  kInternal,         // a bug: an invariant did not hold
  // The request's JSON does not have the shape the wire protocol requires
  // (DynamoDB answers SerializationException rather than ValidationException).
  kSerialization,
  // A named thing cannot be created because it already exists (DynamoDB's
  // ResourceInUseException, e.g. "Table already exists: NAME").
  kAlreadyExists,
  // The storage device is full: the write was not applied. Writes succeed
  // again once space is freed (the store recovers without a restart).
  kNoSpace,
};

// Typed reasons (see the contract above). Grouped by the code they go with;
// the argument list of each is stated beside it, in order.
enum class ErrorReason : uint16_t {
  kNone = 0,

  // ---- kNotFound
  kTableNotFound,      // table name. A control-plane operation's table.
  kItemTableNotFound,  // table name. The table of an item operation (DynamoDB
                       // words it differently, without the name).
  kIndexNotFound,      // index name
  kStreamNotFound,     // -
  kBackupNotFound,     // backup ARN

  // ---- kAlreadyExists
  kTableAlreadyExists,  // table name

  // ---- kInvalidArgument: item writes and keys
  kConditionFailed,             // - (a ConditionExpression or condition of a write)
  kItemCollectionTooLarge,      // - (engine/item_collection.h)
  kNestingTooDeep,              // - (more than 32 levels, model/attribute_value.h)
  kItemTooLarge,                // - (over 400 KB after an update)
  kMultipleOperationsOnOneItem, // - (a transaction names one item twice)
  kDuplicateItem,               // - (a PartiQL INSERT of an existing item)
  kKeyMismatch,                 // - (a Key that does not match the key schema)
  kMissingKeyInItem,            // key attribute name
  kKeyTypeMismatch,             // key attribute name, expected type, actual type
  kEmptyKeyValue,               // key attribute name, "B" or "S"
  kPartitionKeyTooLarge,        // -
  kSortKeyTooLarge,             // -
  kIndexKeyTypeMismatch,        // key name, expected type, actual type, index name
  kIndexKeyEmpty,               // key name, "B" or "S", index name

  // ---- kInvalidArgument: Query and Scan start keys
  kStartKeyInvalid,             // -
  kStartKeyInvalidBecause,      // the cause's arguments; cause() is its reason
  kStartKeyNotInQuery,          // hash key name, type, value as shown
  kStartKeyOutsideQuery,        // -
  kStartKeyRangeMismatch,       // -
  kStartKeyOneRow,              // -
  kStartKeyWrongSegment,        // total segments, segment

  // ---- kInvalidArgument: tables, indexes, streams, TTL
  kOneIndexChangeAtATime,       // -
  kIndexAlreadyExists,          // -
  kAttributeRedefined,          // attribute name
  kTooManyGlobalIndexes,        // the limit
  kTooManyIndexesCreated,       // -
  kDeletionProtected,           // -
  kThroughputWithPayPerRequest, // -
  kThroughputUnchanged,         // current read, requested read, current write, requested write
  kThroughputRequired,          // -
  kIndexThroughputRequired,     // index name
  kStreamAlreadyEnabled,        // table name
  kNoStreamToDisable,           // table name
  kTtlOnOtherAttribute,         // current attribute name
  kTtlAlreadyEnabled,           // -
  kTtlAlreadyDisabled,          // -
  kTagLimitExceeded,            // -

  // ---- kInvalidArgument: expressions
  kIncorrectOperandType,        // - (message() holds the text: the update engine's)

  // ---- kInvalidArgument, never leaves the engine: a transaction attempt
  // abandoned because its answer is in the outcome, not in the Status.
  kTransactionOutcome,
};

const char* errorReasonName(ErrorReason r);

class [[nodiscard]] Status {
 public:
  Status() noexcept = default;
  Status(StatusCode code, std::string_view msg)
      : state_(code == StatusCode::kOk ? nullptr
                                       : std::make_unique<State>(State{code, ErrorReason::kNone, ErrorReason::kNone,
                                                                       std::string(msg), {}})) {}
  // A reasoned error (code != kOk, reason != kNone); `args` as listed beside
  // the reason.
  Status(StatusCode code, ErrorReason reason, std::vector<std::string> args = {});
  Status(const Status& o) : state_(o.state_ ? std::make_unique<State>(*o.state_) : nullptr) {}
  Status& operator=(const Status& o) {
    if (this != &o) state_ = o.state_ ? std::make_unique<State>(*o.state_) : nullptr;
    return *this;
  }
  Status(Status&&) noexcept = default;
  Status& operator=(Status&&) noexcept = default;

  static Status OK() { return Status(); }
  static Status NotFound(std::string_view m) { return {StatusCode::kNotFound, m}; }
  static Status Conflict(std::string_view m) { return {StatusCode::kConflict, m}; }
  static Status InvalidArgument(std::string_view m) { return {StatusCode::kInvalidArgument, m}; }
  static Status IOError(std::string_view m) { return {StatusCode::kIOError, m}; }
  static Status Corruption(std::string_view m) { return {StatusCode::kCorruption, m}; }
  static Status Busy(std::string_view m) { return {StatusCode::kBusy, m}; }
  static Status Internal(std::string_view m) { return {StatusCode::kInternal, m}; }
  static Status Serialization(std::string_view m) { return {StatusCode::kSerialization, m}; }
  static Status AlreadyExists(std::string_view m) { return {StatusCode::kAlreadyExists, m}; }
  static Status NoSpace(std::string_view m) { return {StatusCode::kNoSpace, m}; }
  static Status NotFound(ErrorReason r, std::vector<std::string> args = {}) {
    return {StatusCode::kNotFound, r, std::move(args)};
  }
  static Status InvalidArgument(ErrorReason r, std::vector<std::string> args = {}) {
    return {StatusCode::kInvalidArgument, r, std::move(args)};
  }
  static Status AlreadyExists(ErrorReason r, std::vector<std::string> args = {}) {
    return {StatusCode::kAlreadyExists, r, std::move(args)};
  }
  // kStartKeyInvalidBecause-style wrappers: `reason` whose cause is `inner`'s
  // reason, with inner's arguments (inner must be reasoned).
  static Status Wrap(ErrorReason reason, const Status& inner);
  // Keeps code and message, adds a reason (for errors whose text comes from a
  // parser but that a caller must recognise, e.g. kIncorrectOperandType).
  Status withReason(ErrorReason r) &&;

  bool ok() const { return state_ == nullptr; }
  StatusCode code() const { return state_ ? state_->code : StatusCode::kOk; }
  bool isConflict() const { return code() == StatusCode::kConflict; }
  bool isNotFound() const { return code() == StatusCode::kNotFound; }
  ErrorReason reason() const { return state_ ? state_->reason : ErrorReason::kNone; }
  bool is(ErrorReason r) const { return reason() == r; }
  // The reason a kStartKeyInvalidBecause wraps; kNone otherwise.
  ErrorReason cause() const { return state_ ? state_->cause : ErrorReason::kNone; }
  // The reason's arguments (empty for kNone); arg(i) is "" past the end.
  const std::vector<std::string>& args() const {
    static const std::vector<std::string> kNoArgs;
    return state_ ? state_->args : kNoArgs;
  }
  const std::string& arg(size_t i) const {
    static const std::string kEmpty;
    return i < args().size() ? args()[i] : kEmpty;
  }
  // kNone: the error's text. Reasoned: a rendering for logs and test output
  // ("ReasonName(arg, arg)"); src/api makes DynamoDB's text from the reason.
  const std::string& message() const {
    static const std::string kEmpty;
    return state_ ? state_->msg : kEmpty;
  }
  std::string toString() const;

 private:
  struct State {
    StatusCode code;
    ErrorReason reason;
    ErrorReason cause;
    std::string msg;
    std::vector<std::string> args;
  };
  std::unique_ptr<State> state_;
};

// Result<T>: either a value or a non-OK Status.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}  // NOLINT: implicit by design
  Result(Status s) : v_(std::move(s)) { assert(!std::get<Status>(v_).ok()); }  // NOLINT
  bool ok() const { return v_.index() == 0; }
  const Status& status() const {
    static const Status kOk;
    return ok() ? kOk : std::get<1>(v_);
  }
  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

 private:
  std::variant<T, Status> v_;
};

const char* statusCodeName(StatusCode c);

}  // namespace fdyno

// Propagate a non-OK Status from an expression returning Status.
#define FDYNO_RETURN_IF_ERROR(expr)            \
  do {                                         \
    ::fdyno::Status _st = (expr);              \
    if (!_st.ok()) return _st;                 \
  } while (0)

#define FDYNO_CONCAT_INNER(a, b) a##b
#define FDYNO_CONCAT(a, b) FDYNO_CONCAT_INNER(a, b)
// Assign the value of a Result<T> expression to `lhs`, or return its Status.
#define FDYNO_ASSIGN_OR_RETURN(lhs, expr)                           \
  auto FDYNO_CONCAT(_res_, __LINE__) = (expr);                      \
  if (!FDYNO_CONCAT(_res_, __LINE__).ok())                          \
    return FDYNO_CONCAT(_res_, __LINE__).status();                  \
  lhs = std::move(FDYNO_CONCAT(_res_, __LINE__)).value()
