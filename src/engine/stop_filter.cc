#include "engine/stop_filter.h"

#include <algorithm>

namespace scale::engine {

size_t IncompleteUtf8Tail(std::string_view text) {
  // Walk back over continuation bytes to the lead byte, then compare the length the lead byte
  // announces with what is there.
  size_t n = text.size();
  for (size_t back = 1; back <= std::min<size_t>(4, n); ++back) {
    unsigned char c = static_cast<unsigned char>(text[n - back]);
    if ((c & 0xC0) == 0x80) continue;  // continuation byte
    size_t need = (c & 0x80) == 0 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 1;
    return need > back ? back : 0;
  }
  return 0;
}

StopFilter::StopFilter(std::vector<std::string> stops) {
  for (auto& s : stops) {
    if (!s.empty()) stops_.push_back(std::move(s));
  }
}

size_t StopFilter::HoldBack() const {
  size_t hold = 0;
  for (const std::string& stop : stops_) {
    // Longest proper prefix of `stop` that ends pending_.
    size_t max_len = std::min(stop.size() - 1, pending_.size());
    for (size_t len = max_len; len > hold; --len) {
      if (pending_.compare(pending_.size() - len, len, stop, 0, len) == 0) {
        hold = len;
        break;
      }
    }
  }
  return std::max(hold, IncompleteUtf8Tail(pending_));
}

std::string StopFilter::Feed(std::string_view piece) {
  if (stopped_) return "";
  pending_.append(piece);
  // Everything not yet shown is in pending_, so a stop string spread over pieces is found here.
  size_t first = std::string::npos;
  for (const std::string& stop : stops_) first = std::min(first, pending_.find(stop));
  if (first != std::string::npos) {
    stopped_ = true;
    std::string out = pending_.substr(0, first);
    pending_.clear();
    out.resize(out.size() - IncompleteUtf8Tail(out));
    return out;
  }
  size_t keep = HoldBack();
  std::string out = pending_.substr(0, pending_.size() - keep);
  pending_.erase(0, pending_.size() - keep);
  return out;
}

std::string StopFilter::Finish() {
  if (stopped_) return "";
  std::string out;
  out.swap(pending_);
  out.resize(out.size() - IncompleteUtf8Tail(out));
  return out;
}

}  // namespace scale::engine
