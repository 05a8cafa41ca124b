#include "engine/prefix_choice.h"

#include <algorithm>
#include <utility>

namespace scale::engine {

size_t CommonPrefix(const Tokens& a, const Tokens& b) {
  size_t n = std::min(a.size(), b.size()), i = 0;
  while (i < n && a[i] == b[i]) ++i;
  return i;
}

std::vector<Tokens> PrefixesWorthSaving(const std::vector<const Tokens*>& held,
                                        const std::map<Tokens, int64_t>& shared, size_t min_share,
                                        size_t max_count) {
  // Only what a sequence still holds can be written, and the prefixes shared most are often long
  // gone (an earlier file's summary). So the candidates are the parts of the live sequences that
  // this run's shared prefixes start with, each worth its length times the requests that used a
  // prefix starting with it: the system prompt + language template (used by every request of
  // the language) beats one file's prefix, which only a rerun of that file would meet again.
  // A shared prefix starts with a sequence's first `len` tokens exactly when the two have at least
  // `len` tokens in common, so one pass over the shared prefixes prices every cut of a sequence.
  std::vector<std::pair<int64_t, Tokens>> ranked;  // (worth, tokens)
  for (const Tokens* seq : held) {
    std::map<size_t, int64_t> uses_at;  // common length -> requests
    for (const auto& [tokens, uses] : shared) {
      size_t len = CommonPrefix(*seq, tokens);
      if (len >= min_share) uses_at[len] += uses;
    }
    int64_t users = 0;
    for (auto it = uses_at.rbegin(); it != uses_at.rend(); ++it) {
      users += it->second;
      Tokens cut(seq->begin(), seq->begin() + static_cast<std::ptrdiff_t>(it->first));
      auto same = std::find_if(ranked.begin(), ranked.end(), [&](const auto& r) { return r.second == cut; });
      if (same == ranked.end()) ranked.emplace_back(static_cast<int64_t>(it->first) * users, std::move(cut));
    }
  }
  std::stable_sort(ranked.begin(), ranked.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
  ranked.resize(std::min(ranked.size(), max_count));
  std::stable_sort(ranked.begin(), ranked.end(),
                   [](const auto& a, const auto& b) { return a.second.size() > b.second.size(); });
  std::vector<Tokens> out;
  for (auto& r : ranked) out.push_back(std::move(r.second));
  return out;
}

}  // namespace scale::engine
