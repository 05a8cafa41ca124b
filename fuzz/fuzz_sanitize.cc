// libFuzzer target: the sanitizer of model answers (annotate/sanitize.h) with arbitrary answers,
// including huge lines, and then the language worker with what it lets through.
//
// Input layout: byte 0 = flags, byte 1 = size of a huge line, then
//   SIGNATURE "\n=====\n" ANSWER      (no separator: the whole rest is the answer, signature "")
// flags % 3: 0 python, 1 c, 2 javascript; & 4: truncated (the answer hit max_tokens);
// (flags & 0x38) == 0x08: the answer's first line is repeated into one line of 256 << (byte1 % 9)
// bytes (256 B .. 64 KiB), so that huge single-line answers are reached without huge inputs. (Rare
// on purpose: one 64 KiB answer costs as much as a thousand ordinary ones under the sanitizers.)
//
// Invariants: nothing but scale::Error escapes, no sanitizer report; ok <=> problem empty; an ok
// text is non-empty, has no trailing blanks on any line, is not LooksLikeCode; a clean comment
// patched into a one-routine file keeps the file's code tokens (ApplyAndVerify's guarantee).
#include <string>

#include "annotate/sanitize.h"
#include "fuzz_util.h"
#include "languages/language.h"
#include "util/error.h"

namespace {

using scale::languages::Language;

const char* TemplateFor(Language language) {
  std::string_view name = scale::languages::LanguageName(language);
  if (name == "python") return "class Foo:\n    def bar(self, x):\n        return x + 1\n";
  if (name == "c") return "#include <stdio.h>\n\nint bar(int x)\n{\n    return x + 1;\n}\n";
  return "export function bar(x) {\n  return x + 1;\n}\n";
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace scale;
  using namespace scale::fuzz;
  if (size < 2) return 0;
  const uint8_t flags = data[0];
  const size_t huge = size_t{256} << (data[1] % 9);
  std::string_view rest(reinterpret_cast<const char*>(data) + 2, size - 2);
  // The first three languages, as the seed corpus was written for them.
  static const Language kLanguages[] = {scale::languages::LanguageNamed("python"), scale::languages::LanguageNamed("c"),
                                        scale::languages::LanguageNamed("javascript")};
  const Language language = kLanguages[flags % 3];
  const bool truncated = flags & 4;
  std::string signature, answer;
  if (rest.find("\n=====\n") != std::string_view::npos) std::tie(signature, answer) = SplitOnce(rest, "\n=====\n");
  else answer = std::string(rest);
  if ((flags & 0x38) == 0x08 && !answer.empty()) {
    size_t nl = answer.find('\n');
    std::string line = answer.substr(0, nl);
    std::string tail = nl == std::string::npos ? "" : answer.substr(nl);
    if (line.empty()) line = " ";
    std::string big;
    big.reserve(huge + line.size());
    while (big.size() < huge) big += line;
    answer = big + tail;
  }

  try {
    (void)annotate::SanitizeProse(answer);
    (void)annotate::LooksLikeCode(answer, language);
    annotate::CleanComment clean = annotate::SanitizeComment(answer, language, signature, truncated);
    FUZZ_CHECK(clean.ok == clean.problem.empty(), "ok and problem disagree: " + clean.problem);
    if (!clean.ok) return 0;
    FUZZ_CHECK(!clean.text.empty(), "ok with an empty text");
    size_t start = 0;
    while (start <= clean.text.size()) {
      size_t nl = clean.text.find('\n', start);
      size_t end = nl == std::string::npos ? clean.text.size() : nl;
      if (end > start) {
        char last = clean.text[end - 1];
        FUZZ_CHECK(last != ' ' && last != '\t', "trailing blank in clean text: " + Excerpt(clean.text));
      }
      if (nl == std::string::npos) break;
      start = nl + 1;
    }
    FUZZ_CHECK(!annotate::LooksLikeCode(clean.text, language), "clean text looks like code: " + Excerpt(clean.text));

    // What the pipeline does next: render it into a file and prove the code unchanged. Only for
    // answer-sized texts (a model answer is bounded by max_tokens); huge lines are for the
    // sanitizer's own regexes, and verifying a 64 KiB comment costs seconds under the sanitizers.
    if (clean.text.size() > 8192) return 0;
    languages::ParsedFile file = languages::Parse(language, TemplateFor(language));
    std::map<int, std::string> comments;
    for (const auto& r : file.routines) comments[r.id] = clean.text;
    languages::VerifiedPatch patch = languages::ApplyAndVerify(file, comments);
    if (patch.text != file.text) {
      FUZZ_CHECK(languages::CodeTokens(language, file.text) == languages::CodeTokens(language, patch.text),
                 "code tokens changed by comment: " + Excerpt(clean.text));
    }
  } catch (const Error&) {
    return 0;
  }
  return 0;
}
