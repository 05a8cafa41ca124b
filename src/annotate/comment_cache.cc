#include "annotate/comment_cache.h"

#include <algorithm>
#include <cstdio>
#include <utility>
#include <vector>

#include "util/sha256.h"
#include "util/version.h"

namespace scale::annotate {
namespace {

void CollectComments(const languages::ParsedFile& file, const languages::Routine& r,
                     std::vector<std::pair<size_t, size_t>>* ranges) {
  if (r.has_comment && r.comment_end > r.comment_begin) ranges->emplace_back(r.comment_begin, r.comment_end);
  for (int child : r.children) CollectComments(file, file.routines[child], ranges);
}

}  // namespace

std::string CommentSettings(const std::string& model_identity, const Prompts& prompts, languages::Language language,
                            const engine::SamplingParams& sampling, const std::string& policy) {
  char numbers[256];
  std::snprintf(numbers, sizeof numbers, "t=%.9g p=%.9g k=%d minp=%.9g rep=%.9g/%d seed=%u max=%d",
                sampling.temperature, sampling.top_p, sampling.top_k, sampling.min_p, sampling.repeat_penalty,
                sampling.repeat_last_n, sampling.seed, sampling.max_tokens);
  // Each part is hashed on its own so no text of one can pass for another's.
  std::string text = VersionString();
  for (const std::string* part : {&model_identity, &prompts.system, &prompts.summary, &prompts.Template(language), &policy}) {
    text += '\n' + Sha256Hex(*part);
  }
  return text + '\n' + numbers;
}

std::string CodeWithoutComments(const languages::ParsedFile& file, const languages::Routine& r) {
  std::vector<std::pair<size_t, size_t>> cut;
  CollectComments(file, r, &cut);
  std::sort(cut.begin(), cut.end());
  size_t begin = r.start_byte, end = std::min(r.end_byte, file.text.size());
  if (r.has_comment) begin = std::min(begin, r.comment_begin);
  std::string code;
  size_t at = begin;
  for (const auto& [b, e] : cut) {
    if (e <= at) continue;
    if (b > at) code.append(file.text, at, std::min(b, end) - at);
    at = std::max(at, e);
    if (at >= end) break;
  }
  if (at < end) code.append(file.text, at, end - at);
  return code;
}

std::string CommentCache::Key(const std::string& settings, const languages::ParsedFile& file, const languages::Routine& r) {
  std::string code = CodeWithoutComments(file, r);
  return Sha256Hex(Sha256Hex(settings) + languages::LanguageName(file.language) + '\0' + Sha256Hex(code) +
                   Sha256Hex(r.existing_comment));
}

}  // namespace scale::annotate
