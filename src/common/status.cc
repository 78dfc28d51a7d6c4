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

std::string Status::toString() const {
  if (ok()) return "OK";
  std::string s = statusCodeName(code());
  s += ": ";
  s += message();
  return s;
}

}  // namespace fdyno
