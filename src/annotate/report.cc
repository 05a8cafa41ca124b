#include "annotate/report.h"

#include <cstdio>

#include "util/json_text.h"

namespace scale::annotate {

nlohmann::json DocStyleJson(const languages::DocStyle& style) {
  nlohmann::json j = {{"origin", style.origin}, {"samples", style.samples}, {"width", style.width}};
  if (style.lines) {
    j["prefix"] = style.gutter;
  } else {
    j["open"] = style.open;
    j["gutter"] = style.gutter;
    j["close"] = style.close;
  }
  if (!style.sections.empty()) j["sections"] = style.sections;
  return j;
}
namespace {

constexpr RoutineStatus kAllStatuses[] = {RoutineStatus::kCommented, RoutineStatus::kUpdated, RoutineStatus::kKept,
                                          RoutineStatus::kSkipped, RoutineStatus::kFailed};

std::string Seconds(double s) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f s", s);
  return buf;
}

std::string Counts(const std::vector<int>& counts) {
  std::string out;
  for (size_t i = 0; i < counts.size(); ++i) {
    if (i) out += ", ";
    out += std::to_string(counts[i]) + " " + RoutineStatusName(kAllStatuses[i]);
  }
  return out;
}

// "param-unknown 2 (2 repaired), returns-void 1 (1 kept with a warning)" for a report line.
std::string TallyText(const consistency::Tally& tally) {
  std::string out;
  for (const auto& [rule, c] : tally) {
    std::string parts;
    auto part = [&](int n, const char* what) {
      if (n) parts += (parts.empty() ? "" : ", ") + std::to_string(n) + " " + what;
    };
    part(c.repaired, "repaired");
    part(c.retried, "fixed by a retry");
    part(c.warned, "kept with a warning");
    part(c.rejected, "rejected");
    out += (out.empty() ? "" : ", ") + rule + " " + std::to_string(c.found) + (parts.empty() ? "" : " (" + parts + ")");
  }
  return out;
}

nlohmann::json TallyJson(const consistency::Tally& tally) {
  nlohmann::json j = nlohmann::json::object();
  for (const auto& [rule, c] : tally) {
    j[rule] = {{"found", c.found}, {"repaired", c.repaired}, {"retried", c.retried}, {"warned", c.warned},
               {"rejected", c.rejected}};
  }
  return j;
}

}  // namespace

std::string FormatReport(const std::vector<FileResult>& results) {
  std::string out;
  std::vector<int> total(5, 0);
  long in = 0, cached = 0, gen = 0;
  double seconds = 0;
  int failed_files = 0;
  int human = 0;
  consistency::Tally tally;
  for (const auto& r : results) {
    if (r.status == FileStatus::kRefused || r.status == FileStatus::kEmpty ||
        (r.status == FileStatus::kFailed && r.routines.empty())) {
      out += r.path + ": " + (r.status == FileStatus::kEmpty ? "" : std::string(FileStatusName(r.status)) + ": ") +
             r.problem + "\n";
      failed_files += r.status != FileStatus::kEmpty;
      continue;
    }
    std::vector<int> counts;
    for (size_t i = 0; i < 5; ++i) {
      counts.push_back(r.Count(kAllStatuses[i]));
      total[i] += counts.back();
    }
    in += r.prompt_tokens;
    cached += r.cached_prompt_tokens;
    gen += r.completion_tokens;
    seconds += r.seconds;
    out += r.path + ": " + std::to_string(r.routines.size()) + " routine" + (r.routines.size() == 1 ? "" : "s") +
           ": " + Counts(counts) + "; tokens " + std::to_string(r.prompt_tokens) + " in (" +
           std::to_string(r.cached_prompt_tokens) + " cached), " + std::to_string(r.completion_tokens) + " out; " +
           Seconds(r.seconds) + "\n";
    if (r.status == FileStatus::kFailed) {
      out += "  FAILED: " + r.problem + "\n";
      ++failed_files;
    } else if (!r.problem.empty()) {
      out += "  note: " + r.problem + "\n";
    }
    human += r.HumanCommentsUpdated();
    if (int h = r.HumanCommentsUpdated()) {
      out += "  " + std::to_string(h) + " of the updated comments were written by people (--existing update)\n";
    }
    int kept_human = 0;
    for (const auto& o : r.routines) kept_human += o.status == RoutineStatus::kKept && !o.reason.empty();
    if (kept_human) {
      out += "  " + std::to_string(kept_human) + " comment" + (kept_human == 1 ? "" : "s") +
             " written by people kept (--existing update rewrites them)\n";
    }
    for (const auto& o : r.routines) {
      if (o.status != RoutineStatus::kFailed && o.status != RoutineStatus::kSkipped) continue;
      out += std::string("  ") + RoutineStatusName(o.status) + " " + o.kind + " " + o.name + " (line " +
             std::to_string(o.line) + "): " + o.reason + "\n";
    }
    if (!r.consistency.empty()) out += "  consistency: " + TallyText(r.consistency) + "\n";
    for (const auto& o : r.routines) {
      if (o.status == RoutineStatus::kFailed) continue;
      for (const auto& w : o.warnings) {
        out += "  warning: " + o.kind + " " + o.name + " (line " + std::to_string(o.line) + "): " + w + "\n";
      }
    }
    consistency::Merge(tally, r.consistency);
  }
  if (results.size() > 1) {
    out += "total: " + std::to_string(results.size()) + " files (" + std::to_string(failed_files) + " failed or refused); " +
           Counts(total) + "; tokens " + std::to_string(in) + " in (" + std::to_string(cached) + " cached), " +
           std::to_string(gen) + " out; " + Seconds(seconds) + "\n";
    if (human) out += "total: " + std::to_string(human) + " comments written by people were rewritten\n";
    if (!tally.empty()) out += "total: consistency: " + TallyText(tally) + "\n";
  }
  return out;
}

nlohmann::json ReportJson(const std::vector<FileResult>& results) {
  nlohmann::json files = nlohmann::json::array();
  nlohmann::json total = {{"files", results.size()}, {"prompt_tokens", 0}, {"cached_prompt_tokens", 0},
                          {"completion_tokens", 0}, {"seconds", 0.0}};
  for (auto s : kAllStatuses) total[RoutineStatusName(s)] = 0;
  consistency::Tally tally;
  for (const auto& r : results) {
    nlohmann::json routines = nlohmann::json::array();
    for (const auto& o : r.routines) {
      nlohmann::json j = {{"name", o.name}, {"kind", o.kind}, {"line", o.line}, {"status", RoutineStatusName(o.status)}};
      if (o.human) j["human_comment"] = true;
      if (!o.reason.empty()) j["reason"] = o.reason;
      if (!o.repaired.empty()) j["repaired"] = o.repaired;
      if (o.retried) j["retried"] = true;
      if (!o.warnings.empty()) j["consistency_warnings"] = o.warnings;
      routines.push_back(std::move(j));
    }
    nlohmann::json counts;
    for (auto s : kAllStatuses) {
      counts[RoutineStatusName(s)] = r.Count(s);
      total[RoutineStatusName(s)] = total[RoutineStatusName(s)].get<int>() + r.Count(s);
    }
    nlohmann::json f = {{"path", JsonSafe(std::string_view(r.path))},
                        {"language", r.language},
                        {"status", FileStatusName(r.status)},
                        {"changed", r.changed()},
                        {"counts", counts},
                        {"routines", routines},
                        {"requests", r.requests},
                        {"prompt_tokens", r.prompt_tokens},
                        {"cached_prompt_tokens", r.cached_prompt_tokens},
                        {"completion_tokens", r.completion_tokens},
                        {"seconds", r.seconds}};
    if (!r.problem.empty()) f["problem"] = r.problem;
    if (r.style) f["doc_style"] = DocStyleJson(*r.style);
    f["consistency"] = TallyJson(r.consistency);
    consistency::Merge(tally, r.consistency);
    f["human_comments_updated"] = r.HumanCommentsUpdated();
    total["human_comments_updated"] = total.value("human_comments_updated", 0) + r.HumanCommentsUpdated();
    total["prompt_tokens"] = total["prompt_tokens"].get<long>() + r.prompt_tokens;
    total["cached_prompt_tokens"] = total["cached_prompt_tokens"].get<long>() + r.cached_prompt_tokens;
    total["completion_tokens"] = total["completion_tokens"].get<long>() + r.completion_tokens;
    total["seconds"] = total["seconds"].get<double>() + r.seconds;
    files.push_back(std::move(f));
  }
  total["consistency"] = TallyJson(tally);
  return {{"files", files}, {"total", total}};
}

}  // namespace scale::annotate
