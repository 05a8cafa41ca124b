#include "eval/score_file.h"

#include <map>

#include "util/error.h"
#include "util/fs.h"
#include "util/text.h"

namespace scale::eval {
namespace {

RowResult Scored(size_t index, std::string id, const std::vector<std::string>& refs, const std::string& prediction) {
  RowResult r;
  r.index = index;
  r.id = std::move(id);
  for (const auto& ref : refs) r.reference += (r.reference.empty() ? "" : "\n") + ref;
  r.prediction = prediction;
  r.answer = prediction;
  r.comment = prediction;
  r.finish = "given";
  r.score = ScoreRowMulti(refs, prediction);
  r.status = r.score.empty ? "empty" : "ok";
  return r;
}

}  // namespace

std::vector<RowResult> ScorePredictionsJsonl(const std::filesystem::path& path) {
  std::string text = ReadFile(path);
  std::vector<RowResult> rows;
  size_t line_no = 0;
  for (const std::string& line : SplitLines(text)) {
    ++line_no;
    if (Trim(line).empty()) continue;
    std::string where = path.string() + ":" + std::to_string(line_no);
    nlohmann::json j = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
    if (!j.is_object()) throw Error(kExitInput, where + ": not a JSON object");
    auto pred = j.find("prediction");
    if (pred == j.end() || !pred->is_string()) throw Error(kExitInput, where + ": no string \"prediction\"");
    std::vector<std::string> refs;
    if (auto r = j.find("reference"); r != j.end() && r->is_string()) refs.push_back(r->get<std::string>());
    if (auto r = j.find("references"); r != j.end() && r->is_array()) {
      for (const auto& x : *r) {
        if (x.is_string()) refs.push_back(x.get<std::string>());
      }
    }
    if (refs.empty()) throw Error(kExitInput, where + ": no \"reference\" (or \"references\")");
    std::string id = j.contains("id") ? (j["id"].is_string() ? j["id"].get<std::string>() : j["id"].dump())
                                      : "row-" + std::to_string(rows.size());
    rows.push_back(Scored(rows.size(), id, refs, pred->get<std::string>()));
  }
  if (rows.empty()) throw Error(kExitInput, path.string() + ": no predictions");
  return rows;
}

std::vector<RowResult> ScorePredictionPairs(const std::filesystem::path& predictions, const std::filesystem::path& gold) {
  std::map<std::string, std::string> predicted;  // idx -> text
  for (const std::string& line : SplitLines(ReadFile(predictions))) {
    std::string row = Trim(line);
    size_t tab = row.find('\t');
    std::string id = row.substr(0, tab);
    std::string text;
    if (tab != std::string::npos) {
      size_t next = row.find('\t', tab + 1);  // cols[1] only, like the script
      text = row.substr(tab + 1, next == std::string::npos ? std::string::npos : next - tab - 1);
    }
    predicted[id] = text;
  }
  std::vector<std::string> order;
  std::map<std::string, std::vector<std::string>> refs;
  size_t line_no = 0;
  for (const std::string& line : SplitLines(ReadFile(gold))) {
    ++line_no;
    size_t tab = line.find('\t');
    if (tab == std::string::npos || line.find('\t', tab + 1) != std::string::npos) {
      throw Error(kExitInput, gold.string() + ":" + std::to_string(line_no) + ": expected \"idx<TAB>text\"");
    }
    std::string id = line.substr(0, tab);
    if (!predicted.count(id)) continue;
    if (!refs.count(id)) order.push_back(id);
    refs[id].push_back(line.substr(tab + 1));
  }
  std::vector<RowResult> rows;
  for (const std::string& id : order) rows.push_back(Scored(rows.size(), id, refs[id], predicted[id]));
  if (rows.empty()) throw Error(kExitInput, gold.string() + ": no gold line has an id of " + predictions.string());
  return rows;
}

}  // namespace scale::eval
