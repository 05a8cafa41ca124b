#include "train/row_order.h"

#include <sstream>
#include <utility>

#include "util/error.h"

namespace scale::train {

RowOrder::RowOrder(size_t n, uint64_t seed) : rng_(seed), order_(n) { Reshuffle(); }

size_t RowOrder::Next() {
  if (at_ == order_.size()) Reshuffle();
  return order_[at_++];
}

// Fisher-Yates over mt19937_64's raw output: std::shuffle's result differs between standard libraries.
void RowOrder::Reshuffle() {
  for (size_t i = 0; i < order_.size(); ++i) order_[i] = i;
  for (size_t i = order_.size(); i > 1; --i) std::swap(order_[i - 1], order_[rng_() % i]);
  at_ = 0;
  ++epoch_;
}

std::string RngState(const std::mt19937_64& rng) {
  std::ostringstream out;
  out << rng;
  return out.str();
}

bool RestoreRng(const std::string& state, std::mt19937_64* rng) {
  std::istringstream in(state);
  std::mt19937_64 read;
  in >> read;
  if (in.fail()) return false;
  *rng = read;
  return true;
}

RowOrder::State RowOrder::state() const {
  State s;
  s.epoch = epoch_;
  s.next = at_;
  s.order = order_;
  s.rng = RngState(rng_);
  return s;
}

void RowOrder::Restore(const State& s) {
  const std::string bad = "the saved data position is not one of this data set's (" +
                          std::to_string(order_.size()) + " training rows)";
  if (s.order.size() != order_.size() || s.next > s.order.size() || s.epoch < 0) throw Error(kExitInput, bad);
  std::vector<bool> seen(order_.size(), false);
  for (size_t i : s.order) {
    if (i >= seen.size() || seen[i]) throw Error(kExitInput, bad);
    seen[i] = true;
  }
  if (!RestoreRng(s.rng, &rng_)) throw Error(kExitInput, bad);
  order_ = s.order;
  at_ = s.next;
  epoch_ = s.epoch;
}

}  // namespace scale::train
