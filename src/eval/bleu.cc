#include "eval/bleu.h"

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <map>

#include "eval/text.h"
#include "util/text.h"

namespace scale::eval {
namespace {

constexpr int kOrder = 4;

// Python's str.strip() + str.lower() (computeMaps applies them before SplitPuncts).
std::string StripLower(std::string_view text) {
  std::vector<CodePoint> cps = DecodeUtf8(text);
  size_t first = 0;
  size_t last = cps.size();
  while (first < last && IsSpaceChar(cps[first].cp)) ++first;
  while (last > first && IsSpaceChar(cps[last - 1].cp)) --last;
  std::string out;
  for (size_t i = first; i < last; ++i) {
    char32_t lower = LowerCodePoint(cps[i].cp);
    if (lower == cps[i].cp) {
      out.append(text.substr(cps[i].offset, cps[i].length));
    } else {
      AppendUtf8(lower, &out);
    }
  }
  return out;
}

// NIST rule 1's character class: [\{-\~\[-\` -\&\(-\+\:-\@\/] — every ASCII punctuation mark
// except apostrophe, comma, hyphen and period (those have their own rules), plus space.
bool IsNistPunct(char c) {
  return (c >= '{' && c <= '~') || (c >= '[' && c <= '`') || (c >= ' ' && c <= '&') ||
         (c >= '(' && c <= '+') || (c >= ':' && c <= '@') || c == '/';
}
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsPeriodComma(char c) { return c == '.' || c == ','; }

// re.sub for a two-character pattern ([A][B]) with the replacement's spacing: leftmost,
// non-overlapping matches, scanning on after each match, exactly like Python's re.sub. Working on
// bytes is equivalent to code points here because A and B are ASCII classes or their complement.
template <typename A, typename B>
std::string SubPair(const std::string& s, A first, B second, std::string_view before, std::string_view middle,
                    std::string_view after) {
  std::string out;
  out.reserve(s.size() + 16);
  size_t i = 0;
  while (i < s.size()) {
    if (i + 1 < s.size() && first(s[i]) && second(s[i + 1])) {
      out.append(before);
      out.push_back(s[i]);
      out.append(middle);
      out.push_back(s[i + 1]);
      out.append(after);
      i += 2;
    } else {
      out.push_back(s[i]);
      ++i;
    }
  }
  return out;
}

using NgramCounts = std::map<std::vector<std::string>, int>;

NgramCounts CountNgrams(const std::vector<std::string>& words) {
  NgramCounts counts;
  for (int k = 1; k <= kOrder; ++k) {
    for (size_t i = 0; i + k <= words.size(); ++i) {
      ++counts[std::vector<std::string>(words.begin() + i, words.begin() + i + k)];
    }
  }
  return counts;
}

}  // namespace

std::string LowerUtf8(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const CodePoint& c : DecodeUtf8(text)) {
    char32_t lower = LowerCodePoint(c.cp);
    if (lower == c.cp) {
      out.append(text.substr(c.offset, c.length));
    } else {
      AppendUtf8(lower, &out);
    }
  }
  return out;
}

std::string SplitPuncts(std::string_view text) {
  // re.findall(r"[\w]+|[^\s\w]") then ' '.join: word runs, or single non-space non-word chars.
  std::string out;
  bool in_word = false;
  for (const CodePoint& c : DecodeUtf8(text)) {
    if (IsSpaceChar(c.cp)) {
      in_word = false;
      continue;
    }
    bool word = IsWordChar(c.cp);
    if (!(word && in_word) && !out.empty()) out.push_back(' ');
    out.append(text.substr(c.offset, c.length));
    in_word = word;
  }
  return out;
}

std::vector<std::string> NormalizeBleu(std::string_view text) {
  std::string s(text);
  s = ReplaceAll(s, "<skipped>", "");
  s = ReplaceAll(s, "-\n", "");
  s = ReplaceAll(s, "\n", " ");
  // xml.sax.saxutils.unescape(s, {'&quot;': '"'}): &lt; &gt; first, then the extra entity, &amp; last.
  s = ReplaceAll(s, "&lt;", "<");
  s = ReplaceAll(s, "&gt;", ">");
  s = ReplaceAll(s, "&quot;", "\"");
  s = ReplaceAll(s, "&amp;", "&");
  s = LowerUtf8(" " + s + " ");
  std::string spaced;
  spaced.reserve(s.size() * 2);
  for (char c : s) {
    if (IsNistPunct(c)) {
      spaced.push_back(' ');
      spaced.push_back(c);
      spaced.push_back(' ');
    } else {
      spaced.push_back(c);
    }
  }
  auto not_digit = [](char c) { return !IsDigit(c); };
  // ([^0-9])([\.,]) -> '\1 \2 ' ; ([\.,])([^0-9]) -> ' \1 \2' ; ([0-9])(-) -> '\1 \2 '
  spaced = SubPair(spaced, not_digit, IsPeriodComma, "", " ", " ");
  spaced = SubPair(spaced, IsPeriodComma, not_digit, " ", " ", "");
  spaced = SubPair(spaced, IsDigit, [](char c) { return c == '-'; }, "", " ", " ");
  return SplitWhitespace(spaced);
}

BleuStats SentenceBleuPrepared(const std::vector<std::string>& refs, std::string_view hyp) {
  BleuStats stats;
  NgramCounts max_ref_counts;
  bool first = true;
  for (const std::string& ref : refs) {
    std::vector<std::string> words = NormalizeBleu(ref);
    int len = static_cast<int>(words.size());
    stats.ref_len = first ? len : std::min(stats.ref_len, len);
    first = false;
    for (const auto& [ngram, count] : CountNgrams(words)) {
      int& slot = max_ref_counts[ngram];
      slot = std::max(slot, count);
    }
  }
  std::vector<std::string> test = NormalizeBleu(hyp);
  stats.test_len = static_cast<int>(test.size());
  for (int k = 0; k < kOrder; ++k) stats.guess[k] = std::max(stats.test_len - k, 0);
  for (const auto& [ngram, count] : CountNgrams(test)) {
    auto it = max_ref_counts.find(ngram);
    int ref_count = it == max_ref_counts.end() ? 0 : it->second;
    stats.correct[ngram.size() - 1] += std::min(ref_count, count);
  }
  // score_cooked(smooth=1): log precisions with +1 on both sides for n >= 2; DBL_MIN keeps log(0)
  // finite exactly as the script's sys.float_info.min does.
  double log_bleu = 0;
  for (int k = 0; k < kOrder; ++k) {
    double add = k > 0 ? 1.0 : 0.0;
    log_bleu += std::log(static_cast<double>(stats.correct[k]) + add + DBL_MIN) -
                std::log(static_cast<double>(stats.guess[k]) + add + DBL_MIN);
  }
  log_bleu /= static_cast<double>(kOrder);
  double brevity = std::min(0.0, 1.0 - static_cast<double>(stats.ref_len + 1) / (stats.test_len + 1));
  stats.score = std::exp(log_bleu + brevity);
  return stats;
}

double SentenceBleuMulti(const std::vector<std::string>& references, std::string_view prediction) {
  std::vector<std::string> refs;
  refs.reserve(references.size());
  for (const std::string& r : references) refs.push_back(SplitPuncts(StripLower(r)));
  if (refs.empty()) refs.emplace_back();
  return SentenceBleuPrepared(refs, SplitPuncts(StripLower(prediction))).score;
}

double SentenceBleu(std::string_view reference, std::string_view prediction) {
  return SentenceBleuMulti({std::string(reference)}, prediction);
}

double CorpusBleu(const std::vector<std::string>& references, const std::vector<std::string>& predictions) {
  size_t n = std::min(references.size(), predictions.size());
  if (n == 0) return 0;
  double total = 0;
  for (size_t i = 0; i < n; ++i) total += SentenceBleu(references[i], predictions[i]);
  return total * 100.0 / static_cast<double>(n);
}

}  // namespace scale::eval
