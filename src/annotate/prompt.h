// The requests `scale comment` sends. Message order is fixed so that the prefix shared between
// requests is as long as possible (the engine reuses it): system prompt + language template (same
// for every file of a language), then the file summary (same for every routine of a file), then
// the routine. Everything is sized with the model's own token counts so nothing overflows the
// context: big files are summarised from their head + routine signatures, big routines have the
// middle of their body elided, and as a last resort the summary and then the template's worked
// examples are left out.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "annotate/config.h"
#include "engine/llm.h"
#include "languages/language.h"

namespace scale::annotate {

// The whole-file summary request; for a file too big for the context, its first lines plus the
// signatures of its routines. `shown_lines` receives how many lines of the file were shown whole
// (all of them when it fits); returns empty messages when not even the signatures fit.
std::vector<engine::Message> SummaryMessages(engine::Llm& llm, const Prompts& prompts, const languages::ParsedFile& file,
                                             const std::string& path, int answer_tokens, int* shown_lines);

struct RoutinePrompt {
  std::vector<engine::Message> messages;  // empty when it cannot fit at all
  int elided_lines = 0;                   // body lines replaced by "... N lines elided ..."
  bool summary_dropped = false;           // the summary was left out to make room
  bool examples_dropped = false;          // the template's worked examples were left out
  std::string problem;                    // why it does not fit, when messages is empty
};

// The request for routine `id`: system = comment.txt + the language template; user = file summary,
// then "Write the comment for the <kind> `<qualified name>`", the routine view, the existing
// comment to update (if any), ending with "Comment:" like the template's examples.
RoutinePrompt RoutineMessages(engine::Llm& llm, const Prompts& prompts, const languages::ParsedFile& file, int id,
                              const std::string& view, const std::string& summary, int answer_tokens);

// The template without its worked examples: everything before the first line that starts with
// "EXAMPLE" (the convention of scale-cfg templates), trailing blank lines removed.
std::string TemplateRules(const std::string& language_template);

// The messages `make(shown)` builds for as much of `view` as fits the context beside an answer of
// `answer_tokens`: `view` whole, else its middle elided (ElideMiddle, the first line always kept),
// else `view` whole again, so that the engine reports context_full for it.
std::vector<engine::Message> FitView(engine::Llm& llm, const std::string& view, int answer_tokens,
                                     const std::function<std::vector<engine::Message>(const std::string&)>& make);

// Replaces the middle of `view` so that only `keep` of its lines remain plus one marker line
// "<indent>... N lines elided ..."; the first `min_head` lines (the signature) are always kept.
std::string ElideMiddle(const std::string& view, int keep, int min_head, int* elided);

}  // namespace scale::annotate
