// Turns a model's answer into comment TEXT the language worker can render, or rejects it. Small
// models wrap answers in fences, labels ("Docstring:"), quotes or the comment delimiters they were
// told not to write; those are stripped. Answers that are empty or are code are rejected, so the
// routine keeps its old comment instead of getting a broken one.
#pragma once

#include <string>
#include <string_view>

#include "languages/language.h"

namespace scale::annotate {

struct CleanComment {
  bool ok = false;
  std::string text;     // the comment text (no delimiters, dedented, no trailing spaces) when ok
  std::string problem;  // why it was rejected when !ok ("empty answer", "answer is code", ...)
};

// `signature` is the routine's header: an answer that repeats it is code, not a comment.
// `truncated` (the answer hit max_tokens) cuts the text back to its last complete sentence.
CleanComment SanitizeComment(std::string_view answer, languages::Language language, std::string_view signature,
                             bool truncated = false);

// Light clean-up for prose that is not a routine comment (the file summary): fences, labels,
// surrounding quotes, whitespace. Returns "" if nothing useful is left.
std::string SanitizeProse(std::string_view answer);

// True when `text` reads as source code rather than prose (used to reject answers).
bool LooksLikeCode(std::string_view text, languages::Language language);

}  // namespace scale::annotate
