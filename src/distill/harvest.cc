#include "distill/harvest.h"

#include <algorithm>
#include <atomic>
#include <exception>
#include <mutex>
#include <thread>
#include <utility>
#include <optional>
#include <set>
#include <tuple>

#include "annotate/config.h"
#include "annotate/input.h"
#include "distill/filters.h"
#include "distill/split.h"
#include "util/error.h"
#include "util/log.h"
#include "util/progress.h"
#include "util/sha256.h"
#include "util/text.h"
#include "walk/walker.h"

namespace scale::distill {
namespace {

namespace fs = std::filesystem;

struct Root {
  fs::path path;
  std::string name;
};

std::vector<Root> NameRoots(const std::vector<fs::path>& roots) {
  if (roots.empty()) throw Error(kExitUsage, "scale distill needs at least one DIR");
  std::vector<Root> out;
  std::set<std::string> names;
  for (const fs::path& root : roots) {
    std::error_code ec;
    if (!fs::is_directory(root, ec)) throw Error(kExitInput, root.string() + ": not a directory");
    fs::path canonical = fs::canonical(root, ec);
    std::string name = ec ? root.filename().string() : canonical.filename().string();
    if (name.empty()) name = ec ? root.string() : canonical.string();
    if (!names.insert(name).second) {
      throw Error(kExitUsage, "two harvest roots are named " + name + " (rows name their files by root name + path)");
    }
    out.push_back({root, name});
  }
  std::sort(out.begin(), out.end(), [](const Root& a, const Root& b) { return a.name < b.name; });
  return out;
}

const char* RoleName(engine::Role role) {
  switch (role) {
    case engine::Role::kSystem: return "system";
    case engine::Role::kUser: return "user";
    case engine::Role::kAssistant: return "assistant";
  }
  return "user";
}

}  // namespace

namespace {

// What one file gives: its candidate rows and its share of the report.
struct FileOutcome {
  std::vector<HarvestedRow> candidates;
  std::map<std::string, int> dropped;
  int routines = 0, commented = 0;
  bool unparsable = false;
  std::string problem;  // why it could not be parsed
};

FileOutcome HarvestFile(const Root& root, const walk::File& f, const annotate::Prompts& prompts,
                        const HarvestOptions& options, bool every_routine) {
  FileOutcome out;
  const languages::Language language = *languages::LanguageForPath(f.rel);
  languages::ParsedFile parsed;
  try {
    parsed = languages::Parse(language, f.text, languages::ParseOptionsForPath(f.rel));
  } catch (const Error& e) {
    out.unparsable = true;
    out.problem = e.what();
    return out;
  }
  out.routines = static_cast<int>(parsed.routines.size());
  const std::string source_sha = Sha256Hex(f.text);
  const std::string template_sha = Sha256Hex(Sha256Hex(prompts.system) + Sha256Hex(prompts.Template(language)));
  for (const languages::Routine& r : parsed.routines) {
    if (r.has_comment) ++out.commented;
    if (!every_routine) {
      if (!r.has_comment) continue;
      // The cheap judgements first: the row itself needs the file re-parsed without the comment.
      const Verdict verdict = JudgeComment(r.existing_comment);
      if (verdict != Verdict::kKeep) {
        ++out.dropped[VerdictName(verdict)];
        continue;
      }
      const size_t chars = Trim(r.existing_comment).size();
      if (chars < options.min_chars || chars > options.max_chars) {
        ++out.dropped[chars < options.min_chars ? "too short" : "too long"];
        continue;
      }
    }
    std::string why;
    std::optional<RoutineRow> row = MakeRoutineRow(parsed, r.id, prompts, &why);
    if (!row) {
      ++out.dropped[why];
      continue;
    }
    if (row->view_chars > options.max_routine_chars) {
      ++out.dropped["routine too long"];
      continue;
    }
    row->answer = every_routine ? std::string() : Trim(row->answer);
    HarvestedRow h;
    h.row = std::move(*row);
    h.root = root.name;
    h.source = f.rel;
    h.language = languages::LanguageName(language);
    h.source_sha256 = source_sha;
    h.template_sha256 = template_sha;
    out.candidates.push_back(std::move(h));
  }
  return out;
}

}  // namespace

Harvest CollectCandidates(const std::vector<fs::path>& roots, const HarvestOptions& options, Progress* progress,
                          bool every_routine) {
  const std::vector<Root> named = NameRoots(roots);
  walk::Options wo;
  wo.read_contents = true;
  wo.max_file_bytes = options.max_file_bytes;
  wo.skip_hidden = true;
  wo.skip_dir = annotate::IsSkippedDirectory;
  wo.want_file = [](const std::string& rel) { return languages::LanguageForPath(rel).has_value(); };

  Harvest out;
  HarvestReport& report = out.report;
  std::vector<walk::Result> walked;
  std::vector<languages::Language> used;
  std::vector<std::pair<const Root*, const walk::File*>> files;  // in root, then walk order
  for (const Root& root : named) {
    walked.push_back(walk::Walk({root.path}, wo));
    for (const auto& s : walked.back().skipped) ++report.skipped_files[s.reason];
  }
  for (size_t i = 0; i < named.size(); ++i) {
    for (const auto& f : walked[i].files) {
      files.emplace_back(&named[i], &f);
      languages::Language l = *languages::LanguageForPath(f.rel);
      if (std::find(used.begin(), used.end(), l) == used.end()) used.push_back(l);
    }
  }
  if (used.empty()) return out;
  const annotate::Prompts prompts = annotate::LoadPrompts(options.config_dir, used);
  if (progress) progress->SetTotal(files.size());

  // Files are independent (parsers are per thread): workers take the next file, results are merged
  // in file order, so the thread count never changes the output.
  std::vector<FileOutcome> outcomes(files.size());
  std::atomic<size_t> next{0};
  std::mutex progress_mutex;
  auto work = [&] {
    for (size_t k = next++; k < files.size(); k = next++) {
      outcomes[k] = HarvestFile(*files[k].first, *files[k].second, prompts, options, every_routine);
      if (progress) {
        std::lock_guard<std::mutex> lock(progress_mutex);
        progress->Advance(files[k].first->name + "/" + files[k].second->rel);
      }
    }
  };
  const int threads = std::max(1, std::min<int>(options.threads, static_cast<int>(files.size())));
  std::vector<std::thread> pool;
  std::exception_ptr failure;
  std::mutex failure_mutex;
  // The first failure stops every worker (no file is taken after it) and is rethrown here.
  auto guarded = [&] {
    try {
      work();
    } catch (...) {
      std::lock_guard<std::mutex> lock(failure_mutex);
      if (!failure) failure = std::current_exception();
      next = files.size();
    }
  };
  for (int t = 1; t < threads; ++t) pool.emplace_back(guarded);
  guarded();
  for (auto& t : pool) t.join();
  if (failure) std::rethrow_exception(failure);

  std::vector<HarvestedRow>& candidates = out.rows;
  for (size_t k = 0; k < files.size(); ++k) {
    FileOutcome& o = outcomes[k];
    ++report.files;
    if (o.unparsable) {
      ++report.skipped_files["unparsable"];
      LogVerbose((files[k].first->path / files[k].second->rel).string() + ": " + o.problem);
      continue;
    }
    report.routines += o.routines;
    report.commented += o.commented;
    for (const auto& [why, n] : o.dropped) report.dropped[why] += n;
    for (auto& h : o.candidates) candidates.push_back(std::move(h));
  }
  std::stable_sort(candidates.begin(), candidates.end(), [](const HarvestedRow& a, const HarvestedRow& b) {
    return std::tie(a.root, a.source, a.row.line, a.row.routine) < std::tie(b.root, b.source, b.row.line, b.row.routine);
  });
  return out;
}

void SplitByFile(std::vector<HarvestedRow>* rows, const HarvestOptions& options, HarvestReport* report) {
  std::set<std::string> train_files, eval_files, files_with_rows;
  report->train_rows = report->eval_rows = 0;
  report->languages.clear();
  for (HarvestedRow& h : *rows) {
    const std::string file_key = h.root + "/" + h.source;
    h.held_out = HeldOutFile(options.seed, file_key, options.holdout);
    (h.held_out ? eval_files : train_files).insert(file_key);
    files_with_rows.insert(file_key);
    ++(h.held_out ? report->eval_rows : report->train_rows);
    ++report->languages[h.language];
  }
  report->files_with_rows = static_cast<int>(files_with_rows.size());
  report->train_files = static_cast<int>(train_files.size());
  report->eval_files = static_cast<int>(eval_files.size());
}

Harvest HarvestRoots(const std::vector<fs::path>& roots, const HarvestOptions& options, Progress* progress) {
  Harvest out = CollectCandidates(roots, options, progress, false);
  HarvestReport& report = out.report;
  std::vector<HarvestedRow> candidates = std::move(out.rows);
  out.rows.clear();

  // Dedup in that order (the first copy stays), then the split by file.
  std::set<std::string> exact, near;
  for (HarvestedRow& h : candidates) {
    const std::string exact_key = Sha256Hex(h.row.answer + '\0' + h.row.code);
    const std::string near_key = Sha256Hex(NearForm(h.row.answer) + '\0' + NearForm(h.row.code));
    const bool dup = !exact.insert(exact_key).second;
    const bool near_dup = !near.insert(near_key).second;
    if (dup || near_dup) {
      ++report.dropped[dup ? "duplicate" : "near duplicate"];
      continue;
    }
    out.rows.push_back(std::move(h));
  }
  SplitByFile(&out.rows, options, &report);
  return out;
}

nlohmann::json RowJson(const HarvestedRow& h) {
  nlohmann::json messages = nlohmann::json::array();
  for (const auto& m : h.row.messages) messages.push_back({{"role", RoleName(m.role)}, {"content", m.content}});
  nlohmann::json j = {{"messages", messages},
          {"answer", h.row.answer},
          {"split", h.held_out ? "eval" : "train"},
          {"meta",
           {{"from", h.teacher.empty() ? "harvest" : "teacher"},
            {"root", h.root},
            {"source", h.source},
            {"language", h.language},
            {"routine", h.row.routine},
            {"kind", h.row.kind},
            {"line", h.row.line},
            {"source_sha256", h.source_sha256},
            {"template_sha256", h.template_sha256},
            {"summary", "none"}}}};
  if (!h.teacher.empty()) j["meta"]["teacher"] = h.teacher;
  return j;
}

std::string RowsJsonl(const std::vector<HarvestedRow>& rows) {
  std::string out;
  for (const HarvestedRow& h : rows) {
    out += RowJson(h).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    out += '\n';
  }
  return out;
}

nlohmann::json ReportJson(const HarvestReport& r) {
  return {{"files", r.files},           {"files_with_rows", r.files_with_rows}, {"routines", r.routines},
          {"commented", r.commented},   {"rows", r.rows()},                     {"train_rows", r.train_rows},
          {"eval_rows", r.eval_rows},   {"train_files", r.train_files},         {"eval_files", r.eval_files},
          {"dropped", r.dropped},       {"skipped_files", r.skipped_files},     {"languages", r.languages}};
}

std::string ReportText(const HarvestReport& r) {
  auto n = [](int count, const char* what) { return std::to_string(count) + " " + what + (count == 1 ? "" : "s"); };
  auto counts = [](const std::map<std::string, int>& m) {
    std::vector<std::string> parts;
    for (const auto& [k, v] : m) parts.push_back(k + " " + std::to_string(v));
    return parts.empty() ? std::string("none") : Join(parts, ", ");
  };
  std::string out;
  out += n(r.rows(), "row") + " from " + std::to_string(r.files_with_rows) + " of " + n(r.files, "file") + " (" +
         counts(r.languages) + ")\n";
  out += "split by file: train " + n(r.train_rows, "row") + " (" + n(r.train_files, "file") + "), held out " +
         n(r.eval_rows, "row") + " (" + n(r.eval_files, "file") + ")\n";
  out += "routines " + std::to_string(r.routines) + ", with a doc comment " + std::to_string(r.commented) + "\n";
  out += "dropped: " + counts(r.dropped) + "\n";
  if (!r.skipped_files.empty()) out += "files skipped: " + counts(r.skipped_files) + "\n";
  return out;
}

}  // namespace scale::distill
