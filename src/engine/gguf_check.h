// Checks a model file before llama.cpp sees it (llama.cpp aborts or logs vaguely on bad input) and
// reads the few metadata values the engine needs: architecture, shape for the memory formula.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "engine/model_facts.h"

namespace scale::engine {

// A checked model file: its shape (model_facts.h) and what the engine reads besides.
struct GgufInfo : ModelShape {
  uint64_t file_size = 0;
  std::string architecture;  // general.architecture
  std::string name;          // general.name ("" if absent)
  bool has_chat_template = false;
};

// Throws scale::Error(kExitModel) with one line naming the file and the problem: missing, a
// directory, empty, not GGUF (magic bytes), corrupt header, truncated tensor data, no architecture.
GgufInfo InspectModelFile(const std::string& path);

}  // namespace scale::engine
