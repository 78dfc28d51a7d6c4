// errors: the one place where a Status from the layers below becomes
// DynamoDB's error (type, HTTP status, message text).
//
// The engine, kv and expression layers report errors as Status with a code
// and, where a caller must tell conditions apart, a typed ErrorReason
// (common/status.h) and its arguments. This file holds DynamoDB's wording for
// every reason, so no layer below src/api spells a DynamoDB message, and no
// code anywhere compares message strings. A Status without a reason carries
// its own text (the parsers' errors), which is used as it is.
//
// Some reasons are worded differently depending on the operation family
// (a missing table is "Requested resource not found" for item operations,
// "...: Table: NAME not found" for table operations, TableNotFoundException
// "Table not found: NAME" for backups); the family-specific throw functions
// below say so.
//
// Thread safety: pure functions. Errors: the throw functions always throw
// ApiError.
#pragma once

#include <string>
#include <string_view>

#include "api/api_error.h"
#include "common/status.h"

namespace fdyno::api {

// DynamoDB's message for `s`: the reason's wording with its arguments, or
// message() for a Status without a reason.
std::string errorText(const Status& s);

// Throws the ApiError a Status stands for:
//   kInvalidArgument -> ValidationException (kConditionFailed ->
//     ConditionalCheckFailedException, kItemCollectionTooLarge ->
//     ItemCollectionSizeLimitExceededException, kDuplicateItem ->
//     DuplicateItemException), kSerialization ->
//   SerializationException, kNotFound -> ResourceNotFoundException,
//   kAlreadyExists -> ResourceInUseException, anything else -> 500
//   InternalServerError: kNoSpace and kCorruption with the texts below, others
//   with "Internal server error" (their own message, which may name files of
//   the store, goes to the server's log instead).
[[noreturn]] void throwStatus(const Status& s);

// Backups: kNotFound becomes `not_found_type` (TableNotFoundException or
// BackupNotFoundException) with "Table not found: NAME" / "Backup not found:
// ARN"; kAlreadyExists TableAlreadyExistsException.
[[noreturn]] void throwBackupStatus(const Status& s, std::string_view not_found_type);
// Tags: kNotFound is "Requested resource not found: ResourceArn: ARN not found".
[[noreturn]] void throwTagStatus(const Status& s, std::string_view arn);

// One entry of TransactionCanceledException's CancellationReasons for a
// failed action's Status: Code ("ConditionalCheckFailed",
// "ItemCollectionSizeLimitExceeded", "ValidationError", "TransactionConflict")
// and Message (PartiQL's ExecuteTransaction also "DuplicateItem"). Returns false (and leaves `code`/`message` alone) for an error
// that is not a cancellation reason: the caller throws it with throwStatus.
bool cancellationReason(const Status& s, std::string_view* code, std::string* message);

// DynamoDB's texts that several handlers use.
inline constexpr std::string_view kConditionalCheckFailed = "The conditional request failed";
inline constexpr std::string_view kCollectionSizeExceeded = "Collection size exceeded.";
inline constexpr std::string_view kTransactionConflict = "Transaction is ongoing for the item";
inline constexpr std::string_view kItemTooLargeMessage = "Item size has exceeded the maximum allowed size";
inline constexpr std::string_view kDuplicateItem = "Duplicate primary key exists in table";

// InternalServerError texts for storage failures (fdyno's own: DynamoDB has
// no such conditions to report).
inline constexpr std::string_view kStorageFullMessage =
    "Internal server error: the server's storage is out of space, so the write was not applied. "
    "Writes succeed again once space is freed on the server.";
inline constexpr std::string_view kUndecodableItemMessage =
    "Internal server error: a stored item could not be decoded (reported in the server's log and metrics)";

}  // namespace fdyno::api
