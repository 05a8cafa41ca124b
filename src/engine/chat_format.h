// Chat formats: how a list of messages becomes one prompt string, and which strings end an
// answer. kAuto uses the template embedded in the GGUF (llama.cpp's template support) and falls
// back to ChatML when the model has none.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/llm.h"

namespace scale::engine {

enum class ChatFormat { kAuto, kChatML, kQwen, kLlama3, kLlama2, kMistral, kPhi3, kGemma, kRaw };

std::optional<ChatFormat> ParseChatFormat(std::string_view name);  // "chatml", "llama3", ...
const char* ChatFormatName(ChatFormat format);

// Formats messages for an explicit family (not kAuto), ending with the assistant opener. A system
// message is never dropped: families without a system role (Mistral, Gemma, Llama-2 variants)
// fold it into the first user turn.
std::string FormatMessages(ChatFormat format, const std::vector<Message>& messages);

// Strings that end an answer in this family (e.g. ChatML: "<|im_end|>", "<|im_start|>",
// "<|endoftext|>"). kRaw has none.
std::vector<std::string> StopStringsFor(ChatFormat format);

// Guesses the family from an embedded Jinja template (e.g. contains "<|im_start|>" -> ChatML).
std::optional<ChatFormat> DetectFormatFromTemplate(std::string_view jinja_template);

}  // namespace scale::engine
