#include "annotate/pipeline.h"

#include "annotate/changed.h"
#include "annotate/comment_cache.h"

#include <algorithm>
#include <cstdint>
#include <map>
#include <memory>

#include "annotate/changed.h"
#include "annotate/prompt.h"
#include "annotate/sanitize.h"
#include "util/error.h"
#include "util/log.h"
#include "util/progress.h"

namespace scale::annotate {

using languages::ParsedFile;
using languages::Routine;

const char* RoutineStatusName(RoutineStatus status) {
  switch (status) {
    case RoutineStatus::kCommented: return "commented";
    case RoutineStatus::kUpdated: return "updated";
    case RoutineStatus::kKept: return "kept";
    case RoutineStatus::kSkipped: return "skipped";
    case RoutineStatus::kFailed: return "failed";
  }
  return "unknown";
}

const char* FileStatusName(FileStatus status) {
  switch (status) {
    case FileStatus::kOk: return "ok";
    case FileStatus::kFailed: return "failed";
    case FileStatus::kRefused: return "refused";
    case FileStatus::kEmpty: return "empty";
  }
  return "unknown";
}

int FileResult::Count(RoutineStatus s) const {
  int n = 0;
  for (const auto& r : routines) n += r.status == s;
  return n;
}

int FileResult::HumanCommentsUpdated() const {
  int n = 0;
  for (const auto& r : routines) n += r.status == RoutineStatus::kUpdated && r.human;
  return n;
}

bool FileResult::HasFailures() const {
  return status == FileStatus::kFailed || status == FileStatus::kRefused || Count(RoutineStatus::kFailed) > 0;
}

FileResult RefusedFile(const std::string& path, const std::string& problem, FileStatus status) {
  FileResult r;
  r.path = path;
  r.status = status;
  r.problem = problem;
  return r;
}

bool MatchesOnly(const Routine& r, const std::vector<std::string>& only) {
  if (only.empty()) return true;
  for (const auto& name : only) {
    if (name == r.name || name == r.qualified_name) return true;
  }
  return false;
}

std::vector<MissingComment> FindMissingComments(const ParsedFile& file, const std::vector<std::string>& only,
                                                const std::vector<bool>* touched) {
  std::vector<MissingComment> missing;
  for (const auto& r : file.routines) {
    if (r.has_comment || !MatchesOnly(r, only) || (touched != nullptr && !(*touched)[r.id])) continue;
    // One inside a syntax error is missing too: --check must not pass what scale cannot see.
    missing.push_back({r.qualified_name, r.kind, r.start_line, r.in_error_region ? "inside a syntax error" : r.skip_reason});
  }
  return missing;
}

languages::ParseOptions ParseOptionsOf(const SourceFile& source) {
  return source.options ? *source.options : languages::ParseOptionsForPath(source.path);
}

namespace {

std::string ErrorRegionReason(const ParsedFile& file, const Routine& r) {
  for (const auto& [first, last] : file.error_lines) {
    if (first <= r.end_line && last >= r.start_line) {
      return "inside a syntax error (lines " + std::to_string(first) + "-" + std::to_string(last) + ")";
    }
  }
  return "inside a syntax error";
}

// A first answer that still contradicts the code after repair, waiting for its retry.
struct Pending {
  std::string text;                              // the repaired first answer
  std::vector<consistency::Finding> remaining;  // what is still wrong with it
  std::vector<engine::Message> messages;         // the first request, which the retry extends
};

struct FileState {
  const SourceFile* source = nullptr;
  ParsedFile parsed;
  FileResult result;
  std::map<int, size_t> outcome;          // routine id -> index in result.routines
  std::map<int, std::string> new_comments;  // routine id -> accepted comment text
  std::map<int, Pending> pending;           // routine id -> first answer to retry
  std::map<int, std::vector<engine::Message>> requests;  // routine id -> its request, until answered
  std::string summary;
  const Prompts* prompts = nullptr;  // the file's own (SourceFile::prompts) or the annotator's
  RoutineOutcome& Outcome(int id) { return result.routines[outcome.at(id)]; }
};

std::vector<std::string> Warnings(const std::vector<consistency::Finding>& findings) {
  std::vector<std::string> out;
  for (const auto& f : findings) out.push_back(f.rule + ": " + f.message);
  return out;
}

void Accept(FileState& st, int id, std::string text) {
  RoutineOutcome& o = st.Outcome(id);
  o.status = st.parsed.routines[static_cast<size_t>(id)].has_comment ? RoutineStatus::kUpdated : RoutineStatus::kCommented;
  st.new_comments[id] = std::move(text);
}

// The end of the road for an answer that still contradicts the code: kept with warnings, or
// (strict) rejected so the routine keeps its old comment.
void Settle(FileState& st, int id, const std::string& text, const std::vector<consistency::Finding>& remaining,
            consistency::Policy policy) {
  RoutineOutcome& o = st.Outcome(id);
  o.warnings = Warnings(remaining);
  if (policy == consistency::Policy::kStrict) {
    for (const auto& f : remaining) ++st.result.consistency[f.rule].rejected;
    st.new_comments.erase(id);
    o.status = RoutineStatus::kFailed;
    o.reason = "answer contradicts the code (--consistency strict): " + remaining.front().rule;
    return;
  }
  for (const auto& f : remaining) ++st.result.consistency[f.rule].warned;
  Accept(st, id, text);
}

// A cleaned answer for routine `id`: repaired, then accepted, settled, or (retry/strict with
// problems left) held for a retry, which extends `request` (null: no retry).
void TakeAnswer(FileState& st, int id, std::string text, consistency::Policy policy,
                const std::vector<engine::Message>* request) {
  if (policy == consistency::Policy::kOff) {
    Accept(st, id, std::move(text));
    return;
  }
  const Routine& routine = st.parsed.routines[static_cast<size_t>(id)];
  consistency::Repair repair = consistency::RepairComment(st.parsed.language, routine, text);
  RoutineOutcome& o = st.Outcome(id);
  for (const auto& f : repair.fixed) {
    ++st.result.consistency[f.rule].found;
    ++st.result.consistency[f.rule].repaired;
    if (std::find(o.repaired.begin(), o.repaired.end(), f.rule) == o.repaired.end()) o.repaired.push_back(f.rule);
  }
  for (const auto& f : repair.remaining) ++st.result.consistency[f.rule].found;
  if (repair.remaining.empty()) {
    o.warnings.clear();
    Accept(st, id, std::move(repair.text));
    return;
  }
  if (policy == consistency::Policy::kRepair || request == nullptr) {
    Settle(st, id, repair.text, repair.remaining, policy);
    return;
  }
  // Until the retry answers, the repaired first answer stands, with its problems as warnings.
  Accept(st, id, repair.text);
  o.warnings = Warnings(repair.remaining);
  st.pending[id] = {std::move(repair.text), std::move(repair.remaining), *request};
}

void Account(FileResult& result, const engine::Response& response) {
  ++result.requests;
  result.prompt_tokens += response.prompt_tokens;
  result.cached_prompt_tokens += response.cached_prompt_tokens;
  result.completion_tokens += response.completion_tokens;
  result.seconds += response.seconds;
}

std::string FinishProblem(const engine::Response& response) {
  std::string why = std::string("model answer ") + engine::FinishReasonName(response.finish);
  if (!response.error.empty()) why += ": " + response.error;
  return why;
}

}  // namespace

Annotator::Annotator(engine::Llm& llm, const Prompts& prompts, AnnotateOptions options)
    : llm_(llm), prompts_(prompts), options_(std::move(options)) {
  if (!options_.verify) options_.verify = languages::Verify;
}

// A file's jobs depend only on jobs of the same file, so each language's jobs form a closed graph.
void Annotator::RunByLanguage(std::vector<engine::Job>& jobs, const std::vector<languages::Language>& job_language) {
  std::vector<languages::Language> order;
  for (languages::Language l : job_language) {
    if (std::find(order.begin(), order.end(), l) == order.end()) order.push_back(l);
  }
  for (languages::Language language : order) {
    std::vector<size_t> index(jobs.size(), SIZE_MAX);
    std::vector<engine::Job> group;
    for (size_t i = 0; i < jobs.size(); ++i) {
      if (job_language[i] != language) continue;
      index[i] = group.size();
      group.push_back(std::move(jobs[i]));
    }
    for (auto& job : group) {
      for (auto& dep : job.deps) dep = index[dep];
    }
    options_.select_language(language);
    llm_.RunJobs(group);
  }
}

const std::string& Annotator::CacheSettings(const Prompts& prompts, languages::Language language) {
  auto it = cache_settings_.find({&prompts, language});
  if (it == cache_settings_.end()) {
    std::string identity = options_.model_identity ? options_.model_identity(language) : llm_.Fingerprint();
    it = cache_settings_
             .emplace(std::pair(&prompts, language), CommentSettings(identity, prompts, language, options_.sampling,
                                                consistency::PolicyName(options_.consistency)))
             .first;
  }
  return it->second;
}

std::vector<FileResult> Annotator::Run(const std::vector<SourceFile>& files, Progress* progress) {
  std::vector<std::unique_ptr<FileState>> states;
  std::vector<engine::Job> jobs;
  std::vector<languages::Language> job_language;  // per job, for options_.select_language
  size_t retry_jobs = 0;                           // not counted by the progress bar: most never run
  const int budget = options_.sampling.max_tokens;
  // An answer that still contradicts the code after repair gets a second request (consistency.h).
  const bool retrying =
      options_.consistency == consistency::Policy::kRetry || options_.consistency == consistency::Policy::kStrict;

  // One file's requests share their prefix (system, template, file summary): one affinity.
  auto make_request = [&](std::vector<engine::Message> messages, std::string id, const std::string& file) {
    engine::Request request;
    request.affinity = file;
    request.messages = std::move(messages);
    request.sampling = options_.sampling;
    request.time_limit_s = options_.time_limit_s;
    request.id = std::move(id);
    return request;
  };

  // Asks again, once, with the first answer and what contradicts the code in it; the better of the
  // two answers stands (the retry's when it is consistent or has fewer problems).
  auto retry_job = [&](FileState* st, int id, size_t after, std::string label) {
    engine::Job job;
    job.deps.push_back(after);
    job.make = [this, st, id, label, make_request]() -> std::optional<engine::Request> {
      auto it = st->pending.find(id);
      if (it == st->pending.end()) return std::nullopt;
      Pending& p = it->second;
      std::vector<engine::Message> messages = p.messages;
      messages.push_back({engine::Role::kAssistant, p.text});
      messages.push_back({engine::Role::kUser, consistency::RetryNote(p.remaining) + "\n\nComment:"});
      if (llm_.CountPromptTokens(messages) + options_.sampling.max_tokens > llm_.ContextSize()) {
        LogVerbose(label + ": no room in the context for a retry");
        Settle(*st, id, p.text, p.remaining, options_.consistency);
        st->pending.erase(it);
        return std::nullopt;
      }
      st->Outcome(id).retried = true;
      return make_request(std::move(messages), label, st->result.path);
    };
    job.done = [this, st, id, label](const engine::Response& response) {
      Account(st->result, response);
      Pending p = std::move(st->pending.at(id));
      st->pending.erase(id);
      const Routine& routine = st->parsed.routines[static_cast<size_t>(id)];
      std::optional<consistency::Repair> second;
      if (response.ok()) {
        CleanComment clean = SanitizeComment(response.text, st->parsed.language, routine.signature,
                                             response.finish == engine::FinishReason::kLength);
        if (clean.ok) {
          second = consistency::RepairComment(st->parsed.language, routine,
                                              languages::ConventionalCommentText(st->parsed, id, clean.text));
        }
      }
      RoutineOutcome& o = st->Outcome(id);
      if (second) {
        // A problem of the first answer that the second does not have was fixed by the retry.
        for (const auto& f : p.remaining) {
          bool still = std::any_of(second->remaining.begin(), second->remaining.end(),
                                   [&](const consistency::Finding& g) { return g.rule == f.rule && g.name == f.name; });
          if (!still) ++st->result.consistency[f.rule].retried;
        }
      }
      if (second && second->remaining.empty()) {
        o.warnings.clear();
        Accept(*st, id, std::move(second->text));
        LogVerbose(label + ": the retry fixed it");
        return;
      }
      if (second && second->remaining.size() < p.remaining.size()) {
        Settle(*st, id, second->text, second->remaining, options_.consistency);
      } else {
        Settle(*st, id, p.text, p.remaining, options_.consistency);
      }
      LogVerbose(label + ": still inconsistent after the retry: " + o.warnings.front());
    };
    return job;
  };

  for (const auto& source : files) {
    auto state = std::make_unique<FileState>();
    FileState* st = state.get();
    states.push_back(std::move(state));
    st->source = &source;
    st->prompts = source.prompts != nullptr ? source.prompts : &prompts_;
    st->result.path = source.path;
    st->result.language = languages::LanguageName(source.language);
    st->result.original = st->result.output = source.text;
    if (source.text.empty()) {
      st->result.status = FileStatus::kEmpty;
      st->result.problem = "empty file: nothing to do";
      continue;
    }
    try {
      st->parsed = languages::Parse(source.language, source.text, ParseOptionsOf(source));
      st->result.style = st->parsed.style;
    } catch (const Error& e) {
      st->result.status = FileStatus::kFailed;
      st->result.problem = std::string("cannot parse: ") + e.what();
      continue;
    }

    // Decide each routine's fate in source order; the selected ones get jobs.
    std::vector<bool> wanted(st->parsed.routines.size(), false);
    std::optional<std::vector<bool>> touched;
    if (source.changes) touched = ChangedRoutines(st->parsed, *source.changes);
    bool any = false;
    const ExistingMode existing = source.existing.value_or(options_.existing);
    for (const auto& r : st->parsed.routines) {
      if (!MatchesOnly(r, options_.only) || (touched && !(*touched)[r.id])) continue;
      RoutineOutcome o{r.id, r.qualified_name, r.kind, r.start_line, RoutineStatus::kFailed, ""};
      if (r.in_error_region) {
        o.status = RoutineStatus::kSkipped;
        o.reason = ErrorRegionReason(st->parsed, r);
      } else if (!r.skip_reason.empty()) {
        o.status = RoutineStatus::kSkipped;
        o.reason = r.skip_reason;
      } else if (r.has_comment && existing == ExistingMode::kKeep) {
        o.status = RoutineStatus::kKept;
      } else if (r.has_comment && options_.cache != nullptr &&
                 options_.cache->Contains(CommentCache::Key(CacheSettings(*st->prompts, source.language), st->parsed, r))) {
        o.status = RoutineStatus::kKept;
        o.reason = "up to date: scale wrote this comment for this code (comment cache)";
      } else if (r.has_comment && existing == ExistingMode::kOwn &&
                 !(options_.is_own && options_.is_own(st->parsed.language, r.existing_comment))) {
        o.status = RoutineStatus::kKept;
        o.reason = "written by a person (--existing update rewrites it)";
      } else {
        o.human = r.has_comment && !(options_.is_own && options_.is_own(st->parsed.language, r.existing_comment));
        o.reason = "not run (interrupted)";  // replaced when its job finishes
        wanted[r.id] = any = true;
      }
      st->outcome[r.id] = st->result.routines.size();
      st->result.routines.push_back(std::move(o));
    }
    if (!any) continue;

    const size_t summary_job = jobs.size();
    engine::Job summary;
    summary.make = [this, st, budget, make_request, progress]() -> std::optional<engine::Request> {
      if (progress) progress->Start(st->result.path + ": summary");
      int shown = 0;
      auto messages = SummaryMessages(llm_, *st->prompts, st->parsed, st->result.path, budget, &shown);
      if (messages.empty()) {
        st->result.problem = "file too big to summarise in the context; commenting without a summary";
        if (progress) progress->Advance(st->result.path + ": summary");
        return std::nullopt;
      }
      int lines = 0;
      for (char c : st->parsed.text) lines += c == '\n';
      if (!st->parsed.text.empty() && st->parsed.text.back() != '\n') ++lines;
      if (shown < lines) {
        LogVerbose(st->result.path + ": too big for one request; summarising its first " + std::to_string(shown) +
                   " lines and the routine signatures");
      }
      return make_request(std::move(messages), "summary " + st->result.path, st->result.path);
    };
    summary.done = [st, progress](const engine::Response& response) {
      Account(st->result, response);
      if (response.ok()) st->summary = SanitizeProse(response.text);
      if (st->summary.empty()) {
        st->result.problem = "summary failed (" + (response.ok() ? std::string("empty answer") : FinishProblem(response)) +
                             "); commenting without it";
      }
      st->result.summary = st->summary;
      if (progress) progress->Advance(st->result.path + ": summary", response.completion_tokens);
    };
    jobs.push_back(std::move(summary));
    job_language.push_back(source.language);

    std::map<int, size_t> job_of;
    for (int id : languages::InnermostFirst(st->parsed)) {
      if (!wanted[id]) continue;
      const Routine& r = st->parsed.routines[id];
      engine::Job job;
      job.deps.push_back(summary_job);
      for (int child : r.children) {
        if (auto it = job_of.find(child); it != job_of.end()) job.deps.push_back(it->second);
      }
      std::string label = st->result.path + ": " + r.qualified_name;
      job.make = [this, st, id, budget, label, make_request, progress, retrying]() -> std::optional<engine::Request> {
        if (progress) progress->Start(label);
        std::string view = languages::RoutineView(st->parsed, id, st->new_comments);
        RoutinePrompt prompt = RoutineMessages(llm_, *st->prompts, st->parsed, id, view, st->summary, budget);
        RoutineOutcome& o = st->Outcome(id);
        if (prompt.messages.empty()) {
          o.status = RoutineStatus::kFailed;
          o.reason = prompt.problem;
          if (progress) progress->Advance(label);
          return std::nullopt;
        }
        o.reason.clear();
        if (prompt.elided_lines > 0) {
          o.reason = std::to_string(prompt.elided_lines) + " body lines elided to fit the context";
          LogVerbose(label + ": " + o.reason);
        }
        if (prompt.examples_dropped) {
          o.reason += std::string(o.reason.empty() ? "" : "; ") + "template examples left out to fit the context";
          LogVerbose(label + ": template examples left out to fit the context");
        }
        if (prompt.summary_dropped) {
          o.reason += std::string(o.reason.empty() ? "" : "; ") + "file summary left out to fit the context";
          LogVerbose(label + ": file summary left out to fit the context");
        }
        if (retrying) st->requests[id] = prompt.messages;  // a retry extends this request
        return make_request(std::move(prompt.messages), label, st->result.path);
      };
      job.done = [this, st, id, label, progress](const engine::Response& response) {
        Account(st->result, response);
        const Routine& routine = st->parsed.routines[id];
        RoutineOutcome& o = st->Outcome(id);
        std::string notes = o.reason;
        if (!response.ok()) {
          o.status = RoutineStatus::kFailed;
          o.reason = FinishProblem(response);
        } else {
          CleanComment clean = SanitizeComment(response.text, st->parsed.language, routine.signature,
                                               response.finish == engine::FinishReason::kLength);
          if (clean.ok) {
            auto request = st->requests.find(id);
            TakeAnswer(*st, id, languages::ConventionalCommentText(st->parsed, id, clean.text), options_.consistency,
                       request == st->requests.end() ? nullptr : &request->second);
          } else {
            o.status = RoutineStatus::kFailed;
            o.reason = clean.problem;
            if (!notes.empty()) o.reason += " (" + notes + ")";
          }
        }
        if (o.status == RoutineStatus::kFailed) LogVerbose(label + ": failed: " + o.reason);
        st->requests.erase(id);
        if (progress) progress->Advance(label, response.completion_tokens);
      };
      const size_t first_job = jobs.size();
      jobs.push_back(std::move(job));
      job_language.push_back(source.language);
      job_of[id] = first_job;
      if (retrying) {
        // The retry is a job of its own, run only when the first answer left problems; the
        // parent waits for it, so it is shown the final comment.
        job_of[id] = jobs.size();
        jobs.push_back(retry_job(st, id, first_job, label + " (retry)"));
        job_language.push_back(source.language);
        ++retry_jobs;
      }
    }
  }

  if (progress) progress->SetTotal(jobs.size() - retry_jobs);
  if (!options_.select_language) {
    llm_.RunJobs(jobs);
  } else {
    RunByLanguage(jobs, job_language);
  }

  std::vector<FileResult> results;
  for (auto& st : states) {
    FileResult& result = st->result;
    if (result.status == FileStatus::kOk && !st->new_comments.empty()) {
      std::vector<int> ids;
      for (const auto& [id, text] : st->new_comments) ids.push_back(id);
      std::string problem;
      try {
        // ApplyAndVerify keeps the largest set of comments it can prove; the final proof below
        // is the one that decides whether the file may change at all.
        languages::VerifiedPatch patch = languages::ApplyAndVerify(st->parsed, st->new_comments);
        for (const auto& [id, why] : patch.dropped) {
          RoutineOutcome& o = st->Outcome(id);
          o.status = RoutineStatus::kFailed;
          o.reason = "comment could not be applied safely: " + why;
        }
        if (!patch.applied.empty()) {
          languages::Verification v = options_.verify(st->parsed, patch.text, patch.applied);
          if (v.ok) {
            result.output = std::move(patch.text);
            // Read back as the next run will see them, for the record of scale's own comments.
            languages::ParsedFile after =
                languages::Parse(st->parsed.language, result.output, ParseOptionsOf(*st->source));
            for (int id : patch.applied) {
              if (static_cast<size_t>(id) < after.routines.size() && after.routines[id].has_comment) {
                result.written_comments.push_back(after.routines[id].existing_comment);
                if (options_.cache != nullptr) {
                  result.cache_keys.push_back(CommentCache::Key(CacheSettings(*st->prompts, after.language), after, after.routines[id]));
                }
              }
            }
          } else {
            problem = v.problem.empty() ? "verification failed" : v.problem;
          }
        }
        ids = patch.applied;
      } catch (const std::exception& e) {
        problem = e.what();
      }
      if (!problem.empty()) {
        // The proof failed: keep every byte of the original and say which routines are affected.
        result.status = FileStatus::kFailed;
        result.problem = "verification failed, file left untouched: " + problem;
        result.output = result.original;
        for (int id : ids) {
          RoutineOutcome& o = st->Outcome(id);
          o.status = RoutineStatus::kFailed;
          o.reason = "verification failed";
        }
      }
    }
    results.push_back(std::move(result));
  }
  return results;
}

}  // namespace scale::annotate
