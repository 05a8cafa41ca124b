// Moves a real tokenizer from a vocab-only GGUF (llama.cpp's models/ggml-vocab-*.gguf) into a
// model being written: every tokenizer.* key and array, unchanged, plus which tokens are control.
// Ships in the scale binary: used by `scale bench` to write random-weight models (not a test double).
#pragma once

#include <string>
#include <vector>

struct gguf_context;

namespace scale::testmodel {

struct VocabInfo {
  int n_vocab = 0;
  // true for tokens whose tokenizer.ggml.token_type is not NORMAL (control, unused, byte, ...).
  std::vector<bool> is_special;
};

// Copies all tokenizer.* keys of the GGUF at vocab_path into dst (in file order). Throws
// Error(kExitModel) if the file is unreadable or has no tokenizer.ggml.tokens.
VocabInfo CopyTokenizer(const std::string& vocab_path, gguf_context* dst);

}  // namespace scale::testmodel
