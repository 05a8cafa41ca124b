#include "engine/llama_log.h"

#include <atomic>
#include <cstdio>
#include <mutex>

#include "ggml.h"
#include "llama.h"
#include "util/text.h"

namespace scale::engine {
namespace {

std::atomic<bool> g_show{false};
std::mutex g_mutex;
std::string g_errors;
// GGML_LOG_LEVEL_CONT continues the previous line, so it inherits that line's level.
ggml_log_level g_last_level = GGML_LOG_LEVEL_NONE;

void OnLog(ggml_log_level level, const char* text, void* /*user_data*/) {
  if (text == nullptr) return;
  if (g_show.load()) {
    std::fputs(text, stderr);
    std::fflush(stderr);
  }
  std::lock_guard<std::mutex> lock(g_mutex);
  if (level != GGML_LOG_LEVEL_CONT) g_last_level = level;
  if (g_last_level != GGML_LOG_LEVEL_ERROR) return;
  std::string line = Trim(text);
  if (line.empty()) return;
  // Keep the record small: a failing load may log many lines, the first ones say why.
  if (g_errors.size() > 2000) return;
  if (!g_errors.empty() && level != GGML_LOG_LEVEL_CONT) g_errors += "; ";
  g_errors += line;
}

}  // namespace

void ShowLlamaLogs(bool show) { g_show = show; }

void InstallLlamaLogFilter() {
  static std::once_flag once;
  std::call_once(once, [] {
    llama_log_set(OnLog, nullptr);
    ggml_log_set(OnLog, nullptr);
  });
}

void InstallLlamaLogFilter(bool show) {
  InstallLlamaLogFilter();
  ShowLlamaLogs(show);
}

std::string LlamaErrors() {
  std::lock_guard<std::mutex> lock(g_mutex);
  return g_errors;
}

void ClearLlamaErrors() {
  std::lock_guard<std::mutex> lock(g_mutex);
  g_errors.clear();
}

}  // namespace scale::engine
