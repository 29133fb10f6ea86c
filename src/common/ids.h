// Record identifiers: one integer key per row, assigned by the store.
#pragma once

#include <cstdint>

namespace accompany {
using Id = std::int64_t;
}  // namespace accompany
