#include "eval/rouge.h"

#include <algorithm>
#include <map>

#include "eval/bleu.h"
#include "eval/text.h"

namespace scale::eval {
namespace {

RougeScore FromCounts(double overlap, double predicted, double reference) {
  RougeScore s;
  if (predicted <= 0 || reference <= 0) return s;
  s.precision = overlap / predicted;
  s.recall = overlap / reference;
  if (s.precision + s.recall > 0) s.f1 = 2 * s.precision * s.recall / (s.precision + s.recall);
  return s;
}

}  // namespace

std::vector<std::string> RougeTokens(std::string_view text) {
  std::string lower = LowerUtf8(text);
  std::vector<std::string> tokens;
  std::string current;
  for (const CodePoint& c : DecodeUtf8(lower)) {
    if (IsWordChar(c.cp) && c.cp != '_') {
      current.append(lower, c.offset, c.length);
    } else if (!current.empty()) {
      tokens.push_back(std::move(current));
      current.clear();
    }
  }
  if (!current.empty()) tokens.push_back(std::move(current));
  return tokens;
}

size_t LcsLength(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  std::vector<size_t> prev(b.size() + 1, 0);
  std::vector<size_t> cur(b.size() + 1, 0);
  for (size_t i = 1; i <= a.size(); ++i) {
    for (size_t j = 1; j <= b.size(); ++j) {
      cur[j] = a[i - 1] == b[j - 1] ? prev[j - 1] + 1 : std::max(prev[j], cur[j - 1]);
    }
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

RougeScore RougeL(std::string_view reference, std::string_view prediction) {
  std::vector<std::string> ref = RougeTokens(reference);
  std::vector<std::string> pred = RougeTokens(prediction);
  return FromCounts(static_cast<double>(LcsLength(ref, pred)), static_cast<double>(pred.size()),
                    static_cast<double>(ref.size()));
}

RougeScore Rouge2(std::string_view reference, std::string_view prediction) {
  auto bigrams = [](const std::vector<std::string>& t) {
    std::map<std::pair<std::string, std::string>, int> counts;
    for (size_t i = 0; i + 1 < t.size(); ++i) ++counts[{t[i], t[i + 1]}];
    return counts;
  };
  std::vector<std::string> ref = RougeTokens(reference);
  std::vector<std::string> pred = RougeTokens(prediction);
  auto ref_counts = bigrams(ref);
  int overlap = 0;
  for (const auto& [gram, count] : bigrams(pred)) {
    auto it = ref_counts.find(gram);
    if (it != ref_counts.end()) overlap += std::min(count, it->second);
  }
  double pred_bigrams = pred.size() > 1 ? static_cast<double>(pred.size() - 1) : 0;
  double ref_bigrams = ref.size() > 1 ? static_cast<double>(ref.size() - 1) : 0;
  return FromCounts(overlap, pred_bigrams, ref_bigrams);
}

}  // namespace scale::eval
