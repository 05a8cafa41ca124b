#include "testing/exit_code.h"

#include <exception>

#include "util/error.h"

namespace scale::testing {

int ExitCodeOf(const std::function<void()>& fn, std::string* message) {
  try {
    fn();
  } catch (const Error& e) {
    if (message) *message = e.what();
    return e.exit_code();
  } catch (const std::exception& e) {
    if (message) *message = e.what();
    return -1;
  }
  return 0;
}

}  // namespace scale::testing
