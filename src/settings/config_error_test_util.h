// Tests only: the message of the usage error (exit 2) that loading a project config must raise;
// a failure is recorded when it raises none or another kind.
#pragma once

#include <gtest/gtest.h>

#include <string>

#include "settings/toml_layer.h"
#include "util/error.h"

namespace scale::settings {

inline std::string ConfigUsageError(const std::string& file) {
  try {
    LoadProjectConfig(file);
  } catch (const Error& e) {
    EXPECT_EQ(e.exit_code(), kExitUsage) << e.what();
    return e.what();
  }
  ADD_FAILURE() << "no error for " << file;
  return "";
}

}  // namespace scale::settings
