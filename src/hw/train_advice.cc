#include "hw/train_advice.h"

#include <cstdio>

#include "models/cache.h"
#include "models/catalogue.h"
#include "util/error.h"
#include "util/size.h"

namespace scale::hw {
namespace {

// The catalogue records shapes but not architectures; these families are llama.cpp's "llama" or
// "qwen2" (SmolLM2 and DeepSeek-Coder are llama-architecture models). Others: "" (not trainable).
std::string CatalogueArchitecture(const models::CatalogueEntry& e) {
  const std::string& id = e.id;
  if (id.rfind("qwen2", 0) == 0) return "qwen2";
  if (id.rfind("llama", 0) == 0 || id.rfind("smollm", 0) == 0 || id.rfind("deepseek-coder", 0) == 0) return "llama";
  return "";
}

std::string ModuleList(const std::vector<train::Module>& modules) {
  std::string out;
  for (train::Module m : modules) out += (out.empty() ? "" : ",") + std::string(train::ModuleFlagName(m));
  return out;
}

}  // namespace

TrainAdvice AdviseTraining(const Profile& profile, const HwInfo& hw) {
  TrainAdvice a;
  a.options = profile.train;
  a.budget = hw.ram_available;
  const models::CatalogueEntry* e = models::FindCatalogueEntry(profile.model);
  if (!e) {
    a.why_not = "profile model " + profile.model + " is not in the catalogue";
    return a;
  }
  std::string file_problem;
  if (auto path = models::CachedPath(*e, models::ModelsDir())) {
    try {
      a.shape = train::ReadModelShape(path->string());
      a.shape_from = "model file " + path->string();
    } catch (const Error& err) {
      file_problem = err.what();
    }
  }
  if (a.shape_from.empty()) {
    const std::string arch = CatalogueArchitecture(*e);
    if (!file_problem.empty() && arch.empty()) {
      a.why_not = file_problem;
      return a;
    }
    if (arch.empty()) {
      a.why_not = e->title + " is not a llama or qwen2 model (the architectures scale train supports)";
      return a;
    }
    if (e->n_layer == 0 || e->n_embd == 0 || e->n_head == 0 || e->n_ff == 0 || e->vocab_size == 0) {
      a.why_not = "the catalogue has no shape for " + e->id + " and it is not cached (scale models pull " + e->id + ")";
      return a;
    }
    a.shape.architecture = arch;
    a.shape.n_layer = int(e->n_layer);
    a.shape.n_embd = int(e->n_embd);
    a.shape.n_head = int(e->n_head);
    a.shape.n_head_kv = int(e->n_head_kv ? e->n_head_kv : e->n_head);
    a.shape.n_ff = int(e->n_ff);
    a.shape.n_vocab = int(e->vocab_size);
    a.shape.weight_bytes = e->file_bytes;  // the download size: the file is the weights plus a small header
    a.shape_from = "catalogue entry " + e->id + (file_problem.empty() ? " (not cached)" : " (cached file unreadable)");
  }
  a.available = true;
  a.memory = train::EstimateMemory(a.shape, a.options);
  a.fits = a.memory.total <= a.budget;
  return a;
}

std::vector<std::string> ExplainTraining(const TrainAdvice& a) {
  std::vector<std::string> out;
  if (!a.available) {
    out.push_back("no advice: " + a.why_not);
    return out;
  }
  const auto& o = a.options;
  char buf[320];
  std::snprintf(buf, sizeof buf, "settings   --rank %d --alpha %g --batch %d --ctx %d --modules %s --lr %g --threads %d%s",
                o.lora.rank, double(o.lora.alpha), o.batch, o.ctx, ModuleList(o.lora.modules).c_str(), o.lr, o.threads,
                o.threads == 0 ? " (0 = physical cores)" : "");
  out.push_back(buf);
  out.push_back("shape      " + a.shape.architecture + ", " + std::to_string(a.shape.n_layer) + " layers, " +
                std::to_string(a.shape.n_embd) + " embd, " + std::to_string(a.shape.n_head) + "/" +
                std::to_string(a.shape.n_head_kv) + " heads, " + std::to_string(a.shape.n_ff) + " ffn, " +
                std::to_string(a.shape.n_vocab) + " vocab  (from the " + a.shape_from + ")");
  out.push_back("memory:");
  for (const auto& l : train::ExplainMemory(a.memory, a.shape, a.options)) out.push_back("  " + l);
  std::snprintf(buf, sizeof buf, "%s: %s needed of %s RAM available (%.0f%%)%s", a.fits ? "fits" : "does not fit",
                FormatBytes(a.memory.total).c_str(), FormatBytes(a.budget).c_str(),
                a.budget ? 100.0 * double(a.memory.total) / double(a.budget) : 0.0,
                a.fits ? "" : "; lower --ctx (activations grow with ctx^2 in attention) or use a smaller model");
  out.push_back(buf);
  return out;
}

nlohmann::json TrainAdviceJson(const TrainAdvice& a) {
  if (!a.available) return {{"available", false}, {"why_not", a.why_not}};
  const auto& o = a.options;
  const auto& m = a.memory;
  return {{"available", true},
          {"shape_from", a.shape_from},
          {"settings", {{"rank", o.lora.rank}, {"alpha", o.lora.alpha}, {"batch", o.batch}, {"ctx", o.ctx},
                        {"modules", ModuleList(o.lora.modules)}, {"threads", o.threads}, {"lr", o.lr}}},
          {"shape", {{"architecture", a.shape.architecture}, {"n_layer", a.shape.n_layer}, {"n_embd", a.shape.n_embd},
                     {"n_head", a.shape.n_head}, {"n_head_kv", a.shape.n_head_kv}, {"n_ff", a.shape.n_ff},
                     {"n_vocab", a.shape.n_vocab}, {"weight_bytes", a.shape.weight_bytes}}},
          {"memory", {{"weights", m.weights}, {"adapter", m.adapter}, {"activations", m.activations}, {"logits", m.logits},
                      {"total", m.total}, {"budget", a.budget}, {"budget_what", "RAM available"}}},
          {"fits", a.fits},
          {"memory_explained", train::ExplainMemory(m, a.shape, a.options)}};
}

}  // namespace scale::hw
