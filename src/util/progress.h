// A one-line progress bar on stderr: done/total, the current item (e.g. "file.py: Foo.bar"), rate
// and ETA. It draws only when stderr is a terminal (and -q is off), so pipes, logs and CI see nothing.
//
//   Progress bar("comment", jobs);  bar.Advance("sample.py: main", tokens_out);  bar.Finish();
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace scale {

class Progress {
 public:
  // enabled = draw at all; by default only when stderr is a terminal and the log level is not quiet.
  Progress(std::string label, uint64_t total, bool enabled = DefaultEnabled());
  ~Progress();  // Finish()
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;

  static bool DefaultEnabled();

  void SetTotal(uint64_t total);
  // Names the item being worked on now (redraws; done does not change).
  void Start(const std::string& item);
  // One more unit done; `tokens` generated tokens are added to the token rate.
  void Advance(const std::string& item, uint64_t tokens = 0);
  // Clears the bar line so that ordinary output can follow. Idempotent.
  void Finish();

  // The text of the bar at `elapsed_s` seconds, cut to `width` columns (no escape codes). Pure: for
  // tests and for Draw.
  std::string Render(double elapsed_s, int width) const;

  uint64_t done() const { return done_; }
  uint64_t total() const { return total_; }

 private:
  void Draw(bool force);

  std::string label_;
  uint64_t total_ = 0;
  uint64_t done_ = 0;
  uint64_t tokens_ = 0;
  std::string item_;
  bool enabled_ = false;
  bool drawn_ = false;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_draw_;
};

// "1:05", "12:00:07": seconds as [h:]m:ss for ETAs and durations.
std::string FormatDuration(double seconds);

}  // namespace scale
