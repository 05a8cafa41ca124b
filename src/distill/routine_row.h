// One harvested training row: the request `scale comment` would send for a routine if its doc
// comment were not there (annotate::RoutineMessages on the file without that comment, children
// reduced to signature + comment), and that comment's prose as the answer.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "annotate/config.h"
#include "engine/llm.h"
#include "languages/language.h"

namespace scale::distill {

struct RoutineRow {
  std::vector<engine::Message> messages;  // system (comment.txt + template), user (routine request)
  std::string answer;                     // Routine::existing_comment: the prose, comment syntax stripped
  std::string routine;                    // qualified name
  std::string kind;
  int line = 0;                           // the routine's first line in the original file
  std::string code;                       // its code without comments (annotate::CodeWithoutComments)
  std::string signature;                  // Routine::signature (a model answer repeating it is code)
  size_t view_chars = 0;                  // bytes of the routine view shown in the request
};

// The row for routine `id` of `file` (which must have a comment), or nullopt with `*why` set to a
// drop reason: "syntax error", "not commentable" (the routine has a skip reason: a doctest or
// grammar docstring, shared lines), "no code without its comment" (the file does not parse the
// same without it: a docstring sharing its line with code; a Python body that is only its
// docstring gets `pass` in its place instead), "another comment takes its place"
// (a second doc comment above would then be read as the routine's). The file summary slot is left
// empty: a harvest runs no model, and an empty summary is a prompt `scale comment` really sends
// (when the summary fails). The prompt is never elided (UnboundedLlm).
std::optional<RoutineRow> MakeRoutineRow(const languages::ParsedFile& file, int id, const annotate::Prompts& prompts,
                                         std::string* why);

}  // namespace scale::distill
