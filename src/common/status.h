// Status and Result<T>: the error currency of the kv and engine layers.
//
// Contract:
// - An OK Status holds no allocation; copying or returning it is cheap.
// - Both types are [[nodiscard]]: ignoring an error is a compile warning.
// - Thread safety: values, no shared state; safe to pass between threads.
// - Codes are never written to disk; they may be renumbered freely.
#pragma once

#include <cassert>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace fdyno {

enum class StatusCode {
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

class [[nodiscard]] Status {
 public:
  Status() noexcept = default;
  Status(StatusCode code, std::string_view msg)
      : state_(code == StatusCode::kOk ? nullptr : std::make_unique<State>(State{code, std::string(msg)})) {}
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

  bool ok() const { return state_ == nullptr; }
  StatusCode code() const { return state_ ? state_->code : StatusCode::kOk; }
  bool isConflict() const { return code() == StatusCode::kConflict; }
  bool isNotFound() const { return code() == StatusCode::kNotFound; }
  const std::string& message() const {
    static const std::string kEmpty;
    return state_ ? state_->msg : kEmpty;
  }
  std::string toString() const;

 private:
  struct State {
    StatusCode code;
    std::string msg;
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
