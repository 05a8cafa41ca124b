#include "summarize/prompts.h"

#include <unistd.h>

#include <cstdlib>
#include <vector>

#include "util/error.h"
#include "util/fs.h"

namespace scale::summarize {
namespace fs = std::filesystem;
namespace {

constexpr const char* kMarker = "### USER";

fs::path ExeDir() {
  char buf[4096];
  ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);
  if (n <= 0) return {};
  buf[n] = '\0';
  return fs::path(buf).parent_path();
}

std::string Trim(const std::string& s) {
  size_t a = s.find_first_not_of(" \t\r\n");
  if (a == std::string::npos) return "";
  size_t b = s.find_last_not_of(" \t\r\n");
  return s.substr(a, b - a + 1);
}

PromptTemplate LoadOne(const fs::path& path) {
  std::string text;
  try {
    text = ReadFile(path, 1 << 20);
  } catch (const Error& e) {
    throw Error(kExitUsage, std::string("prompt file missing: ") + e.what());
  }
  size_t at = text.find(std::string("\n") + kMarker);
  if (at == std::string::npos) throw Error(kExitUsage, path.string() + ": no \"### USER\" line separating the user message");
  size_t user_start = text.find('\n', at + 1);
  PromptTemplate t;
  t.system = Trim(text.substr(0, at));
  t.user = user_start == std::string::npos ? "" : Trim(text.substr(user_start + 1));
  if (t.system.empty() || t.user.empty()) throw Error(kExitUsage, path.string() + ": empty system or user part");
  return t;
}

}  // namespace

fs::path FindPromptDir(const std::string& flag) {
  std::vector<fs::path> candidates;
  if (!flag.empty()) {
    candidates.push_back(flag);
  } else {
    if (const char* env = std::getenv("SCALE_CONFIG"); env != nullptr && *env != '\0') candidates.push_back(env);
#ifdef SCALE_SOURCE_DIR
    candidates.push_back(fs::path(SCALE_SOURCE_DIR) / "scale-cfg");
#endif
    if (fs::path exe = ExeDir(); !exe.empty()) candidates.push_back(exe.parent_path() / "share/scale/scale-cfg");
    candidates.emplace_back("/usr/local/share/scale/scale-cfg");
    candidates.emplace_back("/usr/share/scale/scale-cfg");
  }
  std::string tried;
  for (const fs::path& dir : candidates) {
    std::error_code ec;
    if (fs::is_regular_file(dir / "summarize_chunk.txt", ec)) return dir;
    tried += (tried.empty() ? "" : ", ") + dir.string();
  }
  throw Error(kExitUsage, "no scale-cfg directory with summarize_chunk.txt found (tried " + tried + ")");
}

PromptSet LoadPromptSet(const fs::path& dir) {
  PromptSet set;
  set.dir = dir;
  set.chunk = LoadOne(dir / "summarize_chunk.txt");
  set.file = LoadOne(dir / "summarize_file.txt");
  set.folder = LoadOne(dir / "summarize_folder.txt");
  return set;
}

std::string FillTemplate(const std::string& text, const std::map<std::string, std::string>& vars) {
  std::string out;
  out.reserve(text.size());
  size_t i = 0;
  while (i < text.size()) {
    if (text[i] == '{') {
      size_t close = text.find('}', i);
      if (close != std::string::npos) {
        auto it = vars.find(text.substr(i + 1, close - i - 1));
        if (it != vars.end()) {
          out += it->second;
          i = close + 1;
          continue;
        }
      }
    }
    out += text[i++];
  }
  return out;
}

}  // namespace scale::summarize
