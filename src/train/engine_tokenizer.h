// The trainer's Tokenizer backed by a loaded model: the tokenizer, chat template and end-of-turn
// token exactly as `scale comment` applies them (scale train and scale distill --stats share it).
#pragma once

#include "engine/llama_engine.h"
#include "train/dataset.h"

namespace scale::train {

// The result calls into `engine`, which must outlive it.
Tokenizer TokenizerOf(engine::LlamaEngine& engine);

}  // namespace scale::train
