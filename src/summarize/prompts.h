// The prompts `scale summarize` sends, from scale-cfg/summarize_{chunk,file,folder}.txt. Each file
// is the system prompt, then a line "### USER", then the user message. {name} placeholders are
// filled in: {lines}, {path}, {start_line}, {end_line}, {language}, {code}, {summaries}.
// The system prompt holds no per-request text, so every request shares it as a KV prefix.
#pragma once

#include <filesystem>
#include <map>
#include <string>

namespace scale::summarize {

struct PromptTemplate {
  std::string system;
  std::string user;
};

struct PromptSet {
  std::filesystem::path dir;
  PromptTemplate chunk, file, folder;
};

// First existing of: `flag`, $SCALE_CONFIG, SCALE_SOURCE_DIR/scale-cfg, <exe>/../share/scale/
// scale-cfg, /usr/local/share/scale/scale-cfg, /usr/share/scale/scale-cfg that holds
// summarize_chunk.txt. Throws Error(kExitUsage) naming what was tried.
std::filesystem::path FindPromptDir(const std::string& flag);

// Reads the three files. Throws Error(kExitUsage) for a missing/empty file or one without "### USER".
PromptSet LoadPromptSet(const std::filesystem::path& dir);

// Replaces each {key} of `vars` in `text`; unknown {words} are left as they are.
std::string FillTemplate(const std::string& text, const std::map<std::string, std::string>& vars);

}  // namespace scale::summarize
