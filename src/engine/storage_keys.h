// storage_keys: the key layout of fdyno's data in the kv store.
//
// docs/storage-layout.md is the system of record; this file implements it and
// tests/unit/engine/storage_keys_test.cc checks one rule per test. Summary:
//
//   01 'n' <table name>                    -> table handle: u64 id BE, u64 generation BE
//   01 'm' <table id: u64 BE>              -> encoded TableDefinition
//   01 's' "next_table_id"                 -> u64 BE, last table id handed out
//   02 <table id> 00 <pk enc> [<sk enc>]   -> stored item (see item_store.h)
//   02 <table id> 01 <index no: u16 BE> .. -> reserved: secondary index entries
//   02 <table id> 02 <versionstamp> ..     -> reserved: stream records
//   02 <table id> 03 01                    -> item count (LE i64, kv atomicAdd)
//   02 <table id> 03 02                    -> table size bytes (LE i64, kv atomicAdd)
//
// Rules the layout guarantees:
// - Everything a table owns lies in [tableBegin(id), tableEnd(id)), so
//   DeleteTable is one clearRange (plus the two catalog keys).
// - Items of a table order by (partition key, sort key) in DynamoDB's order,
//   because model/key_codec.h encodings are order-preserving and self-delimiting.
// - Table names order as ListTables returns them (byte order of the name).
// - No key starts with 0xFF (reserved by kv.h).
//
// Thread safety: pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace fdyno::engine::keys {

inline constexpr char kSystemSpace = '\x01';
inline constexpr char kTableSpace = '\x02';
inline constexpr char kTableNamePrefix = 'n';
inline constexpr char kTableMetaPrefix = 'm';
inline constexpr char kSequencePrefix = 's';

// Sub-spaces inside one table's range.
inline constexpr char kItemsSpace = '\x00';
inline constexpr char kIndexSpace = '\x01';   // reserved for secondary indexes
inline constexpr char kStreamSpace = '\x02';  // reserved for stream records
inline constexpr char kCounterSpace = '\x03';
inline constexpr char kItemCountCounter = '\x01';
inline constexpr char kSizeBytesCounter = '\x02';

std::string tableNameKey(std::string_view name);
// [tableNamesBegin(), tableNamesEnd()) holds every table name key.
std::string tableNamesBegin();
std::string tableNamesEnd();
// The table name inside a table name key.
std::string_view tableNameFromKey(std::string_view key);

std::string tableMetaKey(uint64_t table_id);
std::string nextTableIdKey();

// The value stored under tableNameKey(): 16 bytes.
std::string encodeTableHandle(uint64_t id, uint64_t generation);
bool decodeTableHandle(std::string_view v, uint64_t* id, uint64_t* generation);

std::string tableBegin(uint64_t table_id);
std::string tableEnd(uint64_t table_id);

// Appends 02 <id> 00: the prefix of every item key of the table.
void appendItemPrefix(std::string& out, uint64_t table_id);
std::string itemsBegin(uint64_t table_id);
std::string itemsEnd(uint64_t table_id);

std::string indexPrefix(uint64_t table_id, uint16_t index_no);
std::string streamPrefix(uint64_t table_id);
std::string itemCountKey(uint64_t table_id);
std::string sizeBytesKey(uint64_t table_id);

void appendU64BE(std::string& out, uint64_t v);
uint64_t readU64BE(std::string_view in);

}  // namespace fdyno::engine::keys
