#include "distill/stats.h"

#include <algorithm>
#include <cstdio>
#include <set>
#include <utility>

#include "util/error.h"
#include "util/fs.h"
#include "util/text.h"

namespace scale::distill {
namespace {

using nlohmann::json;

int64_t Utf8Chars(std::string_view s) {
  int64_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

// Checks the schema without a model: one "token" per byte, the messages joined.
train::Tokenizer ByteTokenizer() {
  train::Tokenizer t;
  t.tokenize = [](std::string_view text, bool, bool) { return std::vector<int32_t>(text.begin(), text.end()); };
  t.format = [](const std::vector<engine::Message>& messages) {
    std::string out;
    for (const auto& m : messages) out += m.content;
    return out;
  };
  return t;
}

std::string Str(const json& meta, const char* key) {
  auto it = meta.find(key);
  return it != meta.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::vector<LengthBucket> Histogram(const std::vector<int64_t>& lengths) {
  std::vector<LengthBucket> out;
  if (lengths.empty()) return out;
  const int64_t max = *std::max_element(lengths.begin(), lengths.end());
  out.push_back({0, 7, 0});
  while (out.back().high < max) out.push_back({out.back().high + 1, 2 * out.back().high + 1, 0});
  for (int64_t n : lengths) {
    for (auto& b : out) {
      if (n <= b.high) {
        ++b.rows;
        break;
      }
    }
  }
  // Leading empty buckets say nothing.
  size_t first = 0;
  while (first + 1 < out.size() && out[first].rows == 0) ++first;
  out.erase(out.begin(), out.begin() + static_cast<long>(first));
  return out;
}

}  // namespace

DataStats ComputeStats(const std::string& path, const train::Tokenizer* tokenizer) {
  const std::string text = ReadFile(path);
  const train::Tokenizer bytes = ByteTokenizer();
  DataStats s;
  if (tokenizer) s.unit = "tokens";
  std::map<std::string, std::pair<bool, bool>> files;  // key -> (in train, in eval)
  std::vector<int64_t> answers;
  int line_no = 0;
  for (std::string_view line : SplitLineViews(text)) {
    ++line_no;
    if (IsBlank(line)) continue;
    // The trainer's parser first: its error names the line.
    train::Row row;
    try {
      row = train::ParseRow(line, line_no, tokenizer ? *tokenizer : bytes);
    } catch (const Error& e) {
      throw Error(e.exit_code(), path + ": " + e.what());
    }
    const json j = json::parse(line);
    ++s.rows;
    const bool has_split = j.contains("split");
    const bool eval = has_split && j["split"] == "eval";
    ++(has_split ? (eval ? s.eval_rows : s.train_rows) : s.unsplit_rows);
    int64_t answer = 0, prompt = 0;
    if (tokenizer) {
      prompt = row.n_prompt;
      answer = static_cast<int64_t>(row.tokens.size()) - row.n_prompt;
    } else {
      answer = Utf8Chars(j["answer"].get<std::string>());
      if (j.contains("prompt")) {
        prompt = Utf8Chars(j["prompt"].get<std::string>());
      } else {
        for (const auto& m : j["messages"]) prompt += Utf8Chars(m.value("content", ""));
      }
    }
    answers.push_back(answer);
    s.answer_total += answer;
    s.prompt_total += prompt;
    s.answer_max = std::max(s.answer_max, answer);
    s.prompt_max = std::max(s.prompt_max, prompt);
    if (!j.contains("meta") || !j["meta"].is_object()) {
      ++s.rows_without_meta;
      continue;
    }
    const json& meta = j["meta"];
    if (auto l = Str(meta, "language"); !l.empty()) ++s.languages[l];
    if (auto f = Str(meta, "from"); !f.empty()) ++s.origins[f];
    if (auto r = Str(meta, "root"); !r.empty()) ++s.roots[r];
    if (auto t = Str(meta, "template_sha256"); !t.empty()) ++s.templates[t.substr(0, 12)];
    if (auto src = Str(meta, "source"); !src.empty()) {
      auto& [in_train, in_eval] = files[Str(meta, "root") + "/" + src];
      (eval ? in_eval : in_train) = true;
    }
  }
  for (const auto& [key, in] : files) {
    ++s.files;
    s.train_files += in.first;
    s.eval_files += in.second;
    s.files_in_both += in.first && in.second;
  }
  s.histogram = Histogram(answers);
  return s;
}

json StatsJson(const DataStats& s) {
  json hist = json::array();
  for (const auto& b : s.histogram) hist.push_back({{"low", b.low}, {"high", b.high}, {"rows", b.rows}});
  return {{"unit", s.unit},
          {"rows", s.rows},
          {"train_rows", s.train_rows},
          {"eval_rows", s.eval_rows},
          {"unsplit_rows", s.unsplit_rows},
          {"files", s.files},
          {"train_files", s.train_files},
          {"eval_files", s.eval_files},
          {"files_in_both_splits", s.files_in_both},
          {"rows_without_meta", s.rows_without_meta},
          {"languages", s.languages},
          {"origins", s.origins},
          {"roots", s.roots},
          {"templates", s.templates},
          {"answer", {{"total", s.answer_total}, {"max", s.answer_max},
                      {"mean", s.rows ? static_cast<double>(s.answer_total) / s.rows : 0.0}}},
          {"prompt", {{"total", s.prompt_total}, {"max", s.prompt_max},
                      {"mean", s.rows ? static_cast<double>(s.prompt_total) / s.rows : 0.0}}},
          {"answer_histogram", hist}};
}

std::string StatsText(const DataStats& s) {
  auto counts = [](const std::map<std::string, int>& m) {
    std::vector<std::string> parts;
    for (const auto& [k, v] : m) parts.push_back(k + " " + std::to_string(v));
    return parts.empty() ? std::string("-") : Join(parts, ", ");
  };
  auto mean = [&](int64_t total) { return s.rows ? static_cast<double>(total) / s.rows : 0.0; };
  char buf[256];
  std::string out = "rows: " + std::to_string(s.rows) + " (train " + std::to_string(s.train_rows) + ", held out " +
                    std::to_string(s.eval_rows) + ", no split " + std::to_string(s.unsplit_rows) + ")\n";
  out += "files: " + std::to_string(s.files) + " (train " + std::to_string(s.train_files) + ", held out " +
         std::to_string(s.eval_files) + ", in both " + std::to_string(s.files_in_both) + ")\n";
  out += "languages: " + counts(s.languages) + "\n";
  out += "provenance: from " + counts(s.origins) + "; roots " + counts(s.roots) + "; templates " + counts(s.templates) +
         "; rows without meta " + std::to_string(s.rows_without_meta) + "\n";
  std::snprintf(buf, sizeof buf, "answers: %lld %s in all, mean %.1f, max %lld\n", static_cast<long long>(s.answer_total),
                s.unit.c_str(), mean(s.answer_total), static_cast<long long>(s.answer_max));
  out += buf;
  std::snprintf(buf, sizeof buf, "prompts: %lld %s in all, mean %.1f, max %lld\n", static_cast<long long>(s.prompt_total),
                s.unit.c_str(), mean(s.prompt_total), static_cast<long long>(s.prompt_max));
  out += buf;
  if (s.histogram.empty()) return out;
  out += "answer length (" + s.unit + "):\n";
  int most = 0;
  for (const auto& b : s.histogram) most = std::max(most, b.rows);
  for (const auto& b : s.histogram) {
    const int width = most ? (b.rows * 40 + most - 1) / most : 0;
    std::snprintf(buf, sizeof buf, "  %6lld-%-6lld %-40s %d\n", static_cast<long long>(b.low),
                  static_cast<long long>(b.high), std::string(static_cast<size_t>(width), '#').c_str(), b.rows);
    out += buf;
  }
  return out;
}

}  // namespace scale::distill
