#include "eval/dataset.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "eval/bleu.h"
#include "util/error.h"
#include "util/fs.h"
#include "util/text.h"

namespace scale::eval {
namespace {

bool IsSectionLine(const std::string& line) {
  static const char* kSections[] = {"args:", "arguments:", "parameters:", "params:", "returns:", "return:",
                                    "raises:", "yields:", "example:", "examples:", "attributes:", "note:",
                                    "parameters", "returns", "----------"};
  if (line.empty()) return false;
  if (line[0] == '@' || line[0] == ':' || line.rfind(">>>", 0) == 0) return true;  // @param, :param x:, doctest
  std::string lower = LowerUtf8(line);
  for (const char* s : kSections) {
    if (lower == s) return true;
  }
  return false;
}

std::string StringField(const nlohmann::json& row, const std::string& field) {
  auto it = row.find(field);
  if (it == row.end() || !it->is_string()) return "";
  return it->get<std::string>();
}

}  // namespace

std::string FirstParagraph(std::string_view text) {
  std::string out;
  size_t pos = 0;
  bool started = false;
  while (pos <= text.size()) {
    size_t nl = text.find('\n', pos);
    if (nl == std::string_view::npos) nl = text.size();
    std::string line = Trim(text.substr(pos, nl - pos));
    pos = nl + 1;
    if (line.empty()) {
      if (started) break;
      continue;
    }
    if (IsSectionLine(line)) break;
    started = true;
    if (!out.empty()) out.push_back(' ');
    out += line;
    if (nl == text.size()) break;
  }
  // Collapse inner whitespace runs (tabs, double spaces).
  std::string collapsed;
  bool space = false;
  for (char c : out) {
    bool ws = c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
    if (ws) {
      space = true;
      continue;
    }
    if (space && !collapsed.empty()) collapsed.push_back(' ');
    space = false;
    collapsed.push_back(c);
  }
  return collapsed;
}

std::vector<EvalRow> LoadDataset(const std::filesystem::path& path, const DatasetOptions& options) {
  std::string text = ReadFile(path);
  std::vector<EvalRow> rows;
  size_t line_no = 0;
  size_t pos = 0;
  while (pos < text.size() && (options.limit == 0 || rows.size() < options.limit)) {
    size_t nl = text.find('\n', pos);
    if (nl == std::string::npos) nl = text.size();
    std::string_view line(text.data() + pos, nl - pos);
    pos = nl + 1;
    ++line_no;
    if (Trim(line).empty()) continue;
    nlohmann::json row = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
    if (!row.is_object()) {
      throw Error(kExitInput, path.string() + ":" + std::to_string(line_no) + ": not a JSON object");
    }
    EvalRow r;
    r.index = rows.size();
    auto code = row.find(options.code_field);
    if (code == row.end() || !code->is_string()) {
      throw Error(kExitInput, path.string() + ":" + std::to_string(line_no) + ": no string field \"" +
                                  options.code_field + "\" (use --code-field)");
    }
    r.code = code->get<std::string>();
    auto tokens = row.find(options.ref_field + "_tokens");
    if (tokens != row.end() && tokens->is_array()) {
      for (const auto& t : *tokens) {
        if (!t.is_string()) continue;
        if (!r.reference.empty()) r.reference.push_back(' ');
        r.reference += t.get<std::string>();
      }
    } else if (row.contains(options.ref_field)) {
      r.reference = FirstParagraph(StringField(row, options.ref_field));
    } else {
      throw Error(kExitInput, path.string() + ":" + std::to_string(line_no) + ": no field \"" + options.ref_field +
                                  "\" (use --ref-field)");
    }
    r.language = LowerUtf8(options.language.empty() ? StringField(row, options.lang_field) : options.language);
    if (r.language.empty()) {
      throw Error(kExitUsage, path.string() + ":" + std::to_string(line_no) + ": row has no \"" + options.lang_field +
                                  "\" field; give --language");
    }
    r.id = StringField(row, "func_name");
    if (r.id.empty()) r.id = StringField(row, "path");
    if (r.id.empty()) r.id = "row-" + std::to_string(r.index);
    rows.push_back(std::move(r));
  }
  if (rows.empty()) throw Error(kExitInput, path.string() + ": no rows");
  return rows;
}

}  // namespace scale::eval
