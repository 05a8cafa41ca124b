#include "eval/context_eval.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "engine/llama_engine.h"
#include "engine/window_score.h"
#include "util/error.h"
#include "util/log.h"
#include "util/progress.h"

namespace scale::eval {

const ContextEvalCell* ContextEvalReport::Find(const std::string& method, int length) const {
  for (const auto& c : cells) {
    if (c.method == method && c.length == length) return &c;
  }
  return nullptr;
}

ContextEvalReport RunContextEval(const ContextEvalOptions& o) {
  for (const auto& m : o.methods) {
    if (m != "none" && m != "linear" && m != "yarn" && m != "ntk") {
      throw Error(kExitUsage, "unknown RoPE method '" + m + "' (use none, linear, yarn, ntk)");
    }
  }
  for (int l : o.lengths) {
    if (l < 16 || l > (1 << 20)) throw Error(kExitUsage, "context length " + std::to_string(l) + " is out of range [16, 1048576]");
  }
  if (o.text.empty()) throw Error(kExitInput, "the evaluation text is empty");
  engine::EngineParams params;  // the engine checks the file, loads the model once; windows get their own contexts
  params.model_path = o.model_path;
  params.gpu_layers = o.gpu_layers;
  params.threads = o.threads;
  params.ctx_size = 256;
  params.format = engine::ChatFormat::kRaw;
  params.show_llama_logs = Verbose();
  auto engine = engine::LlamaEngine::Load(params);
  const engine::RopeFacts rope = engine::ModelRopeFacts(*engine);
  const int n_train = rope.trained_ctx;
  std::vector<llama_token> tokens = engine->Tokenize(o.text, true, false);

  ContextEvalReport report;
  report.model = o.model_path;
  report.trained_context = n_train;
  report.text_tokens = long(tokens.size());

  uint64_t units = 0;
  for (int l : o.lengths) units += o.methods.size() * size_t(std::min<long>(o.max_windows, long(tokens.size()) / l));
  Progress bar("context", units);
  for (int length : o.lengths) {
    for (const auto& method : o.methods) {
      ContextEvalCell cell;
      cell.method = method;
      cell.length = length;
      const int windows = int(std::min<long>(o.max_windows, long(tokens.size()) / length));
      if (windows == 0) {
        cell.skipped = "text has " + std::to_string(tokens.size()) + " tokens, fewer than " + std::to_string(length);
        report.cells.push_back(cell);
        continue;
      }
      double factor = o.rope_scale > 0 ? o.rope_scale : std::max(1.0, double(length) / double(n_train));
      engine::ScoringContextParams sp;
      sp.n_ctx = length;
      sp.batch_size = o.batch_size;
      sp.threads = o.threads;
      if (method == "none") {
        factor = 1;
      } else if (method == "linear" || method == "yarn") {
        sp.rope = method == "linear" ? engine::RopeScaling::kLinear : engine::RopeScaling::kYarn;
        sp.freq_scale = float(1.0 / factor);
        sp.yarn_orig_ctx = n_train;
      } else {  // ntk: stretch the base so the lowest frequency covers factor x the trained span
        const double dim = rope.head_dim;
        sp.freq_base = float(rope.freq_base * std::pow(factor, dim / (dim - 2)));
      }
      cell.factor = factor;
      std::unique_ptr<engine::WindowScorer> scorer;
      try {
        scorer = std::make_unique<engine::WindowScorer>(*engine, sp);
      } catch (const Error& e) {
        cell.skipped = e.what();
        report.cells.push_back(cell);
        continue;
      }
      engine::WindowNll nll;
      bool failed = false;
      for (int w = 0; w < windows && !failed; ++w) {
        std::span<const llama_token> window(tokens.data() + size_t(w) * size_t(length), size_t(length));
        failed = !scorer->Score(window, length / 2, &nll);
        bar.Advance(method + " @ " + std::to_string(length));
      }
      if (failed || nll.tokens == 0) {
        cell.skipped = "decoding failed at length " + std::to_string(length);
      } else {
        cell.perplexity = std::exp(nll.sum / double(nll.tokens));
        cell.windows = windows;
        cell.scored_tokens = nll.tokens;
      }
      report.cells.push_back(cell);
    }
  }
  bar.Finish();
  return report;
}

nlohmann::json ContextEvalReport::ToJson() const {
  nlohmann::json rows = nlohmann::json::array();
  for (const auto& c : cells) {
    nlohmann::json r = {{"method", c.method}, {"length", c.length}, {"factor", c.factor}, {"windows", c.windows},
                        {"scored_tokens", c.scored_tokens}};
    r["perplexity"] = c.skipped.empty() ? nlohmann::json(c.perplexity) : nlohmann::json(nullptr);
    if (!c.skipped.empty()) r["skipped"] = c.skipped;
    rows.push_back(r);
  }
  return {{"model", model}, {"trained_context", trained_context}, {"text_tokens", text_tokens}, {"results", rows}};
}

std::string ContextEvalReport::Table() const {
  std::vector<std::string> methods;
  std::vector<int> lengths;
  for (const auto& c : cells) {
    if (std::find(methods.begin(), methods.end(), c.method) == methods.end()) methods.push_back(c.method);
    if (std::find(lengths.begin(), lengths.end(), c.length) == lengths.end()) lengths.push_back(c.length);
  }
  char buf[64];
  std::string out = "perplexity by context length (trained context " + std::to_string(trained_context) + ", text " +
                    std::to_string(text_tokens) + " tokens; NLL over the second half of each window)\n";
  std::snprintf(buf, sizeof buf, "%-8s %-7s", "length", "factor");
  out += buf;
  for (const auto& m : methods) {
    std::snprintf(buf, sizeof buf, " %12s", m.c_str());
    out += buf;
  }
  out += "\n";
  std::vector<std::string> notes;
  for (int l : lengths) {
    double factor = std::max(1.0, double(l) / std::max(1, trained_context));
    for (const auto& c : cells) {
      if (c.length == l && c.method != "none") factor = c.factor;
    }
    std::snprintf(buf, sizeof buf, "%-8d %-7s", l, (std::to_string(int(factor * 100 + 0.5) / 100.0).substr(0, 4) + "x").c_str());
    out += buf;
    for (const auto& m : methods) {
      const ContextEvalCell* c = Find(m, l);
      if (c && c->skipped.empty()) {
        std::snprintf(buf, sizeof buf, " %12.4f", c->perplexity);
      } else {
        std::snprintf(buf, sizeof buf, " %12s", "-");
        if (c && std::find(notes.begin(), notes.end(), c->skipped) == notes.end()) notes.push_back(c->skipped);
      }
      out += buf;
    }
    out += "\n";
  }
  for (const auto& n : notes) out += "- " + n + "\n";
  return out;
}

}  // namespace scale::eval
