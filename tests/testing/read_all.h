// A whole file's bytes, for comparing what a test's subject wrote. Never throws: a file that
// cannot be opened reads as "" (so a missing output fails the comparison, not the test harness).
#pragma once

#include <filesystem>
#include <string>

namespace scale::testing {

std::string ReadAll(const std::filesystem::path& path);

}  // namespace scale::testing
