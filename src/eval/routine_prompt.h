// The RowPrompter that asks for a comment exactly as `scale comment` does (annotate/prompt.h): the
// same system prompt and per-language template from scale-cfg, the same request layout and answer
// clean-up (annotate/sanitize.h). Rows in a registered language (python, c, javascript, ruby, go,
// ...: languages::ParseLanguageName) are parsed with that language's worker and go through
// annotate::RoutineMessages with scale-cfg/<language>.txt, exactly as `scale comment` would; an
// existing docstring/leading comment in the row's code is removed first (CodeXGLUE's references
// ARE those docstrings). A row the worker finds no routine in (or a language with no worker) uses
// scale-cfg/<language>.txt if present, else scale-cfg/generic.txt, in the same layout, and is
// counted by CountParses.
// Rows have no surrounding file, so no file summary is sent.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "annotate/config.h"
#include "eval/runner.h"
#include "languages/language.h"

namespace scale::eval {

// A row parsed with its language's worker, its own docstring / leading comment removed (the
// reference must reach neither the model nor the judge).
struct ParsedRow {
  std::optional<languages::ParsedFile> file;  // set when the row parsed into at least one routine
  int id = -1;                                // the top-level routine
  const languages::Routine& routine() const { return file->routines.at(static_cast<size_t>(id)); }
};
// Parses `row` with its language's worker; an empty ParsedRow when the language has none, the
// worker finds no top-level routine or the parser gives up. Needs no model (pure).
ParsedRow ParseEvalRow(const EvalRow& row);

// The code a reader of the row sees: the parsed code without its existing comment, else the row's
// code as given.
std::string RowCodeWithoutComment(const EvalRow& row);

class CommentPrompter : public RowPrompter {
 public:
  // Loads the prompts for every language in `languages` from `config_dir` (throws Error(kExitUsage)
  // for a missing file). `llm` sizes prompts to its context, as `scale comment` does.
  CommentPrompter(engine::Llm& llm, const std::filesystem::path& config_dir, const std::vector<std::string>& languages,
                  const engine::SamplingParams& sampling, double time_limit_s = 0);

  engine::Request Build(const EvalRow& row) const override;
  std::string Clean(const EvalRow& row, const engine::Response& response, std::string* problem) const override;
  std::string Fingerprint() const override;
  // consistency::Check of the comment against the row's routine (consistency_score.h).
  std::optional<std::vector<std::string>> Consistency(const EvalRow& row, const std::string& comment) const override;

  // Which template file a language uses ("python.txt", "ruby.txt" or "generic.txt").
  std::string TemplateFile(const std::string& language) const;

  // How the rows parse with their language's worker: `parsed` rows go through the worker's
  // routine prompt (`with_errors` of them overlap a syntax error), `unparsed` ones (no routine
  // found, the parser gave up, or no worker for the language) through the generic layout.
  struct ParseCounts {
    size_t parsed = 0;
    size_t with_errors = 0;
    size_t unparsed = 0;
  };
  ParseCounts CountParses(const std::vector<EvalRow>& rows) const;

 private:
  engine::Llm& llm_;
  annotate::Prompts prompts_;
  std::map<std::string, std::string> generic_;        // language -> template text (no worker)
  std::map<std::string, std::string> generic_files_;  // language -> file name it came from
  engine::SamplingParams sampling_;
  double time_limit_s_ = 0;
};

// The row's code with its leading docstring / comment block (per the language worker) removed.
std::string StripExistingComment(const languages::ParsedFile& file, int id);

// Language the answer clean-up treats a row that did not parse as: its own worker's when the
// language is registered (ruby, bash, go ...), else python for languages whose comments start
// with '#' (perl, r, julia, ...), else c.
languages::Language CleanupLanguage(const std::string& language);

}  // namespace scale::eval
