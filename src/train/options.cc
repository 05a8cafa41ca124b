#include "train/options.h"

#include <sstream>

#include "util/error.h"

namespace scale::train {
namespace {

constexpr Module kAllModules[] = {Module::kQ, Module::kK, Module::kV, Module::kO,
                                  Module::kGate, Module::kUp, Module::kDown};

}  // namespace

const char* ModuleTensorName(Module m) {
  switch (m) {
    case Module::kQ: return "attn_q";
    case Module::kK: return "attn_k";
    case Module::kV: return "attn_v";
    case Module::kO: return "attn_output";
    case Module::kGate: return "ffn_gate";
    case Module::kUp: return "ffn_up";
    case Module::kDown: return "ffn_down";
  }
  return "?";
}

const char* ModuleFlagName(Module m) {
  switch (m) {
    case Module::kQ: return "q";
    case Module::kK: return "k";
    case Module::kV: return "v";
    case Module::kO: return "o";
    case Module::kGate: return "gate";
    case Module::kUp: return "up";
    case Module::kDown: return "down";
  }
  return "?";
}

std::vector<Module> ParseModules(const std::string& list) {
  if (list == "all") return {std::begin(kAllModules), std::end(kAllModules)};
  std::vector<Module> out;
  std::stringstream in(list);
  std::string item;
  while (std::getline(in, item, ',')) {
    bool found = false;
    for (Module m : kAllModules) {
      if (item == ModuleFlagName(m)) {
        found = true;
        bool dup = false;
        for (Module have : out) dup = dup || have == m;
        if (!dup) out.push_back(m);
      }
    }
    if (!found) throw Error(kExitUsage, "unknown LoRA module '" + item + "' (choose from q,k,v,o,gate,up,down or all)");
  }
  if (out.empty()) throw Error(kExitUsage, "no LoRA modules given (e.g. --modules q,k,v,o)");
  return out;
}

}  // namespace scale::train
