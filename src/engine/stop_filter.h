// Turns a stream of token pieces into text that is safe to show: stops exactly before the first
// stop string, never lets part of a stop string out, never splits a UTF-8 character.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace scale::engine {

class StopFilter {
 public:
  explicit StopFilter(std::vector<std::string> stops);

  // Adds a piece; returns the text that can now be shown (maybe empty). After a stop string is
  // seen, returns the text before it and stopped() becomes true; later pieces are ignored.
  std::string Feed(std::string_view piece);
  // End of generation: returns the held-back text, minus an incomplete trailing UTF-8 sequence
  // (a character cut off by max_tokens can never be completed). "" after a stop.
  std::string Finish();
  bool stopped() const { return stopped_; }

 private:
  size_t HoldBack() const;  // bytes at the end of pending_ that must wait for more text
  std::vector<std::string> stops_;
  std::string pending_;
  bool stopped_ = false;
};

// Bytes at the end of `text` that start a UTF-8 character not yet complete (0..3).
size_t IncompleteUtf8Tail(std::string_view text);

}  // namespace scale::engine
