// What a scale::Error thrown by `fn` carries: its exit code (0 when nothing is thrown, -1 for any
// other exception, which would reach the user as "internal error"), and its message if asked.
#pragma once

#include <functional>
#include <string>

namespace scale::testing {

int ExitCodeOf(const std::function<void()>& fn, std::string* message = nullptr);

}  // namespace scale::testing
