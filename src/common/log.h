// Minimal leveled logging to stderr. Thread-safe (one write(2) per line).
// Kept tiny on purpose: start-up time and idle memory are product features.
#pragma once

#include <string_view>

namespace fdyno::log {

enum class Level { kDebug = 0, kInfo = 1, kWarn = 2, kError = 3, kOff = 4 };

void setLevel(Level l);
Level level();
// Parses "debug", "info", "warn", "error", "off"; false if unknown.
bool parseLevel(std::string_view s, Level* out);
void write(Level l, std::string_view msg);

inline void debug(std::string_view m) { if (level() <= Level::kDebug) write(Level::kDebug, m); }
inline void info(std::string_view m) { if (level() <= Level::kInfo) write(Level::kInfo, m); }
inline void warn(std::string_view m) { if (level() <= Level::kWarn) write(Level::kWarn, m); }
inline void error(std::string_view m) { if (level() <= Level::kError) write(Level::kError, m); }

}  // namespace fdyno::log
