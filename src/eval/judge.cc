#include "eval/judge.h"

#include <cmath>
#include <fstream>
#include <map>

#include "annotate/prompt.h"
#include "eval/routine_prompt.h"
#include "util/error.h"
#include "util/format.h"
#include "util/fs.h"
#include "util/log.h"
#include "util/progress.h"
#include "util/text.h"

namespace scale::eval {
namespace {

constexpr std::string_view kCriteria[] = {"accuracy", "completeness", "concision"};
constexpr std::string_view kUserMarker = "[user]";

std::string_view TrimSpace(std::string_view s) {
  constexpr std::string_view kSpace = " \t\r\n";
  size_t b = s.find_first_not_of(kSpace);
  if (b == std::string_view::npos) return {};
  return s.substr(b, s.find_last_not_of(kSpace) - b + 1);
}

// "key=D" with D one digit 1..5, or 0.
int ScoreOf(std::string_view token, std::string_view key) {
  if (token.size() != key.size() + 2 || token.substr(0, key.size()) != key || token[key.size()] != '=') return 0;
  char d = token.back();
  return d >= '1' && d <= '5' ? d - '0' : 0;
}

// One pass over the template, so a `{comment}` inside the code is left as written.
std::string Fill(const std::string& tmpl, const std::map<std::string, std::string>& values) {
  std::string out;
  size_t i = 0;
  while (i < tmpl.size()) {
    bool replaced = false;
    if (tmpl[i] == '{') {
      for (const auto& [key, value] : values) {
        if (tmpl.compare(i, key.size() + 2, "{" + key + "}") == 0) {
          out += value;
          i += key.size() + 2;
          replaced = true;
          break;
        }
      }
    }
    if (!replaced) out.push_back(tmpl[i++]);
  }
  return out;
}

// What the judge saw: a verdict in the log is reused only for the same code and comment.
std::string InputHash(const std::string& code, const std::string& comment) { return ConfigHash({code, comment}); }

nlohmann::json VerdictJson(const JudgeResult& v) {
  return {{"status", v.status},
          {"answer", v.answer},
          {"accuracy", v.accuracy},
          {"completeness", v.completeness},
          {"concision", v.concision}};
}

JudgeResult VerdictFromJson(const nlohmann::json& j) {
  JudgeResult v;
  v.status = j.at("status").get<std::string>();
  v.answer = j.at("answer").get<std::string>();
  v.accuracy = j.at("accuracy").get<int>();
  v.completeness = j.at("completeness").get<int>();
  v.concision = j.at("concision").get<int>();
  return v;
}

struct StoredVerdict {
  std::string input;
  JudgeResult verdict;
};

// The judge's lines of `path` for this run and this judge, by row index (later lines win).
std::map<size_t, StoredVerdict> LoadVerdicts(const std::filesystem::path& path, const std::string& config_hash,
                                             const std::string& judge_hash) {
  std::map<size_t, StoredVerdict> out;
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    nlohmann::json j = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
    if (!j.is_object() || j.value("kind", "") != "judge" || j.value("config", "") != config_hash ||
        j.value("judge", "") != judge_hash) {
      continue;
    }
    try {
      out[j.at("index").get<size_t>()] = {j.at("input").get<std::string>(), VerdictFromJson(j.at("verdict"))};
    } catch (const nlohmann::json::exception&) {
      continue;  // a torn line
    }
  }
  return out;
}

int Score(const JudgeResult& v, size_t criterion) {
  return criterion == 0 ? v.accuracy : criterion == 1 ? v.completeness : v.concision;
}

}  // namespace

std::optional<JudgeScores> ParseJudgeAnswer(std::string_view answer) {
  std::string_view line = TrimSpace(answer);
  JudgeScores s;
  int* slots[] = {&s.accuracy, &s.completeness, &s.concision};
  for (size_t k = 0; k < 3; ++k) {
    size_t end = k < 2 ? line.find(' ') : line.size();
    if (end == std::string_view::npos) return std::nullopt;
    *slots[k] = ScoreOf(line.substr(0, end), kCriteria[k]);
    if (*slots[k] == 0) return std::nullopt;
    line.remove_prefix(k < 2 ? end + 1 : end);
  }
  return s;
}

JudgePrompt ParseJudgePrompt(std::string_view text, const std::string& where) {
  std::vector<std::string> lines = SplitLines(std::string(text), Cr::kDrop);
  JudgePrompt p;
  bool user = false;
  for (const std::string& line : lines) {
    if (!user && TrimSpace(line) == kUserMarker) {
      user = true;
      continue;
    }
    (user ? p.user : p.system) += line + "\n";
  }
  if (!user) throw Error(kExitUsage, where + ": no \"[user]\" line separating the rubric from the request");
  p.system = std::string(TrimSpace(p.system));
  p.user = std::string(TrimSpace(p.user));
  if (p.system.empty()) throw Error(kExitUsage, where + ": the rubric (before \"[user]\") is empty");
  for (const char* key : {"{language}", "{code}", "{comment}"}) {
    if (p.user.find(key) == std::string::npos) throw Error(kExitUsage, where + ": the request lacks " + key);
  }
  return p;
}

JudgePrompt LoadJudgePrompt(const std::filesystem::path& file) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(file, ec)) throw Error(kExitUsage, file.string() + ": missing judge prompt");
  return ParseJudgePrompt(ReadFile(file, 1 << 20), file.string());
}

engine::SamplingParams JudgeSampling() {
  engine::SamplingParams s;
  s.temperature = 0;
  s.max_tokens = 32;
  return s;
}

std::string JudgeFingerprint(engine::Llm& judge, const JudgePrompt& prompt) {
  const engine::SamplingParams s = JudgeSampling();
  return ConfigHash({"scale-judge-v1", judge.Fingerprint(), prompt.system, prompt.user, std::to_string(s.max_tokens)});
}

engine::Request JudgeRequest(engine::Llm& judge, const JudgePrompt& prompt, const std::string& language,
                             const std::string& code, const std::string& comment, double time_limit_s) {
  engine::Request request;
  request.sampling = JudgeSampling();
  request.time_limit_s = time_limit_s;
  auto make = [&](const std::string& shown) {
    std::string user = Fill(prompt.user, {{"language", language}, {"code", shown}, {"comment", comment}});
    return std::vector<engine::Message>{{engine::Role::kSystem, prompt.system}, {engine::Role::kUser, user}};
  };
  // Keep as many lines as fit (signature first); if none does, the engine reports context_full.
  request.messages = annotate::FitView(judge, code, request.sampling.max_tokens, make);
  return request;
}

JudgeResult JudgeFromResponse(const engine::Response& response) {
  JudgeResult v;
  v.answer = response.text;
  if (!response.ok()) {
    v.status = std::string("failed: ") + engine::FinishReasonName(response.finish) +
               (response.error.empty() ? "" : ": " + response.error);
    return v;
  }
  std::optional<JudgeScores> s = ParseJudgeAnswer(response.text);
  if (!s) {
    v.status = "unparsable";
    return v;
  }
  v.status = "judged";
  v.accuracy = s->accuracy;
  v.completeness = s->completeness;
  v.concision = s->concision;
  return v;
}

void JudgeRows(engine::Llm& judge, const JudgePrompt& prompt, const std::vector<EvalRow>& rows,
               std::vector<RowResult>* results, const JudgeOptions& options, JudgeStats* stats) {
  if (results->size() != rows.size()) throw Error(kExitUsage, "judge: rows and results differ");
  const std::string judge_hash = JudgeFingerprint(judge, prompt);
  std::map<size_t, StoredVerdict> done = LoadVerdicts(options.results_path, options.config_hash, judge_hash);
  std::vector<size_t> todo;
  std::vector<std::string> codes(rows.size());
  std::vector<std::string> inputs(rows.size());
  size_t reused = 0;
  for (size_t i = 0; i < rows.size(); ++i) {
    RowResult& r = (*results)[i];
    if (r.index != rows[i].index) throw Error(kExitUsage, "judge: rows and results differ");
    r.judge = {};
    if (r.comment.empty()) continue;  // nothing to judge: failed or rejected answers
    codes[i] = RowCodeWithoutComment(rows[i]);
    inputs[i] = InputHash(codes[i], r.comment);
    auto it = done.find(r.index);
    if (it != done.end() && it->second.input == inputs[i]) {
      r.judge = it->second.verdict;
      ++reused;
    } else {
      todo.push_back(i);
    }
  }
  if (stats) *stats = {reused, 0};
  if (todo.empty()) return;
  std::ofstream log(options.results_path, std::ios::app | std::ios::binary);
  if (!log) throw Error(kExitIo, "cannot write " + options.results_path.string());
  Progress bar(options.label, todo.size(), options.progress && Progress::DefaultEnabled());
  std::vector<engine::Job> jobs(todo.size());
  size_t answered = 0;
  for (size_t k = 0; k < todo.size(); ++k) {
    const size_t slot = todo[k];
    jobs[k].make = [&, slot]() -> std::optional<engine::Request> {
      engine::Request request =
          JudgeRequest(judge, prompt, rows[slot].language, codes[slot], (*results)[slot].comment, options.time_limit_s);
      request.id = rows[slot].id;
      return request;
    };
    jobs[k].done = [&, slot](const engine::Response& response) {
      if (response.finish == engine::FinishReason::kCancelled) return;  // left for the resume
      RowResult& r = (*results)[slot];
      r.judge = JudgeFromResponse(response);
      nlohmann::json j{{"kind", "judge"},   {"config", options.config_hash}, {"judge", judge_hash},
                       {"index", r.index},  {"input", inputs[slot]},         {"verdict", VerdictJson(r.judge)}};
      log << j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
      log.flush();
      if (!log) throw Error(kExitIo, "cannot write " + options.results_path.string());
      bar.Advance(rows[slot].id, static_cast<uint64_t>(response.completion_tokens));
      ++answered;
      if (stats) ++stats->requested;
    };
  }
  judge.RunJobs(jobs);
  bar.Finish();
  if (answered < todo.size()) {
    throw Error(kExitInterrupted, "interrupted: the judge answered " + std::to_string(reused + answered) + " of " +
                                      std::to_string(reused + todo.size()) +
                                      " comments; run the same command again to resume");
  }
}

namespace {

double Mean(const std::vector<double>& v) {
  double total = 0;
  for (double x : v) total += x;
  return v.empty() ? 0.0 : total / static_cast<double>(v.size());
}

CriterionStat Criterion(std::string_view name, const std::vector<double>& scores, int resamples, uint64_t seed) {
  // The bootstrap of the mean difference from 0 is the bootstrap of the mean.
  Difference d = PairedBootstrap(std::vector<double>(scores.size(), 0.0), scores, resamples, seed);
  return {std::string(name), d.mean_b, d.ci_low, d.ci_high};
}

std::optional<double> Kappa(const size_t t[2][2], size_t n) {
  if (n == 0) return std::nullopt;
  const double total = static_cast<double>(n);
  const double observed = static_cast<double>(t[0][0] + t[1][1]) / total;
  const double judge_good = static_cast<double>(t[1][0] + t[1][1]) / total;
  const double rules_pass = static_cast<double>(t[0][1] + t[1][1]) / total;
  const double expected = judge_good * rules_pass + (1 - judge_good) * (1 - rules_pass);
  if (expected >= 1.0) return std::nullopt;  // both raters constant: agreement by chance is certain
  return (observed - expected) / (1.0 - expected);
}

// Pearson's r between accuracy and pass (1) / fail (0), i.e. the point-biserial correlation.
std::optional<double> PointBiserial(const std::vector<double>& accuracy, const std::vector<bool>& pass) {
  const double n = static_cast<double>(accuracy.size());
  std::vector<double> passed, failed;
  for (size_t i = 0; i < accuracy.size(); ++i) (pass[i] ? passed : failed).push_back(accuracy[i]);
  if (passed.empty() || failed.empty()) return std::nullopt;
  const double mean = Mean(accuracy);
  double var = 0;
  for (double x : accuracy) var += (x - mean) * (x - mean);
  const double sd = std::sqrt(var / n);
  if (sd == 0) return std::nullopt;
  const double p = static_cast<double>(passed.size()) / n;
  return (Mean(passed) - Mean(failed)) / sd * std::sqrt(p * (1 - p));
}

JudgeAgreement Agree(const std::vector<RowResult>& rows) {
  JudgeAgreement a;
  std::vector<double> accuracy;
  std::vector<bool> pass;
  for (const RowResult& r : rows) {
    if (r.judge.status != "judged" || !r.consistency_checked) continue;
    const bool passes = r.consistency.empty();
    accuracy.push_back(r.judge.accuracy);
    pass.push_back(passes);
    ++a.table[r.judge.accuracy >= 4 ? 1 : 0][passes ? 1 : 0];
    (passes ? a.accuracy_pass : a.accuracy_fail) += r.judge.accuracy;
    ++(passes ? a.pass : a.fail);
  }
  a.rows = accuracy.size();
  if (a.pass > 0) a.accuracy_pass /= static_cast<double>(a.pass);
  if (a.fail > 0) a.accuracy_fail /= static_cast<double>(a.fail);
  a.kappa = Kappa(a.table, a.rows);
  a.point_biserial = PointBiserial(accuracy, pass);
  return a;
}

nlohmann::json OrNull(const std::optional<double>& v) { return v ? nlohmann::json(*v) : nlohmann::json(); }
std::string OrDash(const std::optional<double>& v) { return v ? FormatFixed(*v, 2) : "n/a"; }

}  // namespace

std::optional<JudgeSummary> SummarizeJudge(const std::vector<RowResult>& rows, int resamples, uint64_t seed) {
  JudgeSummary s;
  s.resamples = resamples;
  s.seed = seed;
  bool any = false;
  std::vector<std::vector<double>> scores(3);
  for (const RowResult& r : rows) {
    const std::string& status = r.judge.status;
    any = any || !status.empty();
    if (status.empty()) {
      ++s.not_judged;
    } else if (status == "judged") {
      ++s.judged;
      for (size_t k = 0; k < 3; ++k) scores[k].push_back(Score(r.judge, k));
    } else if (status == "unparsable") {
      ++s.unparsable;
    } else {
      ++s.failed;
    }
  }
  if (!any) return std::nullopt;
  if (s.judged > 0) {
    for (size_t k = 0; k < 3; ++k) s.criteria.push_back(Criterion(kCriteria[k], scores[k], resamples, seed));
  }
  s.agreement = Agree(rows);
  return s;
}

nlohmann::json JudgeJson(const JudgeSummary& s) {
  nlohmann::json criteria = nlohmann::json::object();
  for (const CriterionStat& c : s.criteria) criteria[c.name] = {{"mean", c.mean}, {"ci_low", c.ci_low}, {"ci_high", c.ci_high}};
  const JudgeAgreement& a = s.agreement;
  nlohmann::json table{{"good_pass", a.table[1][1]}, {"good_fail", a.table[1][0]},
                       {"poor_pass", a.table[0][1]}, {"poor_fail", a.table[0][0]}};
  return {{"judged", s.judged},
          {"unparsable", s.unparsable},
          {"failed", s.failed},
          {"not_judged", s.not_judged},
          {"bootstrap", {{"resamples", s.resamples}, {"seed", s.seed}, {"confidence", 0.95}}},
          {"criteria", criteria},
          {"agreement",
           {{"rows", a.rows},
            {"pass", a.pass},
            {"fail", a.fail},
            {"accuracy_pass", a.accuracy_pass},
            {"accuracy_fail", a.accuracy_fail},
            {"table", table},
            {"kappa", OrNull(a.kappa)},
            {"point_biserial", OrNull(a.point_biserial)}}}};
}

std::string JudgeMarkdown(const JudgeSummary& s) {
  std::string md = "\n## Judge\n\n" + std::to_string(s.judged) + " comments judged, " + std::to_string(s.unparsable) +
                   " answers unparsable, " + std::to_string(s.failed) + " failed; " + std::to_string(s.not_judged) +
                   " rows had no comment. Scores 1-5 (scale-cfg/judge.txt); 95% bootstrap interval, " +
                   std::to_string(s.resamples) + " resamples, seed " + std::to_string(s.seed) + ".\n";
  if (!s.criteria.empty()) {
    md += "\n| criterion | mean | 95% CI |\n| --- | ---: | --- |\n";
    for (const CriterionStat& c : s.criteria) {
      md += "| " + c.name + " | " + FormatFixed(c.mean, 2) + " | [" + FormatFixed(c.ci_low, 2) + ", " +
            FormatFixed(c.ci_high, 2) + "] |\n";
    }
  }
  const JudgeAgreement& a = s.agreement;
  if (a.rows == 0) return md;
  md += "\nJudge vs consistency rules (" + std::to_string(a.rows) + " rows): mean accuracy " +
        FormatFixed(a.accuracy_pass, 2) + " of the " + std::to_string(a.pass) + " that pass, " +
        FormatFixed(a.accuracy_fail, 2) + " of the " + std::to_string(a.fail) + " that fail; Cohen's kappa " +
        OrDash(a.kappa) + ", point-biserial r " + OrDash(a.point_biserial) +
        ".\n\n| judge accuracy | pass rules | fail rules |\n| --- | ---: | ---: |\n| >= 4 | " +
        std::to_string(a.table[1][1]) + " | " + std::to_string(a.table[1][0]) + " |\n| <= 3 | " +
        std::to_string(a.table[0][1]) + " | " + std::to_string(a.table[0][0]) + " |\n";
  return md;
}

std::vector<PairedMetric> CompareJudge(const std::vector<RowResult>& a, const std::vector<RowResult>& b, int resamples,
                                       uint64_t seed) {
  std::vector<PairedMetric> out;
  for (size_t k = 0; k < 3; ++k) {
    PairedMetric m;
    m.metric = "judge_" + std::string(kCriteria[k]);
    std::vector<double> va, vb;
    for (size_t i = 0; i < a.size() && i < b.size(); ++i) {
      if (a[i].judge.status != "judged" || b[i].judge.status != "judged") continue;
      va.push_back(Score(a[i].judge, k));
      vb.push_back(Score(b[i].judge, k));
      if (va.back() == vb.back()) ++m.ties;
    }
    if (va.empty()) return {};
    m.rows = va.size();
    m.d = PairedBootstrap(va, vb, resamples, seed);
    out.push_back(std::move(m));
  }
  return out;
}

}  // namespace scale::eval
