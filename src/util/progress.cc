#include "util/progress.h"

#include <sys/ioctl.h>
#include <unistd.h>

#include <cmath>
#include <cstdio>

#include "util/log.h"

namespace scale {

Progress::Progress(std::string label, uint64_t total, bool enabled)
    : label_(std::move(label)), total_(total), enabled_(enabled), start_(std::chrono::steady_clock::now()) {}

Progress::~Progress() { Finish(); }

bool Progress::DefaultEnabled() { return StderrIsTerminal() && GetLogLevel() != LogLevel::kQuiet; }

void Progress::SetTotal(uint64_t total) {
  total_ = total;
  Draw(false);
}

void Progress::Start(const std::string& item) {
  item_ = item;
  Draw(false);
}

void Progress::Advance(const std::string& item, uint64_t tokens) {
  ++done_;
  tokens_ += tokens;
  item_ = item;
  Draw(done_ == total_);
}

void Progress::Finish() {
  if (enabled_ && drawn_) {
    std::fputs("\r\033[K", stderr);
    std::fflush(stderr);
  }
  drawn_ = false;
}

std::string FormatDuration(double seconds) {
  if (!(seconds >= 0) || std::isinf(seconds)) return "?";
  long s = std::lround(seconds);
  char buf[32];
  if (s >= 3600) std::snprintf(buf, sizeof buf, "%ld:%02ld:%02ld", s / 3600, (s / 60) % 60, s % 60);
  else std::snprintf(buf, sizeof buf, "%ld:%02ld", s / 60, s % 60);
  return buf;
}

std::string Progress::Render(double elapsed_s, int width) const {
  char counts[64];
  std::snprintf(counts, sizeof counts, "%llu/%llu", static_cast<unsigned long long>(done_),
                static_cast<unsigned long long>(total_));
  std::string rate;
  if (elapsed_s > 0 && done_ > 0) {
    char buf[96];
    std::snprintf(buf, sizeof buf, " %.2f/s", done_ / elapsed_s);
    rate = buf;
    if (tokens_ > 0) {
      std::snprintf(buf, sizeof buf, " %.1f tok/s", tokens_ / elapsed_s);
      rate += buf;
    }
    if (total_ > done_) rate += " ETA " + FormatDuration(elapsed_s / done_ * (total_ - done_));
  }
  // A 20-cell bar keeps room for the item name on an 80-column terminal.
  const int cells = 20;
  int filled = total_ ? static_cast<int>(cells * std::min<uint64_t>(done_, total_) / total_) : 0;
  std::string bar = label_ + " [" + std::string(filled, '#') + std::string(cells - filled, '.') + "] " + counts + rate;
  if (!item_.empty()) bar += "  " + item_;
  if (width > 0 && static_cast<int>(bar.size()) > width) {
    // Cut on a UTF-8 boundary so the terminal never sees half a character.
    size_t cut = static_cast<size_t>(width);
    while (cut > 0 && (static_cast<unsigned char>(bar[cut]) & 0xC0) == 0x80) --cut;
    bar.resize(cut);
  }
  return bar;
}

void Progress::Draw(bool force) {
  if (!enabled_) return;
  auto now = std::chrono::steady_clock::now();
  // Redraw at most 10 times a second: drawing is cheap but flooding a slow terminal is not.
  if (!force && drawn_ && now - last_draw_ < std::chrono::milliseconds(100)) return;
  last_draw_ = now;
  int width = 80;
  struct winsize ws;
  if (ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0) width = ws.ws_col;
  double elapsed = std::chrono::duration<double>(now - start_).count();
  std::string line = Render(elapsed, width - 1);
  std::fprintf(stderr, "\r\033[K%s", line.c_str());
  std::fflush(stderr);
  drawn_ = true;
}

}  // namespace scale
