#include "settings/table.h"

#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "util/error.h"

namespace scale::settings {
namespace {

using engine::ChatFormat;
using engine::KvCacheType;
using engine::RopeScaling;

constexpr double kNoLimit = 0;  // min == max == 0: no range (text settings)

// clang-format off
const std::vector<Setting> kTable = {
  // name            flag                 field                     min  max      help
  {"model",          "-m,--model",        &Params::model_path,      kNoLimit, kNoLimit,
   "GGUF model file, or another tool's model: ollama:NAME[:TAG], ORG/NAME[/FILE] (default: a profile's model, then the default model)", kModelCommands, false},
  {"gpu_layers",     "--gpu-layers",      &Params::gpu_layers,      -1, 1000,     "layers to offload to the GPU (-1 = all)", kModelCommands, false},
  {"threads",        "-t,--threads",      &Params::threads,         0, 1024,      "CPU threads (0 = physical cores)", kModelCommands, true},
  {"ctx_size",       "-c,--ctx-size",     &Params::ctx_size,        0, 1 << 20,   "context tokens per sequence (0 = min(trained, 4096))", kModelCommands, false},
  {"batch_size",     "-b,--batch-size",   &Params::batch_size,      1, 1 << 16,   "tokens per llama_decode call", kModelCommands, true},
  {"ubatch_size",    "--ubatch-size",     &Params::ubatch_size,     0, 1 << 16,   "tokens per compute graph (0 = min(batch-size, 512))", kModelCommands, false},
  {"parallel",       "-P,--parallel",     &Params::parallel,        1, 256,       "sequences decoding together", kModelCommands, false},
  {"kv_unified",     "--kv-unified",      &Params::kv_unified,      kNoLimit, kNoLimit,
   "one KV cache for all sequences: less memory, but attention spans every sequence (slower)", kModelCommands, false},
  {"cache_type",     "--cache-type",      &Params::cache_type,      kNoLimit, kNoLimit,
   "KV cache element type (q8_0: about half the memory of f16, q4_0: about a quarter)", kModelCommands, false},
  {"format",         "--format",          &Params::format,          kNoLimit, kNoLimit, "chat format", kModelCommands, false},
  {"rope_scaling",   "--rope-scaling",    &Params::rope_scaling,    kNoLimit, kNoLimit,
   "RoPE scaling (auto: YaRN only past the trained context)", kModelCommands, false},
  {"rope_scale",     "--rope-scale",      &Params::rope_scale,      0, 1e6,       "context multiplier (0 = ctx-size / trained context)", kModelCommands, false},
  {"rope_freq_base", "--rope-freq-base",  &Params::rope_freq_base,  0, 1e12,      "RoPE base frequency (0 = from the model)", kModelCommands, false},
  {"yarn_orig_ctx",  "--yarn-orig-ctx",   &Params::yarn_orig_ctx,   0, 1 << 24,   "YaRN original context (0 = trained context)", kModelCommands, false},
};
// clang-format on

// An enum's spellings, in enum order, so the index is the value.
std::vector<std::string> Names(KvCacheType*) { return engine::KvCacheTypes(); }
std::vector<std::string> Names(RopeScaling*) { return {"none", "linear", "yarn", "auto"}; }
std::vector<std::string> Names(ChatFormat*) {
  std::vector<std::string> out;
  for (int i = 0; i <= static_cast<int>(ChatFormat::kRaw); ++i) out.push_back(engine::ChatFormatName(static_cast<ChatFormat>(i)));
  return out;
}

template <typename E>
std::vector<std::string> NamesOf(E Params::*) {
  return Names(static_cast<E*>(nullptr));
}

bool ParseInt(const std::string& text, long long* out) {
  if (text.empty()) return false;
  char* end = nullptr;
  *out = std::strtoll(text.c_str(), &end, 10);
  return *end == '\0';
}

bool ParseNumber(const std::string& text, double* out) {
  if (text.empty()) return false;
  char* end = nullptr;
  *out = std::strtod(text.c_str(), &end);
  return *end == '\0' && std::isfinite(*out);
}

bool ParseBool(const std::string& text, bool* out) {
  if (text == "true" || text == "1") return *out = true, true;
  if (text == "false" || text == "0") return *out = false, true;
  return false;
}

std::string Quoted(const std::vector<std::string>& choices) {
  std::string out;
  for (size_t i = 0; i < choices.size(); ++i) {
    out += (i == 0 ? "" : i + 1 == choices.size() ? " or " : ", ") + ("\"" + choices[i] + "\"");
  }
  return out;
}

std::string Range(const Setting& s) {
  char buf[80];
  std::snprintf(buf, sizeof buf, "is out of range [%g, %g]", s.min, s.max);
  return buf;
}

std::string Format(double v) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}

}  // namespace

const std::vector<Setting>& Table() { return kTable; }

const Setting* Find(std::string_view name) {
  for (const Setting& s : kTable) {
    if (name == s.name) return &s;
  }
  return nullptr;
}

std::string LongFlag(const Setting& s) {
  std::string flag = s.flag;
  size_t at = flag.rfind("--");
  return flag.substr(at);
}

std::string EnvName(const Setting& s) {
  std::string out = "SCALE_";
  for (const char* c = s.name; *c; ++c) out += char(std::toupper(static_cast<unsigned char>(*c)));
  return out;
}

Type TypeOf(const Setting& s) {
  switch (s.field.index()) {
    case 0: return Type::kInt;
    case 1: return Type::kNumber;
    case 2: return Type::kBool;
    case 3: return Type::kText;
    default: return Type::kChoice;
  }
}

std::vector<std::string> Choices(const Setting& s) {
  return std::visit(
      [](auto member) -> std::vector<std::string> {
        using T = std::remove_cvref_t<decltype(Params{}.*member)>;
        if constexpr (std::is_enum_v<T>) return NamesOf(member);
        return {};
      },
      s.field);
}

std::string Check(const Setting& s, const std::string& text) {
  long long i = 0;
  double v = 0;
  bool b = false;
  switch (TypeOf(s)) {
    case Type::kInt:
      if (!ParseInt(text, &i)) return "must be an integer";
      v = double(i);
      break;
    case Type::kNumber:
      if (!ParseNumber(text, &v)) return "must be a number";
      break;
    case Type::kBool:
      return ParseBool(text, &b) ? "" : "must be true or false";
    case Type::kText:
      return "";
    case Type::kChoice: {
      for (const std::string& c : Choices(s)) {
        if (c == text) return "";
      }
      return "must be " + Quoted(Choices(s));
    }
  }
  return v < s.min || v > s.max ? Range(s) : "";
}

void Store(const Setting& s, const std::string& text, Params* p) {
  if (std::string problem = Check(s, text); !problem.empty()) {
    throw Error(kExitUsage, std::string(s.name) + " " + problem + " (got '" + text + "')");
  }
  std::visit(
      [&](auto member) {
        using T = std::remove_cvref_t<decltype(p->*member)>;
        if constexpr (std::is_same_v<T, int>) {
          p->*member = int(std::strtoll(text.c_str(), nullptr, 10));
        } else if constexpr (std::is_same_v<T, float>) {
          p->*member = std::strtof(text.c_str(), nullptr);
        } else if constexpr (std::is_same_v<T, bool>) {
          ParseBool(text, &(p->*member));
        } else if constexpr (std::is_same_v<T, std::string>) {
          p->*member = text;
        } else {
          const auto names = NamesOf(member);
          for (size_t i = 0; i < names.size(); ++i) {
            if (names[i] == text) p->*member = static_cast<T>(i);
          }
        }
      },
      s.field);
}

std::string Show(const Setting& s, const Params& p) {
  return std::visit(
      [&](auto member) -> std::string {
        using T = std::remove_cvref_t<decltype(p.*member)>;
        if constexpr (std::is_same_v<T, int>) {
          return std::to_string(p.*member);
        } else if constexpr (std::is_same_v<T, float>) {
          return Format(double(p.*member));
        } else if constexpr (std::is_same_v<T, bool>) {
          return p.*member ? "true" : "false";
        } else if constexpr (std::is_same_v<T, std::string>) {
          return p.*member;
        } else {
          return NamesOf(member).at(static_cast<size_t>(p.*member));
        }
      },
      s.field);
}

}  // namespace scale::settings
