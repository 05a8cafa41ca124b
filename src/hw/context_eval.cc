#include "hw/context_eval.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <memory>

#include "engine/llama_log.h"
#include "engine/system_info.h"
#include "llama.h"
#include "models/gguf_info.h"
#include "util/error.h"
#include "util/fs.h"
#include "util/log.h"
#include "util/progress.h"

namespace scale::hw {
namespace {

struct ModelFree {
  void operator()(llama_model* m) const { llama_model_free(m); }
};
struct ContextFree {
  void operator()(llama_context* c) const { llama_free(c); }
};

std::vector<llama_token> Tokenize(const llama_vocab* vocab, const std::string& text) {
  std::vector<llama_token> tokens(text.size() + 8);
  int n = llama_tokenize(vocab, text.data(), int32_t(text.size()), tokens.data(), int32_t(tokens.size()), true, false);
  if (n < 0) {
    tokens.resize(size_t(-n));
    n = llama_tokenize(vocab, text.data(), int32_t(text.size()), tokens.data(), int32_t(tokens.size()), true, false);
  }
  tokens.resize(size_t(std::max(n, 0)));
  return tokens;
}

// -log p(target) from one row of logits, in double precision.
double Nll(const float* logits, int n_vocab, llama_token target) {
  float max = logits[0];
  for (int i = 1; i < n_vocab; ++i) max = std::max(max, logits[i]);
  double sum = 0;
  for (int i = 0; i < n_vocab; ++i) sum += std::exp(double(logits[i]) - double(max));
  return std::log(sum) - (double(logits[target]) - double(max));
}

}  // namespace

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
  models::GgufInfo info = models::ReadGgufInfo(o.model_path);  // clear errors before llama.cpp sees it

  engine::InstallLlamaLogFilter(Verbose());
  engine::ClearLlamaErrors();
  llama_backend_init();
  llama_model_params mp = llama_model_default_params();
  mp.n_gpu_layers = o.gpu_layers;
  std::unique_ptr<llama_model, ModelFree> model(llama_model_load_from_file(o.model_path.c_str(), mp));
  if (!model) throw Error(kExitModel, "llama.cpp could not load " + o.model_path + ": " + engine::LlamaErrors());
  const llama_vocab* vocab = llama_model_get_vocab(model.get());
  const int n_vocab = llama_vocab_n_tokens(vocab);
  const int n_train = llama_model_n_ctx_train(model.get());
  const bool add_bos = llama_vocab_get_add_bos(vocab);
  std::vector<llama_token> tokens = Tokenize(vocab, o.text);

  ContextEvalReport report;
  report.model = o.model_path;
  report.trained_context = n_train;
  report.text_tokens = long(tokens.size());
  const int threads = o.threads > 0 ? o.threads : engine::PhysicalCores();

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
      llama_context_params cp = llama_context_default_params();
      cp.n_ctx = uint32_t(length);
      cp.n_batch = uint32_t(std::min(length, o.batch_size));
      cp.n_ubatch = cp.n_batch;
      cp.n_seq_max = 1;
      cp.n_threads = threads;
      cp.n_threads_batch = threads;
      cp.no_perf = true;
      // ggml's CPU flash-attention kernel is slow for the small head sizes of tiny models, and
      // perplexity needs no memory savings at these lengths.
      cp.flash_attn_type = LLAMA_FLASH_ATTN_TYPE_DISABLED;
      if (method == "none") {
        cp.rope_scaling_type = LLAMA_ROPE_SCALING_TYPE_NONE;
        factor = 1;
      } else if (method == "linear") {
        cp.rope_scaling_type = LLAMA_ROPE_SCALING_TYPE_LINEAR;
        cp.rope_freq_scale = float(1.0 / factor);
      } else if (method == "yarn") {
        cp.rope_scaling_type = LLAMA_ROPE_SCALING_TYPE_YARN;
        cp.rope_freq_scale = float(1.0 / factor);
        cp.yarn_orig_ctx = uint32_t(n_train);
      } else {  // ntk: stretch the base so the lowest frequency covers factor x the trained span
        cp.rope_scaling_type = LLAMA_ROPE_SCALING_TYPE_NONE;
        double base = info.rope_freq_base > 0 ? info.rope_freq_base : 10000.0;
        double dim = info.head_dim > 2 ? info.head_dim : 64;
        cp.rope_freq_base = float(base * std::pow(factor, dim / (dim - 2)));
      }
      cell.factor = factor;
      std::unique_ptr<llama_context, ContextFree> ctx(llama_init_from_model(model.get(), cp));
      if (!ctx) {
        cell.skipped = "llama.cpp could not create a " + std::to_string(length) + "-token context (" + engine::LlamaErrors() + ")";
        report.cells.push_back(cell);
        continue;
      }
      llama_batch batch = llama_batch_init(int32_t(cp.n_batch), 0, 1);
      double nll = 0;
      long scored = 0;
      const int first = length / 2;
      bool failed = false;
      for (int w = 0; w < windows && !failed; ++w) {
        const size_t start = size_t(w) * size_t(length);
        llama_memory_clear(llama_get_memory(ctx.get()), true);
        for (int pos = 0; pos < length && !failed; pos += int(cp.n_batch)) {
          const int n = std::min(int(cp.n_batch), length - pos);
          batch.n_tokens = n;
          for (int i = 0; i < n; ++i) {
            const int j = pos + i;
            // Each window starts like a document: with BOS, as llama-perplexity does.
            batch.token[i] = (j == 0 && add_bos) ? llama_vocab_bos(vocab) : tokens[start + size_t(j)];
            batch.pos[i] = j;
            batch.n_seq_id[i] = 1;
            batch.seq_id[i][0] = 0;
            batch.logits[i] = (j >= first && j < length - 1) ? 1 : 0;
          }
          if (llama_decode(ctx.get(), batch) != 0) {
            failed = true;
            break;
          }
          for (int i = 0; i < n; ++i) {
            const int j = pos + i;
            if (!batch.logits[i]) continue;
            nll += Nll(llama_get_logits_ith(ctx.get(), i), n_vocab, tokens[start + size_t(j) + 1]);
            ++scored;
          }
        }
        bar.Advance(method + " @ " + std::to_string(length));
      }
      llama_batch_free(batch);
      if (failed || scored == 0) {
        cell.skipped = "decoding failed at length " + std::to_string(length);
      } else {
        cell.perplexity = std::exp(nll / double(scored));
        cell.windows = windows;
        cell.scored_tokens = scored;
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

void AddContextEvalSubcommand(CLI::App* eval_cmd) {
  struct Args {
    ContextEvalOptions o;
    std::string text_file;
    bool json = false;
    int verbose = 0;
    bool quiet = false;
  };
  static Args a;
  auto* cmd = eval_cmd->add_subcommand("context", "Perplexity at growing context lengths for each RoPE scaling method");
  cmd->add_option("-m,--model", a.o.model_path, "GGUF model")->required();
  cmd->add_option("--text", a.text_file, "Plain-text file to score (needs at least LENGTH tokens per length)")->required();
  cmd->add_option("--lengths", a.o.lengths, "Context lengths in tokens, comma-separated")->delimiter(',');
  cmd->add_option("--methods", a.o.methods, "none, linear, yarn, ntk (comma-separated)")->delimiter(',');
  cmd->add_option("--windows", a.o.max_windows, "Windows per length at most")->check(CLI::Range(1, 1000));
  cmd->add_option("--rope-scale", a.o.rope_scale, "Context multiplier for linear/yarn/ntk (default: length / trained context)");
  cmd->add_option("-t,--threads", a.o.threads, "CPU threads (default: physical cores)");
  cmd->add_option("--gpu-layers", a.o.gpu_layers, "Layers to offload (-1 = all)");
  cmd->add_flag("--json", a.json, "Machine-readable output");
  cmd->add_flag("-v,--verbose", a.verbose, "Show llama.cpp's log");
  cmd->add_flag("-q,--quiet", a.quiet, "No progress on stderr");
  cmd->callback([] {
    if (a.quiet) SetLogLevel(LogLevel::kQuiet);
    if (a.verbose) SetLogLevel(LogLevel::kVerbose);
    a.o.text = ReadFile(a.text_file, 256ull << 20);
    ContextEvalReport r = RunContextEval(a.o);
    std::fputs(a.json ? (r.ToJson().dump(2) + "\n").c_str() : r.Table().c_str(), stdout);
  });
}

}  // namespace scale::hw
