#include "remote/routing.h"

#include <xxhash.h>

#include <algorithm>
#include <cmath>
#include <numeric>

namespace scale::remote {

std::vector<size_t> RankEndpoints(std::string_view key, const std::vector<double>& weights) {
  std::vector<double> score(weights.size());
  for (size_t i = 0; i < weights.size(); ++i) {
    const uint64_t h = XXH64(key.data(), key.size(), 0x9E3779B97F4A7C15ull * (i + 1));
    // u uniform in (0, 1); -w / ln(u) makes P(endpoint i wins) = w_i / sum(w).
    const double u = (static_cast<double>(h >> 11) + 0.5) / 9007199254740992.0;
    score[i] = -weights[i] / std::log(u);
  }
  std::vector<size_t> order(weights.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return score[a] > score[b]; });
  return order;
}

}  // namespace scale::remote
