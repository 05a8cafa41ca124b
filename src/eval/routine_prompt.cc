#include "eval/routine_prompt.h"

#include <algorithm>

#include "annotate/prompt.h"
#include "annotate/sanitize.h"
#include "eval/consistency_score.h"
#include "eval/runner.h"
#include "util/error.h"
#include "util/fs.h"
#include "util/text.h"

namespace scale::eval {
namespace {

using engine::Message;
using engine::Role;

size_t IndentOf(const std::string& line) {
  size_t n = line.find_first_not_of(" \t");
  return n == std::string::npos ? line.size() : n;
}


// CodeSearchNet cuts a routine out of its file keeping the body's original indentation but not the
// first line's. Re-align: drop from lines 2..n the indent of the last line (the closing `end`/`}`),
// when every non-blank line has at least that much.
std::string Realign(const std::string& code) {
  std::vector<std::string> lines = SplitLines(code, Cr::kKeep);
  if (lines.size() < 2 || IndentOf(lines[0]) != 0) return code;
  size_t last = lines.size() - 1;
  while (last > 0 && IsBlank(lines[last])) --last;
  size_t cut = IndentOf(lines[last]);
  for (size_t i = 1; i <= last; ++i) {
    if (!IsBlank(lines[i]) && IndentOf(lines[i]) < cut) return code;
  }
  std::string out;
  for (size_t i = 0; i < lines.size(); ++i) {
    out += (i == 0 || IsBlank(lines[i])) ? (IsBlank(lines[i]) ? "" : lines[i]) : lines[i].substr(cut);
    out += "\n";
  }
  return out;
}

std::string IndentBlock(const std::string& text, const std::string& prefix) {
  std::string out;
  for (const auto& line : SplitLines(text, Cr::kKeep)) out += (line.empty() ? "" : prefix) + line + "\n";
  return out;
}

std::string TrimTrailing(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' ')) text.pop_back();
  return text;
}

std::string FirstLine(const std::string& code) {
  for (const auto& line : SplitLines(code, Cr::kKeep)) {
    if (!IsBlank(line)) return line.substr(IndentOf(line));
  }
  return "";
}

}  // namespace

languages::Language CleanupLanguage(const std::string& language) {
  if (auto parsed = languages::ParseLanguageName(language)) return *parsed;
  static const char* kHashComment[] = {"perl", "r", "julia", "elixir", "crystal", "nim", "tcl", "awk"};
  for (const char* l : kHashComment) {
    if (language == l) return languages::LanguageNamed("python");
  }
  return languages::LanguageNamed("c");
}

std::string StripExistingComment(const languages::ParsedFile& file, int id) {
  const languages::Routine& r = file.routines.at(id);
  if (!r.has_comment || r.comment_end <= r.comment_begin) return file.text;
  // Remove the whole lines the comment occupies (its indentation and line break too).
  size_t begin = file.text.rfind('\n', r.comment_begin == 0 ? 0 : r.comment_begin - 1);
  begin = (begin == std::string::npos || r.comment_begin == 0) ? 0 : begin + 1;
  if (file.text.find_first_not_of(" \t", begin) < r.comment_begin) begin = r.comment_begin;  // code before it
  size_t end = file.text.find('\n', r.comment_end);
  end = end == std::string::npos ? file.text.size() : end + 1;
  if (file.text.find_first_not_of(" \t\r\n", r.comment_end) < end - 1) end = r.comment_end;  // code after it
  return file.text.substr(0, begin) + file.text.substr(end);
}

CommentPrompter::CommentPrompter(engine::Llm& llm, const std::filesystem::path& config_dir,
                                 const std::vector<std::string>& langs, const engine::SamplingParams& sampling,
                                 double time_limit_s)
    : llm_(llm), sampling_(sampling), time_limit_s_(time_limit_s) {
  std::vector<languages::Language> supported;
  for (const std::string& name : langs) {
    auto parsed = languages::ParseLanguageName(name);
    if (parsed && std::find(supported.begin(), supported.end(), *parsed) == supported.end()) {
      supported.push_back(*parsed);
    }
  }
  prompts_ = annotate::LoadPrompts(config_dir, supported);
  for (const std::string& name : langs) {
    if (languages::ParseLanguageName(name) || generic_.count(name)) continue;
    std::error_code ec;
    std::string file = name + ".txt";
    if (!std::filesystem::is_regular_file(config_dir / file, ec)) file = "generic.txt";
    std::filesystem::path path = config_dir / file;
    if (!std::filesystem::is_regular_file(path, ec)) {
      throw Error(kExitUsage, path.string() + ": missing generic comment template (needed for " + name + " rows)");
    }
    std::string text = TrimTrailing(ReadFile(path, 1 << 20));
    if (text.empty()) throw Error(kExitUsage, path.string() + ": comment template is empty");
    generic_[name] = text;
    generic_files_[name] = file;
  }
}

std::string CommentPrompter::TemplateFile(const std::string& language) const {
  if (auto parsed = languages::ParseLanguageName(language)) return std::string(languages::LanguageName(*parsed)) + ".txt";
  auto it = generic_files_.find(language);
  return it == generic_files_.end() ? "" : it->second;
}

ParsedRow ParseEvalRow(const EvalRow& row) {
  ParsedRow p;
  auto language = languages::ParseLanguageName(row.language);
  if (!language) return p;
  try {
    languages::ParsedFile file = languages::Parse(*language, row.code);
    auto top = std::find_if(file.routines.begin(), file.routines.end(), [](const auto& r) { return r.parent < 0; });
    if (top == file.routines.end()) return p;
    int id = top->id;
    if (top->has_comment) {
      file = languages::Parse(*language, StripExistingComment(file, id));
      top = std::find_if(file.routines.begin(), file.routines.end(), [](const auto& r) { return r.parent < 0; });
      if (top == file.routines.end()) return p;
      id = top->id;
    }
    p.id = id;
    p.file = std::move(file);
  } catch (const Error&) {
    // The parser gave up: callers fall back to the generic layout.
  }
  return p;
}

std::string RowCodeWithoutComment(const EvalRow& row) {
  ParsedRow parsed = ParseEvalRow(row);
  return parsed.file ? parsed.file->text : row.code;
}

CommentPrompter::ParseCounts CommentPrompter::CountParses(const std::vector<EvalRow>& rows) const {
  ParseCounts counts;
  for (const EvalRow& row : rows) {
    ParsedRow p = ParseEvalRow(row);
    if (!p.file) {
      ++counts.unparsed;
      continue;
    }
    ++counts.parsed;
    if (p.file->routines.at(static_cast<size_t>(p.id)).in_error_region) ++counts.with_errors;
  }
  return counts;
}

engine::Request CommentPrompter::Build(const EvalRow& row) const {
  engine::Request request;
  request.sampling = sampling_;
  request.time_limit_s = time_limit_s_;
  request.id = row.id;
  const int answer_tokens = sampling_.max_tokens;
  ParsedRow parsed = ParseEvalRow(row);
  if (parsed.file) {
    std::string view = languages::RoutineView(*parsed.file, parsed.id, {});
    annotate::RoutinePrompt prompt =
        annotate::RoutineMessages(llm_, prompts_, *parsed.file, parsed.id, view, /*summary=*/"", answer_tokens);
    if (!prompt.messages.empty()) {
      request.messages = std::move(prompt.messages);
      return request;
    }
  }
  // Generic layout, mirroring annotate::RoutineMessages: system = comment.txt + template; user =
  // "Write the comment for the <kind> `<name>` (lines a-b).", the indented routine, "Comment:".
  auto it = generic_.find(row.language);
  std::string style = it != generic_.end() ? it->second
                      : parsed.file        ? prompts_.Template(parsed.file->language)
                                           : std::string();
  if (style.empty()) {
    auto language = languages::ParseLanguageName(row.language);
    if (language && prompts_.templates.count(*language)) style = prompts_.Template(*language);
  }
  std::string system = prompts_.system + "\n\n" + style;
  std::string code = Realign(row.code);
  std::string name = row.id.rfind("row-", 0) == 0 ? FirstLine(code) : row.id;
  std::string kind = row.id.find('.') != std::string::npos ? "method" : "function";
  const int total = static_cast<int>(SplitLines(code, Cr::kKeep).size());
  auto make = [&](const std::string& shown) {
    std::string user = "Write the comment for the " + kind + " `" + name + "` (lines 1-" + std::to_string(total) +
                       ").\nRoutine:\n" + IndentBlock(shown, "    ") + "Comment:";
    return std::vector<Message>{{Role::kSystem, system}, {Role::kUser, user}};
  };
  // Nothing fits: it goes whole and the engine reports context_full for this row.
  request.messages = annotate::FitView(llm_, code, answer_tokens, make);
  return request;
}

std::string CommentPrompter::Clean(const EvalRow& row, const engine::Response& response, std::string* problem) const {
  ParsedRow parsed = ParseEvalRow(row);
  languages::Language language = parsed.file ? parsed.file->language : CleanupLanguage(row.language);
  std::string signature = parsed.file ? parsed.routine().signature : FirstLine(row.code);
  annotate::CleanComment clean = annotate::SanitizeComment(response.text, language, signature,
                                                           response.finish == engine::FinishReason::kLength);
  if (!clean.ok) {
    if (problem) *problem = clean.problem.empty() ? "rejected" : clean.problem;
    return "";
  }
  return clean.text;
}

std::optional<std::vector<std::string>> CommentPrompter::Consistency(const EvalRow& row,
                                                                     const std::string& comment) const {
  return CheckRowComment(row, comment);
}

std::string CommentPrompter::Fingerprint() const {
  std::vector<std::string> parts = {"comment-prompter-v1", prompts_.system};
  for (const auto& [language, text] : prompts_.templates) parts.push_back(text);
  for (const auto& [language, text] : generic_) parts.push_back(language + "\n" + text);
  const engine::SamplingParams& s = sampling_;
  char buf[256];
  std::snprintf(buf, sizeof(buf), "t=%g p=%g k=%d minp=%g rp=%g rln=%d seed=%u max=%d tl=%g", s.temperature, s.top_p,
                s.top_k, s.min_p, s.repeat_penalty, s.repeat_last_n, s.seed, s.max_tokens, time_limit_s_);
  parts.push_back(buf);
  return ConfigHash(parts);
}

}  // namespace scale::eval
