#include "train/engine_tokenizer.h"

#include <string_view>
#include <vector>

namespace scale::train {

Tokenizer TokenizerOf(engine::LlamaEngine& engine) {
  Tokenizer t;
  t.tokenize = [&engine](std::string_view text, bool add_special, bool parse_special) {
    std::vector<int32_t> out;
    for (llama_token tok : engine.Tokenize(text, add_special, parse_special)) out.push_back(tok);
    return out;
  };
  t.format = [&engine](const std::vector<engine::Message>& m) { return engine.FormatPrompt(m); };
  t.end_of_turn = engine.EndOfTurnToken();
  return t;
}

}  // namespace scale::train
