// The order in which training rows are visited: each epoch a seeded shuffle of every row, with a
// state that can be saved and restored exactly (a resumed run visits the same rows in turn).
#pragma once

#include <cstddef>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

namespace scale::train {

// A generator's whole state as text (the standard's stream format) and back; false for text that
// is not one. Checkpoints keep the dropout generator and the data order's this way.
std::string RngState(const std::mt19937_64& rng);
bool RestoreRng(const std::string& state, std::mt19937_64* rng);

class RowOrder {
 public:
  // Where a run is in its data: the current epoch's order, the next index in it, and the
  // generator that draws the next epoch's order (textual state of std::mt19937_64).
  struct State {
    int64_t epoch = 0;  // 0-based: the epoch the order belongs to
    size_t next = 0;    // index into order of the next row
    std::vector<size_t> order;
    std::string rng;
  };

  RowOrder(size_t n, uint64_t seed);
  size_t Next();  // the next row's index; reshuffles when an epoch is done
  State state() const;
  // Throws Error(kExitInput) when the state is not one of an order over this many rows.
  void Restore(const State& state);

 private:
  void Reshuffle();
  std::mt19937_64 rng_;
  std::vector<size_t> order_;
  size_t at_ = 0;
  int64_t epoch_ = -1;
};

}  // namespace scale::train
