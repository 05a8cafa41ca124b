// The `scale comment` pipeline for one or many files, as one engine::Job graph handed to
// Llm::RunJobs (so a parallel engine can work on several files at once). Per file: job 0 summarises
// the file; then one job per selected routine, innermost first, each depending on the summary and
// on its direct children's jobs (the parent's prompt shows the children's NEW comments). Answers
// are sanitised; bad ones keep the old comment. Finally the comments are patched in and the result
// is verified (code unchanged); a file that fails verification is left exactly as it was.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "annotate/config.h"
#include "consistency/consistency.h"
#include "engine/llm.h"
#include "languages/language.h"
#include "walk/git_changes.h"

namespace scale {
class Progress;
}

namespace scale::annotate {

class CommentCache;

// What to do with routines that already have a comment (--existing):
//   kOwn     (default) refresh only comments scale wrote itself (OwnComments); people's stay
//   kUpdate  rewrite every comment, people's too (the report counts the people's it touched)
//   kKeep    never touch an existing comment
enum class ExistingMode { kOwn, kUpdate, kKeep };

struct AnnotateOptions {
  ExistingMode existing = ExistingMode::kOwn;     // --existing own|update|keep
  // Whether an existing comment's prose is one scale wrote (kOwn asks; unset: none is).
  std::function<bool(languages::Language, const std::string&)> is_own;
  std::vector<std::string> only;                  // --only NAME: name or qualified name; empty = all
  engine::SamplingParams sampling;                // max_tokens is the answer budget of every request
  double time_limit_s = 0;                        // per request; 0 = none
  // The code-identity proof; replaceable so unit tests can exercise the "verification failed" path.
  std::function<languages::Verification(const languages::ParsedFile&, const std::string&, const std::vector<int>&)>
      verify = languages::Verify;
  // What to do with an answer that contradicts the code (consistency.h): repair, retry once, then
  // keep with a warning or (strict) reject.
  consistency::Policy consistency = consistency::Policy::kRetry;
  // Called before the jobs of each language run, when set: jobs then run one language at a time
  // (e.g. to switch per-language LoRA adapters, which apply to the whole context).
  std::function<void(languages::Language)> select_language;
  // The comment cache (comment_cache.h), when set: a routine whose current comment it holds for
  // this code and these settings is left alone ("up to date"), and the key of every new comment
  // that verified goes into FileResult::cache_keys for the caller to record once it is written.
  const CommentCache* cache = nullptr;
  // The model's identity for the cache, per language (its fingerprint with that language's
  // adapters); unset: Llm::Fingerprint().
  std::function<std::string(languages::Language)> model_identity;
};

struct SourceFile {
  std::string path;  // as the user named it (reports); only its base name reaches the model
  languages::Language language;
  std::string text;
  // How to parse it (header or not, the project's macros and pinned style); default: by its name.
  std::optional<languages::ParseOptions> options;
  // --changed: only the routines these changes touch (annotate/changed.h); nullopt = every routine.
  std::optional<walk::FileChanges> changes;
  // Its project config's choices, where files of one run differ (each file's nearest .scale.toml):
  std::optional<ExistingMode> existing;  // nullopt: AnnotateOptions::existing
  const Prompts* prompts = nullptr;       // its templates; nullptr: the annotator's. Outlives Run
};

enum class RoutineStatus {
  kCommented,  // had no comment, got one
  kUpdated,    // had a comment, it was replaced
  kKept,       // had a comment, left alone (--existing keep)
  kSkipped,    // not worked on: inside a syntax error
  kFailed,     // generation failed or the answer was rejected; old comment (if any) kept
};
const char* RoutineStatusName(RoutineStatus status);

struct RoutineOutcome {
  int id = 0;
  std::string name;  // qualified name
  std::string kind;
  int line = 0;
  RoutineStatus status = RoutineStatus::kFailed;
  std::string reason;  // for skipped / failed; notes (elision) otherwise
  bool human = false;  // its existing comment was written by a person, not by scale
  std::vector<std::string> repaired;  // consistency rule ids fixed without a model in its new comment
  bool retried = false;               // a second request was made because the first answer contradicted the code
  // Consistency findings its new comment still has (kept with a warning), or that made the answer
  // be rejected (--consistency strict: status kFailed): "rule-id: message".
  std::vector<std::string> warnings;
};

enum class FileStatus {
  kOk,       // processed (individual routines may still have failed)
  kFailed,   // nothing written: parse or verification failure
  kRefused,  // not processed: binary, not UTF-8, too big, unknown language
  kEmpty,    // nothing to do
};
const char* FileStatusName(FileStatus status);

struct FileResult {
  std::string path;
  std::string language;
  FileStatus status = FileStatus::kOk;
  std::string problem;   // file-level reason (failed / refused / empty) or warning (summary failed)
  std::string original;  // the input bytes
  std::string output;    // the new bytes; == original unless comments were applied and verified
  std::string summary;   // the model's summary of the file ("" if none)
  std::optional<languages::DocStyle> style;  // how new comments were written (set once parsed)
  std::vector<RoutineOutcome> routines;  // in source order; routines not selected by --only are absent
  std::vector<std::string> written_comments;  // prose of each comment in `output` that scale wrote
  std::vector<std::string> cache_keys;        // CommentCache keys of those comments (AnnotateOptions::cache)
  consistency::Tally consistency;             // per rule: found in answers, repaired, retried, warned, rejected
  int requests = 0;
  long prompt_tokens = 0, cached_prompt_tokens = 0, completion_tokens = 0;
  double seconds = 0;  // model time spent on this file's requests

  bool changed() const { return output != original; }
  int Count(RoutineStatus status) const;
  int HumanCommentsUpdated() const;  // people's comments this run rewrote (--existing update)
  bool HasFailures() const;  // a failed routine, or a failed/refused file
};

// The options `source` is parsed with (its own, else by its path).
languages::ParseOptions ParseOptionsOf(const SourceFile& source);

// A file that was not processed, for reports.
FileResult RefusedFile(const std::string& path, const std::string& problem, FileStatus status = FileStatus::kRefused);

class Annotator {
 public:
  // `llm` and `prompts` must outlive the annotator; prompts must hold the template of every
  // language passed to Run.
  Annotator(engine::Llm& llm, const Prompts& prompts, AnnotateOptions options);

  // Runs every file's jobs in one graph; returns one result per file, in input order. `progress`
  // (may be null) gets SetTotal(jobs) and one Advance per job.
  std::vector<FileResult> Run(const std::vector<SourceFile>& files, Progress* progress = nullptr);

 private:
  void RunByLanguage(std::vector<engine::Job>& jobs, const std::vector<languages::Language>& job_language);
  const std::string& CacheSettings(const Prompts& prompts, languages::Language language);

  engine::Llm& llm_;
  const Prompts& prompts_;
  AnnotateOptions options_;
  std::map<std::pair<const Prompts*, languages::Language>, std::string> cache_settings_;
};

// True when routine `r` is selected by --only (`only` empty = every routine).
bool MatchesOnly(const languages::Routine& r, const std::vector<std::string>& only);

// --check without a model: routines that have no comment (--only respected; a routine inside a syntax error counts as missing, with that note).
struct MissingComment {
  std::string name, kind;
  int line = 0;
  std::string note;  // why `scale comment` cannot add one here (Routine::skip_reason), if so
};
// `touched` (ChangedRoutines; null = all) narrows it to the routines a change touched.
std::vector<MissingComment> FindMissingComments(const languages::ParsedFile& file, const std::vector<std::string>& only,
                                                const std::vector<bool>* touched = nullptr);

}  // namespace scale::annotate
