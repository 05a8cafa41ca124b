#include "distill/teacher.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <optional>
#include <set>

#include <nlohmann/json.hpp>

#include "annotate/sanitize.h"
#include "distill/filters.h"
#include "languages/language.h"
#include "util/error.h"
#include "util/fault.h"
#include "util/fs.h"
#include "util/log.h"
#include "util/progress.h"
#include "util/sha256.h"
#include "util/text.h"

namespace scale::distill {
namespace {

namespace fs = std::filesystem;

// What the journal says about one key: the teacher's answer, or why it was not used.
struct Settled {
  std::string answer;
  std::string rejected;
};

std::map<std::string, Settled> ReadJournal(const fs::path& journal) {
  std::map<std::string, Settled> out;
  std::error_code ec;
  const fs::file_status st = fs::symlink_status(journal, ec);
  if (!fs::exists(st)) return out;
  // Only a plain file of ours: a link planted at the journal's name is neither read nor written.
  if (!fs::is_regular_file(st)) {
    throw Error(kExitIo, journal.string() + " is not a regular file (a link?); scale will not read or write through it");
  }
  const std::string text = ReadFile(journal, uint64_t{1} << 32);
  size_t at = 0;
  int bad = 0;
  for (size_t nl; (nl = text.find('\n', at)) != std::string::npos; at = nl + 1) {
    const nlohmann::json j = nlohmann::json::parse(text.substr(at, nl - at), nullptr, /*allow_exceptions=*/false);
    if (!j.is_object() || !j.contains("key") || !j["key"].is_string()) {
      ++bad;
      continue;
    }
    Settled s;
    if (j.contains("answer") && j["answer"].is_string()) s.answer = j["answer"].get<std::string>();
    if (j.contains("rejected") && j["rejected"].is_string()) s.rejected = j["rejected"].get<std::string>();
    if (s.answer.empty() && s.rejected.empty()) {
      ++bad;
      continue;
    }
    out[j["key"].get<std::string>()] = std::move(s);
  }
  // A kill mid-append leaves at most one torn line at the end: it is asked again.
  if (bad > 0) LogWarning(journal.string() + ": " + std::to_string(bad) + " unreadable line(s) skipped");
  return out;
}

// Appends whole lines; each is on disk before the next request's answer is taken as settled.
class JournalWriter {
 public:
  explicit JournalWriter(const fs::path& path) : path_(path) {
    fd_ = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_NOFOLLOW | O_CLOEXEC, 0644);
    if (fd_ < 0) throw Error(kExitIo, "cannot write " + path.string() + ": " + std::strerror(errno));
    // A torn last line (a kill mid-write) is closed off, so the next line starts on its own.
    const off_t end = ::lseek(fd_, 0, SEEK_END);
    char last = '\n';
    if (end > 0 && ::pread(fd_, &last, 1, end - 1) == 1 && last != '\n') Write("\n");
  }
  ~JournalWriter() {
    if (fd_ >= 0) ::close(fd_);
  }
  JournalWriter(const JournalWriter&) = delete;
  JournalWriter& operator=(const JournalWriter&) = delete;

  void Append(const nlohmann::json& j) {
    Write(j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n");
    if (::fsync(fd_) != 0) throw Error(kExitIo, "cannot write " + path_.string() + ": " + std::strerror(errno));
    FaultPoint("distill:journal-appended");
  }

 private:
  void Write(const std::string& line) {
    size_t done = 0;
    while (done < line.size()) {
      const ssize_t n = ::write(fd_, line.data() + done, line.size() - done);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) throw Error(kExitIo, "cannot write " + path_.string() + " (disk full?)");
      done += static_cast<size_t>(n);
    }
  }
  fs::path path_;
  int fd_ = -1;
};

// The teacher's answer as a row's answer, or the reason it is not one (scale comment's sanitizer,
// then harvest's filters, so a teacher row passes what a harvested one must).
Settled Judge(const engine::Response& response, const HarvestedRow& h, const HarvestOptions& options) {
  Settled s;
  const annotate::CleanComment clean = annotate::SanitizeComment(
      response.text, languages::LanguageNamed(h.language), h.row.signature,
      response.finish == engine::FinishReason::kLength);
  if (!clean.ok) {
    s.rejected = clean.problem;
    return s;
  }
  const std::string text = Trim(clean.text);
  const Verdict verdict = JudgeComment(text);
  if (verdict != Verdict::kKeep) {
    s.rejected = VerdictName(verdict);
  } else if (text.size() < options.min_chars || text.size() > options.max_chars) {
    s.rejected = text.size() < options.min_chars ? "too short" : "too long";
  } else {
    s.answer = text;
  }
  return s;
}

}  // namespace

std::string TeacherKey(const engine::Llm& teacher, const engine::SamplingParams& sampling, const HarvestedRow& h) {
  const engine::SamplingParams& p = sampling;
  std::string key = teacher.Fingerprint();
  for (double v : {static_cast<double>(p.temperature), static_cast<double>(p.top_p), static_cast<double>(p.top_k),
                   static_cast<double>(p.min_p), static_cast<double>(p.repeat_penalty),
                   static_cast<double>(p.repeat_last_n), static_cast<double>(p.seed),
                   static_cast<double>(p.max_tokens)}) {
    key += '\0' + std::to_string(v);
  }
  key += '\0' + h.root + '/' + h.source + '\0' + h.source_sha256 + '\0' + h.row.routine + '\0' +
         std::to_string(h.row.line);
  for (const engine::Message& m : h.row.messages) key += '\0' + std::to_string(static_cast<int>(m.role)) + m.content;
  return Sha256Hex(key);
}

Teaching TeachRoots(engine::Llm& teacher, const std::vector<fs::path>& roots, const HarvestOptions& options,
                    const TeacherOptions& teacher_options, Progress* progress) {
  Teaching out;
  Harvest candidates = CollectCandidates(roots, options, nullptr, /*every_routine=*/true);
  out.harvest.report = candidates.report;
  std::vector<HarvestedRow>& rows = candidates.rows;

  std::map<std::string, Settled> settled = ReadJournal(teacher_options.journal);
  std::vector<std::string> keys(rows.size());
  std::vector<size_t> to_ask;
  for (size_t i = 0; i < rows.size(); ++i) {
    keys[i] = TeacherKey(teacher, teacher_options.sampling, rows[i]);
    if (settled.count(keys[i])) {
      ++out.teacher.reused;
    } else {
      to_ask.push_back(i);
    }
  }
  if (progress) progress->SetTotal(to_ask.size());

  JournalWriter journal(teacher_options.journal);
  std::vector<engine::Job> jobs;
  for (size_t i : to_ask) {
    engine::Job job;
    job.make = [&, i]() -> std::optional<engine::Request> {
      engine::Request r;
      r.messages = rows[i].row.messages;
      r.sampling = teacher_options.sampling;
      r.time_limit_s = teacher_options.time_limit_s;
      r.id = rows[i].root + "/" + rows[i].source + ":" + rows[i].row.routine;
      r.affinity = rows[i].root + "/" + rows[i].source;
      return r;
    };
    job.done = [&, i](const engine::Response& response) {
      ++out.teacher.asked;
      if (progress) progress->Advance(rows[i].source, response.completion_tokens);
      // A request that did not finish (cancelled, timed out, an engine error) is not settled:
      // a resumed run asks it again.
      if (!response.ok()) {
        LogVerbose(rows[i].source + ":" + rows[i].row.routine + ": " + response.error);
        ++out.teacher.rejected[std::string("teacher: ") + engine::FinishReasonName(response.finish)];
        return;
      }
      Settled s = Judge(response, rows[i], options);
      nlohmann::json line = {{"key", keys[i]}, {"routine", rows[i].root + "/" + rows[i].source + ":" + rows[i].row.routine}};
      if (s.answer.empty()) {
        line["rejected"] = s.rejected;
      } else {
        line["answer"] = s.answer;
      }
      journal.Append(line);
      settled[keys[i]] = std::move(s);
    };
    jobs.push_back(std::move(job));
  }
  teacher.RunJobs(jobs);
  out.teacher.interrupted = teacher.cancelled();

  // The rows in harvest order, whatever order the answers came in.
  const std::string name = teacher.ModelName();
  for (size_t i = 0; i < rows.size(); ++i) {
    auto it = settled.find(keys[i]);
    if (it == settled.end()) continue;
    if (it->second.answer.empty()) {
      ++out.teacher.rejected[it->second.rejected];
      continue;
    }
    HarvestedRow h = std::move(rows[i]);
    h.row.answer = it->second.answer;
    h.teacher = name;
    out.harvest.rows.push_back(std::move(h));
  }
  out.teacher.kept = static_cast<int>(out.harvest.rows.size());
  SplitByFile(&out.harvest.rows, options, &out.harvest.report);
  return out;
}

}  // namespace scale::distill
