// libFuzzer target: the consistency rules (consistency/) over arbitrary code and comment text.
// The first byte picks the language (its registry index, modulo their number); then
//   SOURCE "\n=====\n" COMMENT_0 "\n-----\n" COMMENT_1 ...
// Routine i is checked with COMMENT_(i mod k) and with its own existing comment.
//
// Invariants (docs/robustness.md):
//  * nothing but scale::Error escapes (from Parse's work budget), no sanitizer report;
//  * ParseDoc keeps the text (JoinLines(lines) == text) and its sections and entries lie inside
//    it, first <= last;
//  * every finding names a rule of Rules();
//  * RepairComment reports what is left truthfully: remaining == Check(repaired text), and every
//    fixed finding was one Check reported on the input.
#include <string>
#include <vector>

#include "consistency/consistency.h"
#include "consistency/doc_parse.h"
#include "fuzz_util.h"
#include "languages/language.h"
#include "util/error.h"

namespace {

using namespace scale;

std::string Ids(const std::vector<consistency::Finding>& findings) {
  std::string out;
  for (const auto& f : findings) out += f.rule + "/" + f.name + " ";
  return out;
}

void CheckDoc(languages::Language language, const std::string& text) {
  consistency::DocStructure doc = consistency::ParseDoc(language, text);
  FUZZ_CHECK(consistency::JoinLines(doc.lines) == text, "ParseDoc changed the text");
  const int n = static_cast<int>(doc.lines.size());
  for (const auto& s : doc.sections) {
    FUZZ_CHECK(0 <= s.first_line && s.first_line <= s.last_line && s.last_line < n, "section out of range: " + s.title);
    for (const auto& e : s.entries) {
      FUZZ_CHECK(s.first_line <= e.first_line && e.first_line <= e.last_line && e.last_line <= s.last_line,
                 "entry outside its section: " + e.name);
    }
  }
}

void CheckRoutine(languages::Language language, const languages::Routine& r, const std::string& text) {
  CheckDoc(language, text);
  std::vector<consistency::Finding> found = consistency::Check(language, r, text);
  for (const auto& f : found) {
    bool known = false;
    for (const auto& rule : consistency::Rules()) known |= rule.id == f.rule;
    FUZZ_CHECK(known, "unknown rule " + f.rule);
  }
  consistency::Repair repair = consistency::RepairComment(language, r, text);
  CheckDoc(language, repair.text);
  FUZZ_CHECK(Ids(repair.remaining) == Ids(consistency::Check(language, r, repair.text)), "remaining is not Check(repaired)");
  const std::string before = Ids(found);
  for (const auto& f : repair.fixed) {
    FUZZ_CHECK(before.find(f.rule + "/" + f.name + " ") != std::string::npos, "fixed a finding Check did not report: " + f.rule);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const std::vector<languages::Language> all = languages::AllLanguages();
  if (size < 1) return 0;
  languages::Language language = all[data[0] % all.size()];
  std::string_view input(reinterpret_cast<const char*>(data + 1), size - 1);
  auto [source, rest] = fuzz::SplitOnce(input, "\n=====\n");
  std::vector<std::string> comments = fuzz::SplitParts(rest, "\n-----\n");
  languages::ParsedFile file;
  try {
    file = languages::Parse(language, source);
  } catch (const Error&) {
    return 0;
  }
  for (size_t i = 0; i < file.routines.size() && i < 16; ++i) {
    const languages::Routine& r = file.routines[i];
    if (r.has_comment) CheckRoutine(language, r, r.existing_comment);
    if (!comments.empty()) CheckRoutine(language, r, comments[i % comments.size()]);
  }
  return 0;
}
