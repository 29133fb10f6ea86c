// The one logger (spdlog): human-readable lines on a terminal, JSON lines when asked
// (--log-format json), so logs can be shipped to a collector.
#pragma once

#include <string_view>

namespace accompany {

enum class LogFormat { automatic, human, json };

// Configures the default spdlog logger to write to stderr. `automatic` picks human on a TTY
// and JSON otherwise. `level` is spdlog's name: trace, debug, info, warn, error.
void configure_logging(LogFormat format, std::string_view level);

}  // namespace accompany
