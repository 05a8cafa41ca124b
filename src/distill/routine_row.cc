#include "distill/routine_row.h"

#include "annotate/comment_cache.h"
#include "annotate/prompt.h"
#include "distill/strip.h"
#include "distill/unbounded_llm.h"
#include "util/error.h"

namespace scale::distill {

std::optional<RoutineRow> MakeRoutineRow(const languages::ParsedFile& file, int id, const annotate::Prompts& prompts,
                                         std::string* why) {
  const languages::Routine& r = file.routines.at(static_cast<size_t>(id));
  auto drop = [&](const char* reason) -> std::optional<RoutineRow> {
    *why = reason;
    return std::nullopt;
  };
  if (r.in_error_region) return drop("syntax error");
  if (!r.skip_reason.empty()) return drop("not commentable");
  languages::ParseOptions options;
  options.c_header = file.c_header;
  options.macros = file.macros;
  // The file without the comment must parse as cleanly as before, with the same routines and this
  // one still commentable and now without a comment.
  auto parse_bare = [&](const std::string& text, std::string* problem) -> std::optional<languages::ParsedFile> {
    *problem = "no code without its comment";
    languages::ParsedFile bare;
    try {
      bare = languages::Parse(file.language, text, options);
    } catch (const Error&) {
      return std::nullopt;
    }
    if (bare.routines.size() != file.routines.size() || bare.error_nodes > file.error_nodes) return std::nullopt;
    const languages::Routine& b = bare.routines[static_cast<size_t>(id)];
    if (b.qualified_name != r.qualified_name || b.kind != r.kind || b.in_error_region || !b.skip_reason.empty()) {
      return std::nullopt;
    }
    if (b.has_comment) {
      *problem = "another comment takes its place";
      return std::nullopt;
    }
    return bare;
  };
  std::string problem;
  std::optional<languages::ParsedFile> bare = parse_bare(WithoutComment(file, id), &problem);
  // A Python body that is only its docstring (`class E(Exception): """..."""`) is `pass` without it,
  // the code such a routine has before anyone documents it.
  if (!bare && problem == "no code without its comment" && file.language == languages::LanguageNamed("python") &&
      r.end_byte == r.comment_end) {
    bare = parse_bare(WithoutComment(file, id, "pass"), &problem);
  }
  if (!bare) {
    *why = problem;
    return std::nullopt;
  }

  UnboundedLlm measure;
  const std::string view = languages::RoutineView(*bare, id, {});
  annotate::RoutinePrompt prompt = annotate::RoutineMessages(measure, prompts, *bare, id, view, "", 0);
  if (prompt.messages.empty()) return drop("no code without its comment");
  RoutineRow row;
  row.messages = std::move(prompt.messages);
  row.answer = r.existing_comment;
  row.routine = r.qualified_name;
  row.kind = r.kind;
  row.line = r.start_line;
  row.code = annotate::CodeWithoutComments(file, r);
  row.signature = r.signature;
  row.view_chars = view.size();
  return row;
}

}  // namespace scale::distill
