// Status -> DynamoDB error. Contract in api/errors.h.
#include "api/errors.h"

#include <chrono>

#include "common/log.h"
#include "model/item_size.h"

namespace fdyno::api {

namespace {

constexpr std::string_view kInvalidParameters = "One or more parameter values were invalid: ";
constexpr std::string_view kStartKeyInvalid = "The provided starting key is invalid";
constexpr std::string_view kKeyMismatch = "The provided key element does not match the schema";

std::string cat(std::initializer_list<std::string_view> parts) {
  size_t n = 0;
  for (auto p : parts) n += p.size();
  std::string s;
  s.reserve(n);
  for (auto p : parts) s.append(p);
  return s;
}

// The wording of one reason. `a` are its arguments (common/status.h lists
// them beside each reason).
std::string reasonText(ErrorReason r, const Status& s) {
  auto a = [&s](size_t i) -> std::string_view { return s.arg(i); };
  switch (r) {
    case ErrorReason::kNone: return s.message();
    // ---- not found, already exists
    case ErrorReason::kTableNotFound: return cat({"Requested resource not found: Table: ", a(0), " not found"});
    case ErrorReason::kItemTableNotFound: return "Requested resource not found";
    case ErrorReason::kIndexNotFound: return cat({"Requested resource not found: Index: ", a(0), " not found"});
    case ErrorReason::kStreamNotFound: return "Requested resource not found: Stream not found";
    case ErrorReason::kBackupNotFound: return cat({"Backup not found: ", a(0)});
    case ErrorReason::kTableAlreadyExists: return cat({"Table already exists: ", a(0)});
    // ---- item writes and keys
    case ErrorReason::kConditionFailed: return std::string(kConditionalCheckFailed);
    case ErrorReason::kItemCollectionTooLarge: return std::string(kCollectionSizeExceeded);
    case ErrorReason::kNestingTooDeep: return std::string(model::kNestingTooDeep);
    case ErrorReason::kItemTooLarge: return std::string(kItemTooLargeMessage);
    case ErrorReason::kDuplicateItem: return std::string(kDuplicateItem);
    case ErrorReason::kMultipleOperationsOnOneItem:
      return "Transaction request cannot include multiple operations on one item";
    case ErrorReason::kKeyMismatch: return std::string(kKeyMismatch);
    case ErrorReason::kMissingKeyInItem: return cat({kInvalidParameters, "Missing the key ", a(0), " in the item"});
    case ErrorReason::kKeyTypeMismatch:
      return cat({kInvalidParameters, "Type mismatch for key ", a(0), " expected: ", a(1), " actual: ", a(2)});
    case ErrorReason::kEmptyKeyValue:
      return cat({"One or more parameter values are not valid. The AttributeValue for a key attribute cannot "
                  "contain an ",
                  a(1) == "B" ? "empty binary value" : "empty string value", ". Key: ", a(0)});
    case ErrorReason::kPartitionKeyTooLarge:
      return cat({kInvalidParameters, "Size of hashkey has exceeded the maximum size limit of2048 bytes"});
    case ErrorReason::kSortKeyTooLarge:
      return cat({kInvalidParameters, "Aggregated size of all range keys has exceeded the size limit of 1024 bytes"});
    case ErrorReason::kIndexKeyTypeMismatch:
      // A NULL value reports "Actual: NULL".
      return cat({kInvalidParameters, "Type mismatch for Index Key ", a(0), " Expected: ", a(1), " Actual: ", a(2),
                  " IndexName: ", a(3)});
    case ErrorReason::kIndexKeyEmpty:
      // TODO(verify): the binary variant's wording is inferred from the string one.
      return cat({"One or more parameter values are not valid. A value specified for a secondary index key is not "
                  "supported. The AttributeValue for a key attribute cannot contain an empty ",
                  a(1) == "B" ? "binary" : "string", " value. IndexName: ", a(2), ", IndexKey: ", a(0)});
    // ---- start keys
    case ErrorReason::kStartKeyInvalid: return std::string(kStartKeyInvalid);
    case ErrorReason::kStartKeyInvalidBecause: return cat({kStartKeyInvalid, ": ", reasonText(s.cause(), s)});
    case ErrorReason::kStartKeyNotInQuery:
      // Java-style, as DynamoDB prints it (Alternator
      // test_query_no_sort_key_exclusive_start_key).
      return cat({"The provided exclusive start key is invalid: ExclusiveStartKey: {", a(0), "=AttributeValue: {", a(1),
                  ":", a(2), "}}"});
    case ErrorReason::kStartKeyOutsideQuery:
      return "The provided starting key is outside query boundaries based on provided conditions";
    case ErrorReason::kStartKeyRangeMismatch: return "The provided starting key does not match the range key predicate";
    case ErrorReason::kStartKeyOneRow: return "The query can return at most one row and cannot be restarted";
    case ErrorReason::kStartKeyWrongSegment:
      return cat({"Invalid ExclusiveStartKey. Please use ExclusiveStartKey with correct Segment. TotalSegments: ", a(0),
                  " Segment: ", a(1)});
    // ---- tables, indexes, streams, TTL, tags
    case ErrorReason::kOneIndexChangeAtATime:
      return "Subscriber limit exceeded: Only 1 online index can be created or deleted simultaneously per table";
    case ErrorReason::kIndexAlreadyExists: return "Attempting to create an index which already exists";
    case ErrorReason::kAttributeRedefined:
      return cat({kInvalidParameters,
                  "Attributes cannot be redefined. Please check that your attribute has the same type as previously "
                  "defined. Attribute: ",
                  a(0)});
    case ErrorReason::kTooManyGlobalIndexes:
      return cat({kInvalidParameters, "Number of GlobalSecondaryIndexes exceeds per-table limit of ", a(0)});
    case ErrorReason::kTooManyIndexesCreated: return "Too many indexes created on this table";
    case ErrorReason::kDeletionProtected:
      return "Resource cannot be deleted as it is currently protected against deletion. Disable deletion protection "
             "first.";
    case ErrorReason::kThroughputWithPayPerRequest:
      return cat({kInvalidParameters,
                  "Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is "
                  "PAY_PER_REQUEST"});
    case ErrorReason::kThroughputUnchanged:
      return cat({"The provisioned throughput for the table will not change. The requested value equals the current "
                  "value. Current ReadCapacityUnits provisioned for the table: ",
                  a(0), ". Requested ReadCapacityUnits: ", a(1),
                  ". Current WriteCapacityUnits provisioned for the table: ", a(2),
                  ". Requested WriteCapacityUnits: ", a(3),
                  ". Refer to the Amazon DynamoDB Developer Guide for current limits and how to request higher "
                  "limits."});
    case ErrorReason::kThroughputRequired:
      return cat({kInvalidParameters, "ProvisionedThroughput must be specified when BillingMode is PROVISIONED"});
    case ErrorReason::kIndexThroughputRequired:
      return cat({kInvalidParameters, "ProvisionedThroughput must be specified for index: ", a(0)});
    case ErrorReason::kStreamAlreadyEnabled: return cat({"Table already has an enabled stream: TableName: ", a(0)});
    case ErrorReason::kNoStreamToDisable: return cat({"Table has no stream to disable: TableName: ", a(0)});
    case ErrorReason::kTtlOnOtherAttribute:
      return cat({"TimeToLive is active on a different AttributeName: current AttributeName is ", a(0)});
    case ErrorReason::kTtlAlreadyEnabled: return "TimeToLive is already enabled";
    case ErrorReason::kTtlAlreadyDisabled: return "TimeToLive is already disabled";
    case ErrorReason::kTagLimitExceeded: return "Number of Tags exceed the current limit for the provided ResourceArn";
    // ---- expressions: the text is the update engine's own
    case ErrorReason::kIncorrectOperandType: return s.message();
    case ErrorReason::kTransactionOutcome: break;  // never leaves the engine
  }
  return "Internal server error";
}

[[noreturn]] void throwInternal(const Status& s) {
  switch (s.code()) {
    // Storage failures: the client learns what kind, never the store's own
    // words (file names, paths); the store has logged those.
    case StatusCode::kNoSpace: throw ApiError::internal(std::string(kStorageFullMessage));
    case StatusCode::kCorruption: throw ApiError::internal(std::string(kUndecodableItemMessage));
    default: {
      // I/O errors, a closing store, bugs: the details go to the log (at
      // most a line a second: a failing disk fails every request).
      static log::RateLimit limit(std::chrono::seconds(1));
      log::error(limit, "api: internal error: " + s.toString());
      throw ApiError::internal("Internal server error");
    }
  }
}

}  // namespace

std::string errorText(const Status& s) { return reasonText(s.reason(), s); }

[[noreturn]] void throwStatus(const Status& s) {
  switch (s.code()) {
    case StatusCode::kInvalidArgument:
      if (s.is(ErrorReason::kConditionFailed)) {
        throw ApiError::dynamo("ConditionalCheckFailedException", std::string(kConditionalCheckFailed));
      }
      if (s.is(ErrorReason::kItemCollectionTooLarge)) {
        throw ApiError::dynamo("ItemCollectionSizeLimitExceededException", std::string(kCollectionSizeExceeded));
      }
      if (s.is(ErrorReason::kDuplicateItem)) throw ApiError::dynamo("DuplicateItemException", std::string(kDuplicateItem));
      if (s.is(ErrorReason::kTransactionOutcome)) throwInternal(s);
      throw ApiError::validation(errorText(s));
    case StatusCode::kSerialization: throw ApiError::serialization(errorText(s));
    case StatusCode::kNotFound: throw ApiError::resourceNotFound(errorText(s));
    case StatusCode::kAlreadyExists: throw ApiError::resourceInUse(errorText(s));
    default: throwInternal(s);
  }
}

[[noreturn]] void throwBackupStatus(const Status& s, std::string_view not_found_type) {
  if (s.is(ErrorReason::kTableNotFound)) throw ApiError::dynamo(not_found_type, cat({"Table not found: ", s.arg(0)}));
  if (s.is(ErrorReason::kBackupNotFound)) throw ApiError::dynamo(not_found_type, errorText(s));
  if (s.code() == StatusCode::kAlreadyExists) throw ApiError::dynamo("TableAlreadyExistsException", errorText(s));
  throwStatus(s);
}

[[noreturn]] void throwTagStatus(const Status& s, std::string_view arn) {
  if (s.isNotFound()) {
    throw ApiError::resourceNotFound(cat({"Requested resource not found: ResourceArn: ", arn, " not found"}));
  }
  throwStatus(s);
}

bool cancellationReason(const Status& s, std::string_view* code, std::string* message) {
  if (s.is(ErrorReason::kConditionFailed)) {
    *code = "ConditionalCheckFailed";
  } else if (s.is(ErrorReason::kItemCollectionTooLarge)) {
    *code = "ItemCollectionSizeLimitExceeded";
  } else if (s.is(ErrorReason::kDuplicateItem)) {
    *code = "DuplicateItem";
  } else if (s.isConflict()) {
    *code = "TransactionConflict";
    *message = std::string(kTransactionConflict);
    return true;
  } else if (s.code() == StatusCode::kInvalidArgument && !s.is(ErrorReason::kTransactionOutcome)) {
    *code = "ValidationError";
  } else {
    return false;
  }
  *message = errorText(s);
  return true;
}

}  // namespace fdyno::api
