#include "common/status.h"

namespace fdyno {

const char* statusCodeName(StatusCode c) {
  switch (c) {
    case StatusCode::kOk: return "OK";
    case StatusCode::kNotFound: return "NotFound";
    case StatusCode::kConflict: return "Conflict";
    case StatusCode::kInvalidArgument: return "InvalidArgument";
    case StatusCode::kIOError: return "IOError";
    case StatusCode::kCorruption: return "Corruption";
    case StatusCode::kBusy: return "Busy";
    case StatusCode::kInternal: return "Internal";
    case StatusCode::kSerialization: return "Serialization";
    case StatusCode::kAlreadyExists: return "AlreadyExists";
    case StatusCode::kNoSpace: return "NoSpace";
  }
  return "Unknown";
}

const char* errorReasonName(ErrorReason r) {
  switch (r) {
#define FDYNO_REASON(x) \
  case ErrorReason::k##x: return #x;
    FDYNO_REASON(None)
    FDYNO_REASON(TableNotFound)
    FDYNO_REASON(ItemTableNotFound)
    FDYNO_REASON(IndexNotFound)
    FDYNO_REASON(StreamNotFound)
    FDYNO_REASON(BackupNotFound)
    FDYNO_REASON(TableAlreadyExists)
    FDYNO_REASON(ConditionFailed)
    FDYNO_REASON(ItemCollectionTooLarge)
    FDYNO_REASON(NestingTooDeep)
    FDYNO_REASON(ItemTooLarge)
    FDYNO_REASON(MultipleOperationsOnOneItem)
    FDYNO_REASON(DuplicateItem)
    FDYNO_REASON(KeyMismatch)
    FDYNO_REASON(MissingKeyInItem)
    FDYNO_REASON(KeyTypeMismatch)
    FDYNO_REASON(EmptyKeyValue)
    FDYNO_REASON(PartitionKeyTooLarge)
    FDYNO_REASON(SortKeyTooLarge)
    FDYNO_REASON(IndexKeyTypeMismatch)
    FDYNO_REASON(IndexKeyEmpty)
    FDYNO_REASON(StartKeyInvalid)
    FDYNO_REASON(StartKeyInvalidBecause)
    FDYNO_REASON(StartKeyNotInQuery)
    FDYNO_REASON(StartKeyOutsideQuery)
    FDYNO_REASON(StartKeyRangeMismatch)
    FDYNO_REASON(StartKeyOneRow)
    FDYNO_REASON(StartKeyWrongSegment)
    FDYNO_REASON(OneIndexChangeAtATime)
    FDYNO_REASON(IndexAlreadyExists)
    FDYNO_REASON(AttributeRedefined)
    FDYNO_REASON(TooManyGlobalIndexes)
    FDYNO_REASON(TooManyIndexesCreated)
    FDYNO_REASON(DeletionProtected)
    FDYNO_REASON(ThroughputWithPayPerRequest)
    FDYNO_REASON(ThroughputUnchanged)
    FDYNO_REASON(ThroughputRequired)
    FDYNO_REASON(IndexThroughputRequired)
    FDYNO_REASON(StreamAlreadyEnabled)
    FDYNO_REASON(NoStreamToDisable)
    FDYNO_REASON(TtlOnOtherAttribute)
    FDYNO_REASON(TtlAlreadyEnabled)
    FDYNO_REASON(TtlAlreadyDisabled)
    FDYNO_REASON(TagLimitExceeded)
    FDYNO_REASON(IncorrectOperandType)
    FDYNO_REASON(TransactionOutcome)
#undef FDYNO_REASON
  }
  return "Unknown";
}

namespace {

std::string render(ErrorReason r, const std::vector<std::string>& args) {
  std::string s = errorReasonName(r);
  s += '(';
  for (size_t i = 0; i < args.size(); ++i) {
    if (i) s += ", ";
    s += args[i];
  }
  s += ')';
  return s;
}

}  // namespace

Status::Status(StatusCode code, ErrorReason reason, std::vector<std::string> args) {
  assert(code != StatusCode::kOk);
  std::string msg = render(reason, args);
  state_ = std::make_unique<State>(State{code, reason, ErrorReason::kNone, std::move(msg), std::move(args)});
}

Status Status::Wrap(ErrorReason reason, const Status& inner) {
  Status s(inner.code(), reason, inner.args());
  s.state_->cause = inner.reason();
  // The inner rendering, or the inner text when it has no reason (the
  // api layer then words the wrapper around that text).
  s.state_->msg = inner.message();
  return s;
}

Status Status::withReason(ErrorReason r) && {
  if (state_) state_->reason = r;
  return std::move(*this);
}

std::string Status::toString() const {
  if (ok()) return "OK";
  std::string s = statusCodeName(code());
  s += ": ";
  s += message();
  return s;
}

}  // namespace fdyno
