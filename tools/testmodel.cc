// scale-testmodel: writes random-weight GGUF models in real models' shapes (for tests, benchmarks
// and the demo's stand-in) and LoRA adapters for them. Output is meaningless text by design.
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "testmodel/gguf_writer.h"
#include "testmodel/model_spec.h"
#include "util/error.h"

namespace {

using scale::Error;
using scale::kExitUsage;
namespace tm = scale::testmodel;

constexpr const char* kUsage =
    "usage: scale-testmodel --preset NAME [--type f32|f16|q8_0|q4_0] -o OUT.gguf [--seed N] [--vocab FILE|NAME]\n"
    "                       [--layers N] [--embd N] [--heads N] [--kv-heads N] [--ff N] [--ctx N]\n"
    "       scale-testmodel --lora --preset NAME [--rank 8] [--alpha 16] -o LORA.gguf [--seed N]\n"
    "       scale-testmodel --list\n"
    "Writes a llama.cpp GGUF with random weights in the exact shape of a real model (or a LoRA\n"
    "adapter for one). Its output is meaningless; it exists to test and benchmark the real code path.\n";

struct Args {
  std::string preset, out, vocab, type = "f16";
  std::optional<uint64_t> seed;
  bool list = false, lora = false;
  int rank = 8;
  float alpha = 16.0f;
  std::optional<int> layers, embd, heads, kv_heads, ff, ctx;
};

long long ParseInt(const std::string& flag, const std::string& value, long long lo, long long hi) {
  char* end = nullptr;
  errno = 0;
  long long v = std::strtoll(value.c_str(), &end, 10);
  if (value.empty() || *end || errno || v < lo || v > hi) {
    throw Error(kExitUsage, flag + " needs a whole number in " + std::to_string(lo) + ".." + std::to_string(hi) +
                                ", got '" + value + "'");
  }
  return v;
}

Args Parse(int argc, char** argv) {
  Args a;
  std::vector<std::string> args(argv + 1, argv + argc);
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& f = args[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= args.size()) throw Error(kExitUsage, f + " needs a value");
      return args[++i];
    };
    auto small = [&](std::optional<int>& dst) { dst = static_cast<int>(ParseInt(f, value(), 1, 1 << 20)); };
    if (f == "-h" || f == "--help") {
      std::cout << kUsage;
      std::exit(0);
    } else if (f == "--list") a.list = true;
    else if (f == "--lora") a.lora = true;
    else if (f == "--preset") a.preset = value();
    else if (f == "--type") a.type = value();
    else if (f == "-o" || f == "--output") a.out = value();
    else if (f == "--vocab") a.vocab = value();
    else if (f == "--seed") a.seed = static_cast<uint64_t>(ParseInt(f, value(), 0, INT64_MAX));
    else if (f == "--rank") a.rank = static_cast<int>(ParseInt(f, value(), 1, 4096));
    else if (f == "--alpha") {
      std::string v = value();
      char* end = nullptr;
      a.alpha = std::strtof(v.c_str(), &end);
      if (v.empty() || *end || !(a.alpha >= 0)) throw Error(kExitUsage, "--alpha needs a number >= 0, got '" + v + "'");
    } else if (f == "--layers") small(a.layers);
    else if (f == "--embd") small(a.embd);
    else if (f == "--heads") small(a.heads);
    else if (f == "--kv-heads") small(a.kv_heads);
    else if (f == "--ff") small(a.ff);
    else if (f == "--ctx") small(a.ctx);
    else throw Error(kExitUsage, "unknown argument '" + f + "' (see --help)");
  }
  return a;
}

std::string Mib(uint64_t bytes) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.1f MiB", static_cast<double>(bytes) / (1 << 20));
  return buf;
}

void List() {
  std::printf("%-14s %-6s %6s %5s %5s %3s %5s %-10s %14s %12s %12s %12s\n", "preset", "arch", "layers", "embd", "heads",
              "kv", "ff", "vocab", "params", "f16", "q8_0", "q4_0");
  for (const std::string& name : tm::PresetNames()) {
    tm::ModelSpec s = tm::PresetSpec(name);
    const int n_vocab = tm::VocabSize(s.vocab_path);
    auto bytes = [&](tm::WeightType t) {
      s.type = t;
      return Mib(tm::TensorBytes(s, n_vocab));
    };
    std::string vocab = std::filesystem::path(s.vocab_path).stem().string().substr(std::string("ggml-vocab-").size());
    std::printf("%-14s %-6s %6d %5d %5d %3d %5d %-10s %14llu %12s %12s %12s\n", name.c_str(), s.architecture.c_str(),
                s.n_layer, s.n_embd, s.n_head, s.n_head_kv, s.n_ff, vocab.c_str(),
                static_cast<unsigned long long>(tm::ParameterCount(s, n_vocab)), bytes(tm::WeightType::kF16).c_str(),
                bytes(tm::WeightType::kQ8_0).c_str(), bytes(tm::WeightType::kQ4_0).c_str());
  }
  std::printf("(sizes: tensor data; files add the tokenizer, ~1-8 MiB)\n");
}

int Run(int argc, char** argv) {
  const Args a = Parse(argc, argv);
  if (a.list) {
    List();
    return 0;
  }
  if (a.preset.empty()) throw Error(kExitUsage, "--preset is required (see --list)");
  if (a.out.empty()) throw Error(kExitUsage, "-o OUT.gguf is required");
  tm::ModelSpec s = tm::PresetSpec(a.preset, tm::ParseWeightType(a.type));
  if (!a.vocab.empty()) {
    // A bare name picks one of llama.cpp's vocab files ("qwen2"); anything else is a path.
    s.vocab_path = a.vocab.find('/') == std::string::npos && !a.vocab.ends_with(".gguf") ? tm::VocabFile(a.vocab)
                                                                                          : a.vocab;
    if (!std::filesystem::exists(s.vocab_path)) throw Error(scale::kExitModel, "vocab not found: " + s.vocab_path);
  }
  if (a.layers) s.n_layer = *a.layers;
  if (a.embd) s.n_embd = *a.embd;
  if (a.heads) s.n_head = *a.heads;
  if (a.kv_heads) s.n_head_kv = *a.kv_heads;
  if (a.ff) s.n_ff = *a.ff;
  if (a.ctx) s.n_ctx_train = *a.ctx;
  if (a.lora) {
    tm::WriteRandomLora(s, a.rank, a.alpha, a.out, a.seed.value_or(7));
    std::cerr << "wrote LoRA adapter (rank " << a.rank << ", alpha " << a.alpha << ") for " << a.preset << ": " << a.out
              << "\n";
    return 0;
  }
  if (a.seed) s.seed = *a.seed;
  const int n_vocab = tm::VocabSize(s.vocab_path);
  tm::WriteRandomModel(s, a.out);
  std::cerr << "wrote " << a.preset << " (" << tm::WeightTypeName(s.type) << ", "
            << tm::ParameterCount(s, n_vocab) << " parameters, random weights) to " << a.out << " ("
            << Mib(std::filesystem::file_size(a.out)) << ")\n";
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return Run(argc, argv);
  } catch (const scale::Error& e) {
    std::cerr << "scale-testmodel: error: " << e.what() << "\n";
    return e.exit_code();
  } catch (const std::exception& e) {
    std::cerr << "scale-testmodel: error: " << e.what() << "\n";
    return scale::kExitWorkFailed;
  }
}
