// A one-line download progress bar on stderr ("file  45% 180.0/398.0 MB  12.3 MB/s"), drawn only
// when stderr is a terminal and logging is not -q; otherwise it stays silent (piped output, CI).
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace scale::models {

class DownloadProgress {
 public:
  // total_bytes <= 0: unknown (no percentage). `start_bytes` already on disk (resume).
  DownloadProgress(std::string label, int64_t total_bytes, uint64_t start_bytes);
  ~DownloadProgress();
  void Update(uint64_t bytes_done);  // redraws at most ~10 times a second
  void Finish();                     // clears the line


 private:
  void Draw(bool force);
  std::string label_;
  int64_t total_;
  uint64_t start_bytes_;
  uint64_t done_ = 0;
  bool enabled_;
  bool drawn_ = false;
  std::chrono::steady_clock::time_point started_, last_draw_;
};

}  // namespace scale::models
