#include "cli/comment_config.h"

#include <cctype>
#include <filesystem>

#include "util/error.h"

namespace scale::cli {

namespace {

bool IsIdentifier(const std::string& s) {
  if (s.empty() || std::isdigit(static_cast<unsigned char>(s[0]))) return false;
  for (char c : s) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') return false;
  }
  return true;
}

// A named style: the documentation conventions people ask for by name. C and C++ choose between a
// Doxygen block (`/**`, read by Doxygen, @param/@return as the templates write) and a plain one
// (`/*`, prose without tags); Python's names are its docstring sections. Explicit keys refine it.
void ApplyPreset(const settings::StylePin& pin, const std::string& key, languages::Language language,
                 languages::DocStyle* style) {
  const std::string lang = languages::LanguageName(language);
  const std::string& p = pin.preset;
  if ((lang == "c" || lang == "cpp") && (p == "doxygen" || p == "plain")) {
    style->lines = false;
    style->open = p == "doxygen" ? "/**" : "/*";
    style->gutter = " * ";
    style->close = " */";
    style->sections = p == "plain" ? "plain" : "";
    return;
  }
  if (lang == "python" && (p == "google" || p == "numpy" || p == "sphinx")) {
    style->sections = p;
    return;
  }
  throw Error(kExitUsage, pin.where + ": " + key + ".preset: '" + p + "' is not a preset for " + lang +
                              " (c and cpp: doxygen, plain; python: google, numpy, sphinx)");
}

languages::DocStyle StyleOf(const settings::StylePin& pin, const std::string& key, languages::Language language) {
  languages::DocStyle style = languages::ConventionDocStyle(language);
  style.origin = "project";
  if (!pin.preset.empty()) ApplyPreset(pin, key, language, &style);
  if (!pin.prefix.empty()) {
    style.lines = true;
    style.gutter = pin.prefix;
    style.open = style.close = "";
  } else if (!pin.open.empty() || !pin.gutter.empty() || !pin.close.empty()) {
    style.lines = false;
    if (!pin.open.empty()) style.open = pin.open;
    if (!pin.gutter.empty()) style.gutter = pin.gutter;
    if (!pin.close.empty()) style.close = pin.close;
  }
  if (pin.width != 0) style.width = pin.width;
  if (!pin.sections.empty()) style.sections = pin.sections;
  return style;
}

}  // namespace

CommentParseConfig ResolveCommentConfig(const settings::CommentConfig& config) {
  CommentParseConfig out;
  for (const std::string& m : config.macros) {
    if (!IsIdentifier(m)) throw Error(kExitUsage, config.macros_where + ": " + config.prefix + "comment.macros: '" + m + "' is not an identifier");
    out.macros.push_back(m);
  }
  for (const auto& [name, pin] : config.styles) {
    const std::string key = config.prefix + "comment.style." + name;
    auto language = languages::ParseLanguageName(name);
    if (!language) {
      throw Error(kExitUsage, pin.where + ": " + key + ": unknown language (known: " +
                                  languages::LanguageNames() + ")");
    }
    languages::DocStyle style = StyleOf(pin, key, *language);
    if (auto problem = languages::DocStyleProblem(*language, style)) {
      throw Error(kExitUsage, pin.where + ": " + key + ": " + *problem);
    }
    out.styles[*language] = style;
  }
  return out;
}

CommentParseConfig ProjectCommentConfig() {
  std::error_code ec;
  auto project = settings::FindProjectConfig(std::filesystem::current_path(ec));
  return project ? ResolveCommentConfig(project->comment) : CommentParseConfig{};
}

CommentParseConfig ProjectCommentConfigFor(const std::string& path) {
  std::error_code ec;
  auto project = settings::FindProjectConfig(std::filesystem::absolute(path, ec).parent_path());
  return project ? ResolveCommentConfig(project->comment) : CommentParseConfig{};
}

languages::ParseOptions ParseOptionsFor(const std::string& path, languages::Language language,
                                        const CommentParseConfig& config) {
  languages::ParseOptions options = languages::ParseOptionsForPath(path);
  options.macros = config.macros;
  auto it = config.styles.find(language);
  if (it != config.styles.end()) options.style = it->second;
  return options;
}

}  // namespace scale::cli
