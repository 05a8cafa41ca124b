// Routes llama.cpp's and ggml's log lines: hidden unless shown (-v), but the latest error text is
// always kept so a failed load can say *why* in our own one-line message.
#pragma once

#include <string>

namespace scale::engine {

// Installs the filter (idempotent, thread-safe); lines stay hidden until shown.
void InstallLlamaLogFilter();
// Whether llama.cpp's lines reach stderr (-v).
void ShowLlamaLogs(bool show);
// Both at once.
void InstallLlamaLogFilter(bool show);

// Error lines llama.cpp/ggml logged since the last ClearLlamaErrors(), joined by "; ", trimmed.
std::string LlamaErrors();
void ClearLlamaErrors();

}  // namespace scale::engine
