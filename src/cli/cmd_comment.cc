// `scale comment`: writes or updates one comment per routine of source files (languages/registry.cc).
// Output modes: stdout (one file), -o FILE|DIR, -i (atomic, with an undo journal), --diff, and
// --check (lists routines without a comment, or with --consistency comments that contradict their
// code; loads no model). The work itself is annotate/ and consistency/.
#include <cstdio>
#include <filesystem>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "annotate/changed.h"
#include "annotate/comment_cache.h"
#include "annotate/config.h"
#include "annotate/input.h"
#include "annotate/own_comments.h"
#include "annotate/pipeline.h"
#include "annotate/report.h"
#include "annotate/write_back.h"
#include "cli/comment_config.h"
#include "cli/commands.h"
#include "cli/file_config.h"
#include "cli/model_options.h"
#include "consistency/consistency.h"
#include "engine/file_hash.h"
#include "engine/llama_engine.h"
#include "models/http.h"
#include "util/diff.h"
#include "util/error.h"
#include "util/fs.h"
#include "util/json_text.h"
#include "util/log.h"
#include "util/progress.h"
#include "util/size.h"
#include "walk/shard.h"

namespace scale::cli {
namespace {
namespace fs = std::filesystem;
using annotate::FileResult;
using annotate::FileStatus;

struct CommentArgs {
  ModelOptions model;
  std::vector<std::string> paths;
  std::string config;
  std::string output;
  bool in_place = false;
  bool diff = false;
  bool check = false;
  bool json = false;
  bool sarif = false;
  std::string assume_filename;  // with `-` (stdin): the buffer's path (language, config, reports)
  std::string format;  // with --check, --format is the report's: text|json|sarif|github (see Run)
  std::string consistency;  // "" (not given), "on" (bare --consistency), or a policy name
  std::string existing;  // --existing; "" = each file's project config, else "own"
  bool force_exclude = false;  // --force-exclude: the config's exclude applies to files named explicitly
  std::vector<std::string> only;
  std::string language;
  std::string max_file_size = "2M";
  std::string shard;  // --shard I/N (walk/shard.h)
  std::string changed;  // --changed[=REF]: "true" when bare (the default base), else the REF
  bool no_cache = false;  // --no-cache: ask about every selected routine, whatever the comment cache says
};

void ApplyLogLevelWithoutModel(const ModelOptions& opts) {
  if (opts.quiet) SetLogLevel(LogLevel::kQuiet);
  else if (opts.verbosity >= 2) SetLogLevel(LogLevel::kDebug);
  else if (opts.verbosity == 1) SetLogLevel(LogLevel::kVerbose);
}

struct Loaded {
  std::vector<annotate::SourceFile> sources;  // readable files, in input order
  std::vector<FileResult> refused;            // unreadable ones (reported, never touched)
  std::vector<std::pair<bool, size_t>> order;  // per input: (refused?, index into sources / refused)
  std::map<std::string, FileStamp> stamps;     // what each readable file was when read, by path
  std::vector<fs::path> templates;             // per source: its config's templates folder ("" = none)
};

// What a file's own project config says (file_config.h): how to parse it, which templates, and
// (unless --existing was given) what to do with its existing comments.
annotate::SourceFile Source(const CommentArgs& args, ProjectFiles& project, const std::string& path,
                            languages::Language language, std::string text, Loaded* loaded) {
  const FileConfig& fc = project.For(path);
  annotate::SourceFile source{path, language, std::move(text), ParseOptionsFor(path, language, fc.parse)};
  if (args.existing.empty()) source.existing = fc.existing;
  loaded->templates.push_back(args.config.empty() ? fc.templates : fs::path());
  return source;
}

Loaded LoadInputs(const CommentArgs& args, ProjectFiles& project, const std::vector<annotate::InputFile>& inputs,
                  uint64_t max_bytes) {
  Loaded loaded;
  for (const auto& in : inputs) {
    std::string path = in.path.string();
    std::string problem;
    std::string text;
    FileStamp stamp;
    try {
      text = ReadFileStamped(in.path, max_bytes, &stamp);
      if (auto p = annotate::TextProblem(text)) problem = *p;
    } catch (const Error& e) {
      problem = e.what();
      if (problem.rfind(path + ": ", 0) == 0) problem = problem.substr(path.size() + 2);
    }
    if (problem.empty() && !in.language) problem = "unknown language (use --language: " + languages::LanguageNames() + ")";
    if (!problem.empty()) {
      loaded.order.emplace_back(true, loaded.refused.size());
      loaded.refused.push_back(annotate::RefusedFile(path, problem));
      continue;
    }
    loaded.order.emplace_back(false, loaded.sources.size());
    loaded.stamps[path] = std::move(stamp);
    loaded.sources.push_back(Source(args, project, path, *in.language, std::move(text), &loaded));
  }
  return loaded;
}

// `scale comment -`: the buffer on stdin, as an editor or script hands it over (clang-format's
// convention). Nothing is written but stdout, so no stamp is kept.
Loaded LoadStdin(const CommentArgs& args, ProjectFiles& project, const std::string& path, languages::Language language,
                 uint64_t max_bytes) {
  std::string text;
  char buf[65536];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, stdin)) > 0) {
    text.append(buf, n);
    if (text.size() > max_bytes) throw Error(kExitInput, path + ": stdin is larger than --max-file-size");
  }
  if (std::ferror(stdin)) throw Error(kExitInput, path + ": cannot read stdin");
  if (auto problem = annotate::TextProblem(text)) throw Error(kExitInput, path + ": " + *problem);
  Loaded loaded;
  loaded.order.emplace_back(false, 0);
  loaded.sources.push_back(Source(args, project, path, language, std::move(text), &loaded));
  return loaded;
}

// Results in input order, merging refused files back in.
std::vector<FileResult> InInputOrder(const Loaded& loaded, std::vector<FileResult> processed) {
  std::vector<FileResult> all;
  for (const auto& [refused, idx] : loaded.order) {
    all.push_back(refused ? loaded.refused[idx] : std::move(processed[idx]));
  }
  return all;
}

// One finding of --check: a routine without a comment, or (--consistency) a comment that
// contradicts its routine's code.
struct CheckFinding {
  std::string path;
  int line = 0;
  std::string rule;  // "missing-comment" or a consistency rule id
  std::string text;  // the report line after "path:line: "
  nlohmann::json json;
};

int LineOf(const std::string& text, size_t offset) {
  int line = 1;
  for (size_t i = 0; i < offset && i < text.size(); ++i) line += text[i] == '\n';
  return line;
}

std::vector<CheckFinding> CheckFile(const CommentArgs& args, const annotate::SourceFile& src,
                                    const languages::ParsedFile& parsed) {
  std::vector<CheckFinding> out;
  std::optional<std::vector<bool>> touched;
  if (src.changes) touched = annotate::ChangedRoutines(parsed, *src.changes);
  if (args.consistency.empty()) {
    for (const auto& m : annotate::FindMissingComments(parsed, args.only, touched ? &*touched : nullptr)) {
      nlohmann::json j = {{"name", m.name}, {"kind", m.kind}, {"line", m.line}};
      if (!m.note.empty()) j["note"] = m.note;
      out.push_back({src.path, m.line, "missing-comment",
                     m.kind + " " + m.name + " has no comment" + (m.note.empty() ? "" : " (scale cannot add one: " + m.note + ")"),
                     std::move(j)});
    }
    return out;
  }
  for (const auto& r : parsed.routines) {
    // A comment scale would not touch (data such as doctests) or inside a syntax error is not linted.
    if (!r.has_comment || !annotate::MatchesOnly(r, args.only) || !languages::Patchable(r)) continue;
    if (touched && !(*touched)[r.id]) continue;
    for (const auto& f : consistency::Check(parsed.language, r, r.existing_comment)) {
      int line = LineOf(parsed.text, r.comment_begin);
      out.push_back({src.path, line, f.rule, r.kind + " " + r.qualified_name + ": " + f.message + " [" + f.rule + "]",
                     {{"name", r.qualified_name}, {"kind", r.kind}, {"line", line}, {"rule", f.rule}, {"message", f.message}}});
    }
  }
  return out;
}

// SARIF 2.1.0, the format code-scanning tools read: one run, a rule per id, a result per finding.
// Locations are URI references, so a path's spaces, line breaks and non-UTF-8 bytes are
// percent-encoded.
nlohmann::json Sarif(const std::vector<CheckFinding>& findings) {
  nlohmann::json rules = nlohmann::json::array();
  rules.push_back({{"id", "missing-comment"}, {"shortDescription", {{"text", "a routine without a doc comment"}}}});
  for (const auto& rule : consistency::Rules()) {
    rules.push_back({{"id", std::string(rule.id)}, {"shortDescription", {{"text", std::string(rule.summary)}}}});
  }
  nlohmann::json results = nlohmann::json::array();
  for (const auto& f : findings) {
    nlohmann::json location = {{"physicalLocation",
                                {{"artifactLocation", {{"uri", models::UrlEncode(f.path, true)}}},
                                 {"region", {{"startLine", f.line}}}}}};
    results.push_back({{"ruleId", f.rule}, {"level", "warning"}, {"message", {{"text", f.text}}},
                       {"locations", nlohmann::json::array({location})}});
  }
  nlohmann::json driver = {{"name", "scale"}, {"version", SCALE_VERSION}, {"rules", rules}};
  return {{"version", "2.1.0"},
          {"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
          {"runs", nlohmann::json::array({{{"tool", {{"driver", driver}}}, {"results", results}}})}};
}

// GitHub Actions workflow commands: the runner turns each line into an annotation on the pull
// request. Its escaping: %, CR and LF in the message; also ':' and ',' in property values.
std::string GithubEscape(const std::string& text, bool property) {
  std::string out;
  for (char c : text) {
    if (c == '%') out += "%25";
    else if (c == '\r') out += "%0D";
    else if (c == '\n') out += "%0A";
    else if (property && c == ':') out += "%3A";
    else if (property && c == ',') out += "%2C";
    else out += c;
  }
  return out;
}

std::string GithubAnnotation(const CheckFinding& f) {
  return "::warning file=" + GithubEscape(f.path, true) + ",line=" + std::to_string(f.line) +
         ",title=" + GithubEscape("scale " + f.rule, true) + "::" + GithubEscape(f.text, false);
}

int RunCheck(const CommentArgs& args, const Loaded& loaded, const nlohmann::json& shard_report) {
  nlohmann::json files = nlohmann::json::array();
  bool failed_any = false;
  std::vector<CheckFinding> all;
  const char* key = args.consistency.empty() ? "missing" : "findings";
  for (const auto& src : loaded.sources) {
    nlohmann::json f = {{"path", JsonSafe(std::string_view(src.path))}, {"language", languages::LanguageName(src.language)}};
    try {
      languages::ParsedFile parsed = languages::Parse(src.language, src.text, annotate::ParseOptionsOf(src));
      nlohmann::json list = nlohmann::json::array();
      for (auto& finding : CheckFile(args, src, parsed)) {
        list.push_back(finding.json);
        all.push_back(std::move(finding));
      }
      f[key] = list;
    } catch (const Error& e) {
      failed_any = true;
      f["error"] = e.what();
      LogWarning(src.path + ": cannot parse: " + e.what());
    }
    files.push_back(std::move(f));
  }
  for (const auto& r : loaded.refused) {
    failed_any = true;
    files.push_back({{"path", JsonSafe(std::string_view(r.path))}, {"error", r.problem}});
    LogWarning(r.path + ": " + r.problem);
  }
  const bool found = !all.empty();
  if (args.format == "github") {
    for (const auto& f : all) std::printf("%s\n", GithubAnnotation(f).c_str());
  } else if (args.sarif) {
    std::printf("%s\n", Sarif(all).dump(2, ' ', false, nlohmann::json::error_handler_t::replace).c_str());
  } else if (args.json) {
    nlohmann::json report = {{"files", files}, {key, found}};
    report.update(shard_report);
    std::printf("%s\n", report.dump(2, ' ', false, nlohmann::json::error_handler_t::replace).c_str());
  } else {
    for (const auto& f : all) std::printf("%s:%d: %s\n", f.path.c_str(), f.line, f.text.c_str());
    if (!found) LogInfo(args.consistency.empty() ? "all routines have a comment" : "every comment agrees with its code");
  }
  return found || failed_any ? kExitWorkFailed : kExitOk;
}

// -o: FILE for one input, else a tree under DIR. An output that is one of the inputs (`-o .`) is
// written as -i writes: journaled, and only if unchanged since it was read.
void WriteOutputs(const CommentArgs& args, bool several, const Loaded& loaded, std::vector<FileResult>& results,
                  nlohmann::json& report) {
  std::error_code ec;
  bool to_dir = several || fs::is_directory(args.output, ec);
  std::vector<std::string> inputs;
  for (const auto& r : results) inputs.push_back(r.path);
  std::vector<fs::path> targets = to_dir ? annotate::OutputPaths(args.output, inputs)
                                         : std::vector<fs::path>(results.size(), fs::path(args.output));
  std::vector<FileResult> in_place;
  std::vector<size_t> in_place_index;
  for (size_t i = 0; i < results.size(); ++i) {
    FileResult& r = results[i];
    if (r.status == FileStatus::kRefused) continue;
    if (annotate::SameFile(targets[i], r.path)) {
      in_place.push_back(r);
      in_place_index.push_back(i);
      continue;
    }
    if (to_dir) fs::create_directories(targets[i].parent_path(), ec);
    WriteFileAtomic(WriteTarget(targets[i]), r.output);
  }
  if (in_place.empty()) return;
  annotate::InPlaceReport written = annotate::WriteInPlace(in_place, loaded.stamps, CacheDir() / "undo");
  for (size_t k = 0; k < in_place.size(); ++k) results[in_place_index[k]] = std::move(in_place[k]);
  report = annotate::ReportJson(results);
  if (written.written) {
    LogInfo("-o names " + std::to_string(written.written) + " of the inputs: rewrote them in place; undo with: scale undo " +
            written.undo_run);
    report["undo_run"] = written.undo_run;
  }
}

void Run(CommentArgs args) {  // a copy: --format resolves into --json/--sarif
  ApplyLogLevelWithoutModel(args.model);
  int modes = !args.output.empty() + args.in_place + args.diff + args.check;
  if (modes > 1) throw Error(kExitUsage, "choose one of -o, -i/--in-place, --diff and --check");
  std::optional<languages::Language> language;
  if (!args.language.empty()) {
    language = languages::ParseLanguageName(args.language);
    if (!language) throw Error(kExitUsage, "--language must be one of " + languages::LanguageNames() + " (got '" + args.language + "')");
  }
  const uint64_t max_bytes = ParseByteSize(args.max_file_size, "--max-file-size");
  const std::optional<walk::Shard> shard = args.shard.empty() ? std::nullopt : std::optional(walk::ParseShard(args.shard));

  const bool from_stdin = args.paths.size() == 1 && args.paths[0] == "-";
  if (!from_stdin && !args.assume_filename.empty()) throw Error(kExitUsage, "--assume-filename goes with - (stdin)");
  if (from_stdin) {
    if (args.in_place || !args.output.empty() || shard || !args.changed.empty()) {
      throw Error(kExitUsage, "- (stdin) is answered on stdout: -i, -o, --shard and --changed do not apply");
    }
    if (!language && !args.assume_filename.empty()) language = languages::LanguageForPath(args.assume_filename);
    if (!language) {
      throw Error(kExitUsage, "- (stdin) needs --assume-filename PATH (its extension names the language) or --language");
    }
  }
  std::vector<annotate::InputFile> inputs =
      from_stdin ? std::vector<annotate::InputFile>{{args.assume_filename.empty() ? "<stdin>" : args.assume_filename, language}}
                 : annotate::CollectInputs(args.paths, language);
  if (inputs.empty()) throw Error(kExitInput, "no source files of a known language (" + languages::LanguageNames() + ") found in the given directories");
  bool any_dir = false;
  for (const auto& in : inputs) any_dir |= in.from_directory;
  const bool several = inputs.size() > 1 || any_dir;
  // Each file's nearest project config (.scale.toml or pyproject.toml [tool.scale]) says whether
  // it is in: include/exclude narrow what the walk found; named files only with --force-exclude.
  ProjectFiles project;
  if (!from_stdin) {
    const size_t found = inputs.size();
    std::erase_if(inputs, [&](const annotate::InputFile& in) {
      std::optional<std::string> why = project.LeftOut(in.path, in.from_directory, args.force_exclude);
      if (why) LogVerbose(in.path.string() + ": left out: " + *why);
      return why.has_value();
    });
    if (inputs.empty()) LogInfo("nothing to do: the project config leaves out every input (comment.include/exclude)");
    else if (inputs.size() < found) LogVerbose(std::to_string(found - inputs.size()) + " of " + std::to_string(found) +
                                                " inputs left out by the project config");
  }
  const bool to_stdout = modes == 0;
  if (to_stdout && several) {
    throw Error(kExitUsage, "several input files: use -i/--in-place, --diff, -o DIR or --check");
  }
  // --shard I/N: this CI job's part of the files (docs/sharding.md); modes were checked on all of them.
  nlohmann::json shard_report = nlohmann::json::object();
  const size_t named_inputs = inputs.size();
  if (shard) {
    const size_t others = walk::KeepShard(*shard, std::vector<fs::path>(args.paths.begin(), args.paths.end()), &inputs,
                                          [](const annotate::InputFile& f) { return f.path; });
    shard_report = {{"shard", shard->Text()}, {"other_shards_files", others}};
  }
  // --changed: only files (and below, routines) that git says changed since the base.
  std::map<std::string, walk::FileChanges> changes;
  if (!args.changed.empty()) changes = annotate::KeepChanged(args.changed == "true" ? "" : args.changed, &inputs);
  Loaded loaded = from_stdin ? LoadStdin(args, project, inputs[0].path.string(), *language, max_bytes)
                             : LoadInputs(args, project, inputs, max_bytes);
  for (auto& source : loaded.sources) {
    if (auto it = changes.find(source.path); it != changes.end()) source.changes = it->second;
  }
  // A single unusable input is bad input (exit 4), not a partial failure.
  if (named_inputs == 1 && !loaded.refused.empty()) {
    throw Error(kExitInput, loaded.refused[0].path + ": " + loaded.refused[0].problem);
  }
  // --format names the chat format of a generating run; --check runs no model, so there it names
  // the report's format (the convention of linters' --format), with --json and --sarif as aliases.
  if (args.check) args.format = args.model.Given("format");
  if (!args.format.empty()) {
    if (args.format != "text" && args.format != "json" && args.format != "sarif" && args.format != "github") {
      throw Error(kExitUsage, "with --check, --format is text, json, sarif or github (got '" + args.format + "')");
    }
    if ((args.sarif && args.format != "sarif") || (args.json && args.format != "json")) {
      throw Error(kExitUsage, "--format " + args.format + " contradicts --sarif/--json");
    }
    args.sarif = args.format == "sarif";
    args.json = args.format == "json";
  }
  if (args.sarif && !args.check) throw Error(kExitUsage, "--sarif goes with --check");
  consistency::Policy policy = consistency::Policy::kRetry;
  if (!args.consistency.empty() && args.consistency != "on") {
    auto p = consistency::ParsePolicy(args.consistency);
    if (!p) throw Error(kExitUsage, "--consistency must be repair, retry, strict or off (got '" + args.consistency + "')");
    if (args.check) throw Error(kExitUsage, "--check takes --consistency without a policy");
    policy = *p;
  }
  if (args.check) {
    SetExitStatus(RunCheck(args, loaded, shard_report));
    return;
  }

  std::set<languages::Language> needed;
  for (const auto& s : loaded.sources) needed.insert(s.language);
  const std::vector<languages::Language> needed_list(needed.begin(), needed.end());
  annotate::Prompts prompts = annotate::LoadPrompts(annotate::FindConfigDir(args.config), needed_list);
  // A project's templates folder (--config wins over it) overrides the files it has, per config.
  std::map<fs::path, annotate::Prompts> project_prompts;
  for (size_t i = 0; i < loaded.sources.size(); ++i) {
    const fs::path& dir = loaded.templates[i];
    if (dir.empty()) continue;
    auto it = project_prompts.find(dir);
    if (it == project_prompts.end()) {
      it = project_prompts.emplace(dir, annotate::LoadPromptsOver(prompts, dir, needed_list)).first;
      LogVerbose("templates from " + dir.string());
    }
    loaded.sources[i].prompts = &it->second;
  }
  // Run-level settings come from the current directory's config only: say so when another
  // config that governs some inputs sets them, rather than ignoring them silently.
  const auto current = project.Current();
  for (const auto& c : project.Seen()) {
    if (c && c->HasRunSettings() && (!current || current->path != c->path)) {
      LogWarning(c->path + ": its profile, [engine], [lora] and backends do not apply to this run, which takes them from " +
                 (current ? current->path : std::string("no config")) + " (the current directory's); its [comment] settings do");
    }
  }
  annotate::AnnotateOptions options;
  options.existing = ParseExisting(args.existing);
  annotate::OwnComments own(CacheDir() / "own-comments");
  options.is_own = [&own](languages::Language lang, const std::string& prose) { return own.Contains(lang, prose); };
  options.only = args.only;
  options.consistency = policy;
  annotate::CommentCache cache(CacheDir() / "comment-cache");
  if (!args.no_cache) options.cache = &cache;
  options.sampling = args.model.sampling;
  options.time_limit_s = args.model.time_limit_s;

  std::vector<FileResult> processed;
  bool interrupted = false;
  bool needs_model = false;
  for (const auto& s : loaded.sources) needs_model |= !s.text.empty();
  if (needs_model) {
    settings::LoraByLanguage per_language;
    std::unique_ptr<engine::Llm> llm = OpenLlm(args.model, &per_language);
    if (!per_language.empty()) {
      auto* engine = dynamic_cast<engine::LlamaEngine*>(llm.get());
      if (engine == nullptr) throw Error(kExitUsage, "per-language LoRA adapters need the llama.cpp engine");
      const ModelOptions& model_options = args.model;
      // Adapters apply to the whole context, so each language's routines run as one batch.
      options.select_language = [engine, &model_options, &per_language](languages::Language lang) {
        auto adapters = AdaptersFor(model_options, per_language, languages::LanguageName(lang));
        LogVerbose(std::string("adapters for ") + languages::LanguageName(lang) + ": " +
                   (adapters.empty() ? std::string("none") : std::to_string(adapters.size())));
        engine->SetActiveLoras(adapters);
      };
      // Adapters switch per language, so the cache knows each language's by their files.
      options.model_identity = [base = llm->Fingerprint(), &model_options, &per_language](languages::Language lang) {
        std::string identity = base;
        for (const auto& a : AdaptersFor(model_options, per_language, languages::LanguageName(lang))) {
          identity += "|lora:" + engine::FileIdentity(a.path) + "@" + std::to_string(a.scale);
        }
        return identity;
      };
    }
    InterruptGuard guard(llm.get());
    Progress progress("comment", 0);
    annotate::Annotator annotator(*llm, prompts, options);
    processed = annotator.Run(loaded.sources, &progress);
    progress.Finish();
    interrupted = guard.interrupted();
  } else {
    for (const auto& s : loaded.sources) {
      processed.push_back(annotate::RefusedFile(s.path, "empty file: nothing to do", FileStatus::kEmpty));
    }
  }
  std::vector<FileResult> results = InInputOrder(loaded, std::move(processed));

  // Write (or show) the results. An interrupted run writes nothing: its comments are incomplete.
  nlohmann::json report = annotate::ReportJson(results);
  if (!interrupted && !args.diff) {
    // Recorded before writing: a hash for a comment that then failed to land matches nothing, but
    // a comment that landed and was not recorded would be taken for a person's next time.
    for (const auto& r : results) {
      auto lang = languages::ParseLanguageName(r.language);
      if (!lang || !r.changed()) continue;
      for (const auto& prose : r.written_comments) own.Add(*lang, prose);
    }
    own.Save();
    // Keys name the comment's prose, so one recorded for a file that was then left alone matches
    // nothing; an unchanged file's keys are recorded too (its comments were already the answers).
    for (const auto& r : results) {
      for (const auto& key : r.cache_keys) cache.Add(key);
    }
    cache.Save();
  }
  if (interrupted) {
    LogWarning("interrupted: nothing was written");
  } else if (args.in_place) {
    annotate::InPlaceReport written = annotate::WriteInPlace(results, loaded.stamps, CacheDir() / "undo");
    report = annotate::ReportJson(results);  // files left alone are failures now
    if (written.written) {
      LogInfo("rewrote " + std::to_string(written.written) + " file" + (written.written == 1 ? "" : "s") +
              "; undo with: scale undo " + written.undo_run);
      report["undo_run"] = written.undo_run;
    }
  } else if (!args.output.empty()) {
    WriteOutputs(args, several, loaded, results, report);
  } else if (args.diff) {
    for (size_t i = 0; i < results.size(); ++i) {
      std::string d = UnifiedDiff(results[i].original, results[i].output, results[i].path, results[i].path);
      if (args.json) report["files"][i]["diff"] = d;
      else std::fputs(d.c_str(), stdout);
    }
  } else if (!results.empty() && results[0].status != FileStatus::kRefused) {
    if (args.json) report["files"][0]["output"] = results[0].output;
    else std::fwrite(results[0].output.data(), 1, results[0].output.size(), stdout);
  }
  std::fflush(stdout);
  report.update(shard_report);
  if (args.json) std::printf("%s\n", report.dump(2, ' ', false, nlohmann::json::error_handler_t::replace).c_str());
  else if (GetLogLevel() != LogLevel::kQuiet) std::fputs(annotate::FormatReport(results).c_str(), stderr);

  for (const auto& name : args.only) {
    bool matched = false;
    for (const auto& r : results) {
      for (const auto& o : r.routines) {
        matched |= o.name == name || (o.name.size() > name.size() && o.name.ends_with("." + name));
      }
    }
    if (!matched) LogWarning("--only " + name + ": no routine of that name");
  }
  bool failed = false;
  for (const auto& r : results) failed |= r.HasFailures();
  SetExitStatus(interrupted ? kExitInterrupted : failed ? kExitWorkFailed : kExitOk);
}

}  // namespace

void AddCommentCommand(CLI::App& app) {
  auto args = std::make_shared<CommentArgs>();
  auto* cmd = app.add_subcommand("comment", "write or update one comment per function, method and class");
  cmd->add_option("paths", args->paths, "source files or directories (every language of --language); - reads stdin")
      ->required();
  cmd->add_option("--config", args->config,
                  "directory with comment.txt, summary.txt and <language>.txt templates (beats the project config's "
                  "[comment] templates)");
  cmd->add_option("-o,--output", args->output, "write to FILE (one input) or under DIR (several)");
  cmd->add_flag("-i,--in-place", args->in_place, "replace the files (atomically; `scale undo` restores them)");
  cmd->add_flag("--diff", args->diff, "print a unified diff instead of the files; writes nothing");
  cmd->add_flag("--check", args->check,
                "list routines without a comment (with --consistency: comments that contradict their code) and exit 1 "
                "if there are any; needs no model, writes nothing");
  cmd->add_flag("--consistency{on}", args->consistency,
                "with --check: lint existing comments against their code; otherwise "
                "--consistency=repair|retry|strict|off: what to do with an answer that contradicts the code (default "
                "retry: repair what is mechanical, ask once more, then keep it with a warning; strict rejects it)");
  cmd->add_option("--assume-filename", args->assume_filename,
                  "with - (read stdin): the buffer's path, for its language, config and reports");
  cmd->add_flag("--sarif", args->sarif, "with --check: print the findings as SARIF 2.1.0 on stdout");
  cmd->add_option("--existing", args->existing,
                  "routines that already have a comment: own (default: refresh only comments scale wrote, keep "
                  "people's), update (rewrite all, people's too) or keep (touch none); beats the project config's "
                  "[comment] existing")
      ->check(CLI::IsMember({"own", "update", "keep"}));
  cmd->add_flag("--force-exclude", args->force_exclude,
                "apply the project config's [comment] exclude to files named on the command line too (as pre-commit "
                "names them); without it only directory walks are filtered");
  cmd->add_option("--only", args->only, "only this routine (name or qualified name, e.g. Foo.bar); repeatable");
  cmd->add_option("--language", args->language, "how to parse every input: " + languages::LanguageNames() + " (default: from each file's extension)");
  cmd->add_flag("--json", args->json, "print the report as JSON on stdout");
  cmd->add_option("--max-file-size", args->max_file_size, "refuse larger input files (default 2M)");
  cmd->add_flag("--changed", args->changed,
                "only routines whose lines changed in git since the merge base with the upstream branch (or HEAD: "
                "staged, unstaged and untracked changes); --changed=REF: since REF's merge base with HEAD");
  cmd->add_flag("--no-cache", args->no_cache,
                "ask the model about every selected routine, even one whose comment scale wrote for the same "
                "code and settings (the comment cache)");
  cmd->add_option("--shard", args->shard, "only shard I of N (I/N, 1-based; files split by a hash of their path)");
  AddModelOptions(cmd, &args->model);
  cmd->callback([args] { Run(*args); });
}

}  // namespace scale::cli
