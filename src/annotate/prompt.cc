#include "annotate/prompt.h"

#include <algorithm>

#include "util/text.h"

namespace scale::annotate {
namespace {

using engine::Message;
using engine::Role;

std::string BaseName(const std::string& path) {
  size_t slash = path.find_last_of('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

// The line of a signature that names the routine (decorators come first in Python).
std::string HeaderLine(const std::string& signature) {
  for (const auto& line : SplitLines(signature, Cr::kKeep)) {
    size_t b = line.find_first_not_of(" \t");
    if (b != std::string::npos && line[b] != '@') return line.substr(b);
  }
  return signature;
}

bool Fits(engine::Llm& llm, const std::vector<Message>& messages, int answer_tokens) {
  return llm.CountPromptTokens(messages) + answer_tokens <= llm.ContextSize();
}

// Largest n in [lo, hi] with ok(n), assuming ok is monotone (true up to some n); lo - 1 if none.
template <typename F>
int LargestFitting(int lo, int hi, F ok) {
  int best = lo - 1;
  while (lo <= hi) {
    int mid = lo + (hi - lo) / 2;
    if (ok(mid)) {
      best = mid;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  return best;
}

std::string Indent(const std::string& text, const std::string& prefix) {
  std::string out;
  for (const auto& line : SplitLines(text, Cr::kKeep)) out += (line.empty() ? "" : prefix) + line + "\n";
  return out;
}

}  // namespace

std::vector<Message> FitView(engine::Llm& llm, const std::string& view, int answer_tokens,
                             const std::function<std::vector<Message>(const std::string&)>& make) {
  std::vector<Message> whole = make(view);
  if (Fits(llm, whole, answer_tokens)) return whole;
  const int total = static_cast<int>(SplitLines(view, Cr::kKeep).size());
  int keep = LargestFitting(1, total - 1, [&](int k) { return Fits(llm, make(ElideMiddle(view, k, 1, nullptr)), answer_tokens); });
  return keep >= 1 ? make(ElideMiddle(view, keep, 1, nullptr)) : whole;
}

std::string ElideMiddle(const std::string& view, int keep, int min_head, int* elided) {
  std::vector<std::string> lines = SplitLines(view, Cr::kKeep);
  int total = static_cast<int>(lines.size());
  if (keep >= total) {
    if (elided) *elided = 0;
    return view;
  }
  keep = std::max(keep, min_head);
  int head = std::max(min_head, (keep + 1) / 2);
  head = std::min(head, total);
  int tail = std::max(0, std::min(keep - head, total - head));
  int cut = total - head - tail;
  if (elided) *elided = cut;
  std::string out;
  for (int i = 0; i < head; ++i) out += lines[i] + "\n";
  if (cut > 0) {
    const std::string& first_cut = lines[head];
    std::string indent = first_cut.substr(0, first_cut.find_first_not_of(" \t") == std::string::npos
                                                 ? 0
                                                 : first_cut.find_first_not_of(" \t"));
    out += indent + "... " + std::to_string(cut) + " lines elided ...\n";
  }
  for (int i = total - tail; i < total; ++i) out += lines[i] + "\n";
  return out;
}

std::string TemplateRules(const std::string& language_template) {
  size_t at = 0;
  while (at < language_template.size()) {
    if (language_template.compare(at, 7, "EXAMPLE") == 0) {
      size_t end = at;
      while (end > 0 && (language_template[end - 1] == '\n' || language_template[end - 1] == ' ')) --end;
      return language_template.substr(0, end);
    }
    size_t nl = language_template.find('\n', at);
    if (nl == std::string::npos) break;
    at = nl + 1;
  }
  return language_template;
}

std::vector<Message> SummaryMessages(engine::Llm& llm, const Prompts& prompts, const languages::ParsedFile& file,
                                     const std::string& path, int answer_tokens, int* shown_lines) {
  std::vector<std::string> lines = SplitLines(file.text, Cr::kKeep);
  const int total = static_cast<int>(lines.size());
  std::string title = "File: " + BaseName(path) + " (" + languages::LanguageName(file.language) + ", " +
                      std::to_string(total) + " lines)\n";
  auto make = [&](const std::string& body) {
    return std::vector<Message>{{Role::kSystem, prompts.summary}, {Role::kUser, title + body}};
  };
  std::vector<Message> whole = make(file.text);
  if (Fits(llm, whole, answer_tokens)) {
    if (shown_lines) *shown_lines = total;
    return whole;
  }
  // Too big: the head of the file (imports, constants, the first definitions) and the outline.
  std::vector<std::string> signatures;
  for (const auto& r : file.routines) {
    signatures.push_back(std::string(2 * r.depth, ' ') + "line " + std::to_string(r.start_line) + ": " +
                         HeaderLine(r.signature));
  }
  auto digest = [&](int head, int sigs) {
    std::string body = "The file is too long to show whole. Its first " + std::to_string(head) + " lines:\n";
    for (int i = 0; i < head; ++i) body += lines[i] + "\n";
    body += "...\nSignatures of its routines";
    if (sigs < static_cast<int>(signatures.size())) body += " (first " + std::to_string(sigs) + ")";
    body += ":\n";
    for (int i = 0; i < sigs; ++i) body += signatures[i] + "\n";
    return make(body);
  };
  const int all_sigs = static_cast<int>(signatures.size());
  int head = LargestFitting(0, total, [&](int h) { return Fits(llm, digest(h, all_sigs), answer_tokens); });
  if (head >= 0) {
    if (shown_lines) *shown_lines = head;
    return digest(head, all_sigs);
  }
  int sigs = LargestFitting(1, all_sigs, [&](int s) { return Fits(llm, digest(0, s), answer_tokens); });
  if (shown_lines) *shown_lines = 0;
  if (sigs < 1) return {};
  return digest(0, sigs);
}

namespace {

// The file's own docstring sections, when they are not the template's (Google): the model is asked
// to follow the file (its other rules still hold). "plain" (a C/C++ project's pinned preset) drops
// the templates' Doxygen tags.
std::string HouseStyleNote(const languages::DocStyle& style) {
  if (style.sections == "plain") {
    return "This project writes plain comments: prose only, with no @param, @return or other tags; say what the "
           "parameters and the result mean in the sentences.\n\n";
  }
  if (style.sections == "numpy") {
    return "This file's docstrings use NumPy sections (Parameters / Returns / Raises, each underlined with "
           "dashes, `name : type` entries): write this one the same way.\n\n";
  }
  if (style.sections == "sphinx") {
    return "This file's docstrings use Sphinx fields (`:param name:`, `:returns:`, `:raises Error:`): write "
           "this one the same way.\n\n";
  }
  return "";
}

}  // namespace

RoutinePrompt RoutineMessages(engine::Llm& llm, const Prompts& prompts, const languages::ParsedFile& file, int id,
                              const std::string& view, const std::string& summary, int answer_tokens) {
  const languages::Routine& r = file.routines.at(id);
  const std::string& full_template = prompts.Template(file.language);
  std::string system = prompts.system + "\n\n" + full_template;
  auto make = [&](const std::string& shown_view, bool with_summary) {
    std::string user;
    if (with_summary && !summary.empty()) user += "Summary of the file:\n" + summary + "\n\n";
    user += HouseStyleNote(file.style);
    user += "Write the comment for the " + r.kind + " `" + r.qualified_name + "` (lines " +
            std::to_string(r.start_line) + "-" + std::to_string(r.end_line) + ").\nRoutine:\n" +
            Indent(shown_view, "    ");
    if (r.has_comment && !r.existing_comment.empty()) {
      user += "Its current comment, to update (keep every fact it states that is still true):\n" +
              Indent(r.existing_comment, "    ");
    }
    user += "Comment:";
    return std::vector<Message>{{Role::kSystem, system}, {Role::kUser, user}};
  };

  RoutinePrompt out;
  // Fallbacks, in order: elide the body; leave out the summary; leave out the template's worked
  // examples (small-context models: the rules alone still steer the format).
  const std::string rules = TemplateRules(full_template);
  for (int attempt = 0; attempt < 3; ++attempt) {
    const bool with_summary = attempt == 0;
    if (attempt == 1 && summary.empty()) continue;
    if (attempt == 2) {
      if (rules.size() == full_template.size()) break;
      system = prompts.system + "\n\n" + rules;
      out.examples_dropped = true;
    }
    auto whole = make(view, with_summary);
    if (Fits(llm, whole, answer_tokens)) {
      out.messages = std::move(whole);
      out.summary_dropped = !with_summary && !summary.empty();
      return out;
    }
    // Elide the middle of the body; the signature lines always stay.
    const int total = static_cast<int>(SplitLines(view, Cr::kKeep).size());
    const int min_head = std::max<int>(1, static_cast<int>(SplitLines(r.signature, Cr::kKeep).size()));
    int keep = LargestFitting(min_head, total - 1, [&](int k) {
      return Fits(llm, make(ElideMiddle(view, k, min_head, nullptr), with_summary), answer_tokens);
    });
    if (keep >= min_head) {
      out.messages = make(ElideMiddle(view, keep, min_head, &out.elided_lines), with_summary);
      out.summary_dropped = !with_summary && !summary.empty();
      return out;
    }
  }
  out.problem = "too big for the context even with its body elided (context " + std::to_string(llm.ContextSize()) +
                " tokens, answer budget " + std::to_string(answer_tokens) + ")";
  return out;
}

}  // namespace scale::annotate
