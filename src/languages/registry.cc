// The one list of languages. Adding a language: write src/languages/<name>.cc defining its
// LanguageSpec (spec.h), add its line here, and its template scale-cfg/<name>.txt
// (docs/languages.md). Everything else (walker, --language, templates, summarize) reads this table.
#include <algorithm>
#include <array>
#include <stdexcept>
#include <string>

#include "languages/language.h"
#include "languages/spec.h"

namespace scale::languages {

namespace detail {

const LanguageSpec& PythonSpec();
const LanguageSpec& CSpec();
const LanguageSpec& JavaScriptSpec();
const LanguageSpec& CppSpec();
const LanguageSpec& TypeScriptSpec();
const LanguageSpec& TsxSpec();
const LanguageSpec& JavaSpec();
const LanguageSpec& GoSpec();
const LanguageSpec& RustSpec();
const LanguageSpec& RubySpec();
const LanguageSpec& CSharpSpec();
const LanguageSpec& PhpSpec();
const LanguageSpec& LuaSpec();
const LanguageSpec& BashSpec();

std::span<const LanguageSpec* const> Registry() {
  static const std::array<const LanguageSpec*, 14> kAll = {
      &PythonSpec(),
      &CSpec(),
      &JavaScriptSpec(),
      &CppSpec(),
      &TypeScriptSpec(),
      &TsxSpec(),
      &JavaSpec(),
      &GoSpec(),
      &RustSpec(),
      &RubySpec(),
      &CSharpSpec(),
      &PhpSpec(),
      &LuaSpec(),
      &BashSpec(),
  };
  return kAll;
}

}  // namespace detail

namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  return out;
}

}  // namespace

Language::Language() : spec_(detail::Registry().front()) {}

bool operator<(Language a, Language b) { return a.spec().name < b.spec().name; }

const char* LanguageName(Language language) { return language.spec().name.data(); }

std::optional<Language> ParseLanguageName(std::string_view name) {
  std::string lower = Lower(name);
  for (const detail::LanguageSpec* spec : detail::Registry()) {
    if (spec->name == lower || std::find(spec->aliases.begin(), spec->aliases.end(), lower) != spec->aliases.end()) {
      return Language(*spec);
    }
  }
  return std::nullopt;
}

Language LanguageNamed(std::string_view name) {
  if (auto language = ParseLanguageName(name)) return *language;
  throw std::invalid_argument("no language named '" + std::string(name) + "' is registered");
}

std::vector<Language> AllLanguages() {
  std::vector<Language> out;
  for (const detail::LanguageSpec* spec : detail::Registry()) out.emplace_back(*spec);
  return out;
}

std::string LanguageNames() {
  std::string out;
  for (const detail::LanguageSpec* spec : detail::Registry()) out += (out.empty() ? "" : ", ") + std::string(spec->name);
  return out;
}

std::optional<Language> LanguageForPath(const std::filesystem::path& path) {
  std::string ext = Lower(path.extension().string());
  if (ext.empty()) return std::nullopt;
  for (const detail::LanguageSpec* spec : detail::Registry()) {
    if (std::find(spec->extensions.begin(), spec->extensions.end(), ext) != spec->extensions.end()) {
      return Language(*spec);
    }
  }
  return std::nullopt;
}

ParseOptions ParseOptionsForPath(const std::filesystem::path& path) {
  ParseOptions options;
  std::string ext = Lower(path.extension().string());
  if (auto language = LanguageForPath(path)) {
    const auto& headers = language->spec().header_extensions;
    options.c_header = std::find(headers.begin(), headers.end(), ext) != headers.end();
  }
  return options;
}

}  // namespace scale::languages
