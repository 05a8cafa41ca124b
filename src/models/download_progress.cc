#include "models/download_progress.h"

#include <cstdio>

#include "util/log.h"
#include "util/size.h"

namespace scale::models {

DownloadProgress::DownloadProgress(std::string label, int64_t total_bytes, uint64_t start_bytes)
    : label_(std::move(label)),
      total_(total_bytes),
      start_bytes_(start_bytes),
      done_(start_bytes),
      enabled_(StderrIsTerminal() && GetLogLevel() >= LogLevel::kInfo),
      started_(std::chrono::steady_clock::now()) {}

DownloadProgress::~DownloadProgress() { Finish(); }

void DownloadProgress::Update(uint64_t bytes_done) {
  done_ = bytes_done;
  Draw(false);
}

void DownloadProgress::Draw(bool force) {
  if (!enabled_) return;
  auto now = std::chrono::steady_clock::now();
  if (!force && drawn_ && now - last_draw_ < std::chrono::milliseconds(100)) return;
  last_draw_ = now;
  drawn_ = true;
  double secs = std::chrono::duration<double>(now - started_).count();
  double rate = secs > 0 ? double(done_ - std::min(done_, start_bytes_)) / secs : 0;
  std::string line = label_;
  if (total_ > 0) {
    int pct = int(100.0 * double(done_) / double(total_));
    int width = 24, filled = std::min(width, pct * width / 100);
    line += " [" + std::string(size_t(filled), '#') + std::string(size_t(width - filled), '.') + "] " +
            std::to_string(pct) + "% " + FormatBytes(done_) + "/" + FormatBytes(uint64_t(total_));
  } else {
    line += " " + FormatBytes(done_);
  }
  line += "  " + FormatBytes(uint64_t(rate)) + "/s";
  std::fprintf(stderr, "\r\033[K%s", line.c_str());
  std::fflush(stderr);
}

void DownloadProgress::Finish() {
  if (enabled_ && drawn_) {
    std::fprintf(stderr, "\r\033[K");
    std::fflush(stderr);
  }
  drawn_ = false;
  enabled_ = false;
}

}  // namespace scale::models
