#include "engine/chat_format.h"

#include <array>
#include <utility>

#include "util/text.h"

namespace scale::engine {
namespace {

constexpr const char* kQwenDefaultSystem =
    "You are Qwen, created by Alibaba Cloud. You are a helpful assistant.";

constexpr std::array<std::pair<ChatFormat, const char*>, 9> kNames = {{
    {ChatFormat::kAuto, "auto"},
    {ChatFormat::kChatML, "chatml"},
    {ChatFormat::kQwen, "qwen"},
    {ChatFormat::kLlama3, "llama3"},
    {ChatFormat::kLlama2, "llama2"},
    {ChatFormat::kMistral, "mistral"},
    {ChatFormat::kPhi3, "phi3"},
    {ChatFormat::kGemma, "gemma"},
    {ChatFormat::kRaw, "raw"},
}};

const char* RoleName(Role role) {
  switch (role) {
    case Role::kSystem: return "system";
    case Role::kUser: return "user";
    case Role::kAssistant: return "assistant";
  }
  return "user";
}

// Families without a system role: each run of system messages is kept for the next user turn
// (or becomes a user turn of its own when no user message follows), so nothing is lost.
std::vector<Message> FoldSystem(const std::vector<Message>& messages, const std::string& separator) {
  std::vector<Message> out;
  std::string pending;
  for (const Message& m : messages) {
    if (m.role == Role::kSystem) {
      pending += pending.empty() ? m.content : separator + m.content;
      continue;
    }
    if (m.role == Role::kUser && !pending.empty()) {
      out.push_back({Role::kUser, pending + separator + m.content});
      pending.clear();
      continue;
    }
    if (!pending.empty()) {
      out.push_back({Role::kUser, pending});
      pending.clear();
    }
    out.push_back(m);
  }
  if (!pending.empty()) out.push_back({Role::kUser, pending});
  return out;
}

std::string ChatML(const std::vector<Message>& messages) {
  std::string out;
  for (const Message& m : messages) {
    out += "<|im_start|>";
    out += RoleName(m.role);
    out += "\n" + m.content + "<|im_end|>\n";
  }
  return out + "<|im_start|>assistant\n";
}

std::string Llama3(const std::vector<Message>& messages) {
  // The BOS token (<|begin_of_text|>) comes from the tokenizer, not from this text.
  std::string out;
  for (const Message& m : messages) {
    out += "<|start_header_id|>";
    out += RoleName(m.role);
    out += "<|end_header_id|>\n\n" + Trim(m.content) + "<|eot_id|>";
  }
  return out + "<|start_header_id|>assistant<|end_header_id|>\n\n";
}

// Llama-2 chat: the system prompt sits in <<SYS>> inside the first [INST]; later turns start with
// their own BOS (the first BOS is added by the tokenizer).
std::string Llama2(const std::vector<Message>& messages) {
  std::string out;
  std::string system;
  bool first_turn = true;
  for (const Message& m : messages) {
    if (m.role == Role::kSystem) {
      system += system.empty() ? m.content : "\n" + m.content;
      continue;
    }
    if (m.role == Role::kUser) {
      out += first_turn ? "[INST] " : "<s>[INST] ";
      if (!system.empty()) {
        out += "<<SYS>>\n" + system + "\n<</SYS>>\n\n";
        system.clear();
      }
      out += Trim(m.content) + " [/INST]";
      first_turn = false;
    } else {
      out += " " + Trim(m.content) + " </s>";
    }
  }
  if (!system.empty()) {
    // A system message with no user turn after it still has to reach the model.
    out += std::string(first_turn ? "[INST] " : "<s>[INST] ") + "<<SYS>>\n" + system + "\n<</SYS>>\n\n [/INST]";
  }
  return out;
}

std::string Mistral(const std::vector<Message>& messages) {
  std::string out;
  for (const Message& m : FoldSystem(messages, "\n\n")) {
    if (m.role == Role::kUser) {
      out += "[INST] " + m.content + " [/INST]";
    } else {
      out += " " + m.content + "</s>";
    }
  }
  return out;
}

std::string Phi3(const std::vector<Message>& messages) {
  std::string out;
  for (const Message& m : messages) {
    out += "<|";
    out += RoleName(m.role);
    out += "|>\n" + m.content + "<|end|>\n";
  }
  return out + "<|assistant|>\n";
}

std::string Gemma(const std::vector<Message>& messages) {
  std::string out;
  for (const Message& m : FoldSystem(messages, "\n\n")) {
    out += m.role == Role::kAssistant ? "<start_of_turn>model\n" : "<start_of_turn>user\n";
    out += Trim(m.content) + "<end_of_turn>\n";
  }
  return out + "<start_of_turn>model\n";
}

std::string Raw(const std::vector<Message>& messages) {
  std::string out;
  for (const Message& m : messages) out += m.content;
  return out;
}

bool Contains(std::string_view haystack, std::string_view needle) {
  return haystack.find(needle) != std::string_view::npos;
}

}  // namespace

std::optional<ChatFormat> ParseChatFormat(std::string_view name) {
  for (const auto& [format, text] : kNames) {
    if (name == text) return format;
  }
  return std::nullopt;
}

const char* ChatFormatName(ChatFormat format) {
  for (const auto& [f, text] : kNames) {
    if (f == format) return text;
  }
  return "unknown";
}

std::string FormatMessages(ChatFormat format, const std::vector<Message>& messages) {
  switch (format) {
    case ChatFormat::kAuto:
    case ChatFormat::kChatML: return ChatML(messages);
    case ChatFormat::kQwen: {
      for (const Message& m : messages) {
        if (m.role == Role::kSystem) return ChatML(messages);
      }
      std::vector<Message> with_default;
      with_default.push_back({Role::kSystem, kQwenDefaultSystem});
      with_default.insert(with_default.end(), messages.begin(), messages.end());
      return ChatML(with_default);
    }
    case ChatFormat::kLlama3: return Llama3(messages);
    case ChatFormat::kLlama2: return Llama2(messages);
    case ChatFormat::kMistral: return Mistral(messages);
    case ChatFormat::kPhi3: return Phi3(messages);
    case ChatFormat::kGemma: return Gemma(messages);
    case ChatFormat::kRaw: return Raw(messages);
  }
  return ChatML(messages);
}

std::vector<std::string> StopStringsFor(ChatFormat format) {
  switch (format) {
    case ChatFormat::kAuto:
    case ChatFormat::kChatML:
    case ChatFormat::kQwen: return {"<|im_end|>", "<|im_start|>", "<|endoftext|>"};
    case ChatFormat::kLlama3: return {"<|eot_id|>", "<|end_of_text|>", "<|start_header_id|>"};
    case ChatFormat::kLlama2:
    case ChatFormat::kMistral: return {"</s>", "[INST]"};
    case ChatFormat::kPhi3: return {"<|end|>", "<|user|>", "<|endoftext|>"};
    case ChatFormat::kGemma: return {"<end_of_turn>", "<start_of_turn>"};
    case ChatFormat::kRaw: return {};
  }
  return {};
}

std::optional<ChatFormat> DetectFormatFromTemplate(std::string_view t) {
  if (t.empty()) return std::nullopt;
  if (Contains(t, "<|im_start|>")) {
    // Qwen's templates inject their own default system prompt; plain ChatML ones do not.
    return Contains(t, "You are Qwen") ? ChatFormat::kQwen : ChatFormat::kChatML;
  }
  if (Contains(t, "<|start_header_id|>") && Contains(t, "<|end_header_id|>")) return ChatFormat::kLlama3;
  if (Contains(t, "<start_of_turn>")) return ChatFormat::kGemma;
  if (Contains(t, "<|assistant|>") && Contains(t, "<|end|>")) return ChatFormat::kPhi3;
  if (Contains(t, "[INST]")) return Contains(t, "<<SYS>>") ? ChatFormat::kLlama2 : ChatFormat::kMistral;
  return std::nullopt;
}

}  // namespace scale::engine
