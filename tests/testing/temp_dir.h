// A fresh directory under SCALE_TEST_TMP that is removed (recursively) when the object dies.
// Unique per process and instance, so parallel ctest processes never share one.
#pragma once

#include <filesystem>
#include <string>

namespace scale::testing {

class TempDir {
 public:
  explicit TempDir(const std::string& prefix = "t");
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  // path() / relative, as a string.
  std::string file(const std::string& relative) const;
  // Writes `content` to path()/relative (creating parent dirs) and returns its full path.
  std::string Write(const std::string& relative, const std::string& content) const;

 private:
  std::filesystem::path path_;
};

}  // namespace scale::testing
