// The comment cache: a routine whose comment is the one scale wrote for exactly this code, under
// exactly these settings, is not asked again, so re-running `scale comment -i` on an unchanged tree
// decodes nothing. A key hashes the routine's code without any comments (its own and its nested
// routines'), its comment's prose as read back, the language, and the settings text below; so an
// edited routine, and every routine enclosing it, is asked again. The file summary is left out on
// purpose: it changes with any edit anywhere in the file, which would redo every routine.
#pragma once

#include <filesystem>
#include <string>

#include "annotate/config.h"
#include "engine/llm.h"
#include "languages/language.h"
#include "util/hash_record.h"

namespace scale::annotate {

// Everything else an answer depends on, as one text: scale's version, the model's identity (its
// fingerprint with the adapters used for this language), the prompts, the sampling settings and the
// consistency policy's name.
std::string CommentSettings(const std::string& model_identity, const Prompts& prompts, languages::Language language,
                            const engine::SamplingParams& sampling, const std::string& policy);

// The routine's code with the comments of it and of every routine nested in it cut out.
std::string CodeWithoutComments(const languages::ParsedFile& file, const languages::Routine& r);

class CommentCache {
 public:
  explicit CommentCache(std::filesystem::path file) : record_(std::move(file), "the comment cache") {}

  // The key of `r`'s current comment (r.has_comment) in `file` under `settings`.
  static std::string Key(const std::string& settings, const languages::ParsedFile& file, const languages::Routine& r);

  bool Contains(const std::string& key) const { return record_.Contains(key); }
  void Add(const std::string& key) { record_.Add(key); }
  void Save() { record_.Save(); }

 private:
  HashRecord record_;
};

}  // namespace scale::annotate
