// Chat formats: exact prompt text per family for one system+user+assistant+user conversation,
// system messages never dropped, names, stop strings and template detection.
#include "engine/chat_format.h"

#include <gtest/gtest.h>

namespace scale::engine {
namespace {

std::vector<Message> Conversation() {
  return {{Role::kSystem, "Be brief."},
          {Role::kUser, "Hi"},
          {Role::kAssistant, "Hello!"},
          {Role::kUser, "Name a color."}};
}

TEST(ChatFormatTest, ChatML) {
  EXPECT_EQ(FormatMessages(ChatFormat::kChatML, Conversation()),
            "<|im_start|>system\nBe brief.<|im_end|>\n"
            "<|im_start|>user\nHi<|im_end|>\n"
            "<|im_start|>assistant\nHello!<|im_end|>\n"
            "<|im_start|>user\nName a color.<|im_end|>\n"
            "<|im_start|>assistant\n");
}

TEST(ChatFormatTest, QwenKeepsGivenSystemAndAddsDefaultOnlyWhenNone) {
  EXPECT_EQ(FormatMessages(ChatFormat::kQwen, Conversation()), FormatMessages(ChatFormat::kChatML, Conversation()));
  EXPECT_EQ(FormatMessages(ChatFormat::kQwen, {{Role::kUser, "Hi"}}),
            "<|im_start|>system\nYou are Qwen, created by Alibaba Cloud. You are a helpful assistant.<|im_end|>\n"
            "<|im_start|>user\nHi<|im_end|>\n"
            "<|im_start|>assistant\n");
}

TEST(ChatFormatTest, Llama3) {
  EXPECT_EQ(FormatMessages(ChatFormat::kLlama3, Conversation()),
            "<|start_header_id|>system<|end_header_id|>\n\nBe brief.<|eot_id|>"
            "<|start_header_id|>user<|end_header_id|>\n\nHi<|eot_id|>"
            "<|start_header_id|>assistant<|end_header_id|>\n\nHello!<|eot_id|>"
            "<|start_header_id|>user<|end_header_id|>\n\nName a color.<|eot_id|>"
            "<|start_header_id|>assistant<|end_header_id|>\n\n");
}

TEST(ChatFormatTest, Llama2PutsSystemInFirstInst) {
  EXPECT_EQ(FormatMessages(ChatFormat::kLlama2, Conversation()),
            "[INST] <<SYS>>\nBe brief.\n<</SYS>>\n\nHi [/INST] Hello! </s><s>[INST] Name a color. [/INST]");
}

TEST(ChatFormatTest, MistralFoldsSystemIntoFirstUserTurn) {
  EXPECT_EQ(FormatMessages(ChatFormat::kMistral, Conversation()),
            "[INST] Be brief.\n\nHi [/INST] Hello!</s>[INST] Name a color. [/INST]");
}

TEST(ChatFormatTest, Phi3) {
  EXPECT_EQ(FormatMessages(ChatFormat::kPhi3, Conversation()),
            "<|system|>\nBe brief.<|end|>\n"
            "<|user|>\nHi<|end|>\n"
            "<|assistant|>\nHello!<|end|>\n"
            "<|user|>\nName a color.<|end|>\n"
            "<|assistant|>\n");
}

TEST(ChatFormatTest, GemmaFoldsSystemAndCallsAssistantModel) {
  EXPECT_EQ(FormatMessages(ChatFormat::kGemma, Conversation()),
            "<start_of_turn>user\nBe brief.\n\nHi<end_of_turn>\n"
            "<start_of_turn>model\nHello!<end_of_turn>\n"
            "<start_of_turn>user\nName a color.<end_of_turn>\n"
            "<start_of_turn>model\n");
}

TEST(ChatFormatTest, RawConcatenatesContents) {
  EXPECT_EQ(FormatMessages(ChatFormat::kRaw, Conversation()), "Be brief.HiHello!Name a color.");
}

TEST(ChatFormatTest, SystemWithoutUserTurnIsNeverDropped) {
  std::vector<Message> only_system = {{Role::kSystem, "Rules here."}};
  for (ChatFormat f : {ChatFormat::kChatML, ChatFormat::kQwen, ChatFormat::kLlama3, ChatFormat::kLlama2,
                       ChatFormat::kMistral, ChatFormat::kPhi3, ChatFormat::kGemma, ChatFormat::kRaw}) {
    EXPECT_NE(FormatMessages(f, only_system).find("Rules here."), std::string::npos) << ChatFormatName(f);
  }
  // A system message after an assistant turn goes into the next user turn.
  std::vector<Message> late = {{Role::kUser, "a"}, {Role::kAssistant, "b"}, {Role::kSystem, "S"}, {Role::kUser, "c"}};
  EXPECT_EQ(FormatMessages(ChatFormat::kMistral, late), "[INST] a [/INST] b</s>[INST] S\n\nc [/INST]");
  EXPECT_EQ(FormatMessages(ChatFormat::kGemma, late),
            "<start_of_turn>user\na<end_of_turn>\n<start_of_turn>model\nb<end_of_turn>\n"
            "<start_of_turn>user\nS\n\nc<end_of_turn>\n<start_of_turn>model\n");
}

TEST(ChatFormatTest, NamesRoundTrip) {
  for (const char* name : {"auto", "chatml", "qwen", "llama3", "llama2", "mistral", "phi3", "gemma", "raw"}) {
    std::optional<ChatFormat> f = ParseChatFormat(name);
    ASSERT_TRUE(f.has_value()) << name;
    EXPECT_STREQ(ChatFormatName(*f), name);
  }
  EXPECT_FALSE(ParseChatFormat("ChatML").has_value());
  EXPECT_FALSE(ParseChatFormat("").has_value());
}

TEST(ChatFormatTest, StopStringsPerFamily) {
  using V = std::vector<std::string>;
  EXPECT_EQ(StopStringsFor(ChatFormat::kChatML), (V{"<|im_end|>", "<|im_start|>", "<|endoftext|>"}));
  EXPECT_EQ(StopStringsFor(ChatFormat::kQwen), StopStringsFor(ChatFormat::kChatML));
  EXPECT_EQ(StopStringsFor(ChatFormat::kLlama3), (V{"<|eot_id|>", "<|end_of_text|>", "<|start_header_id|>"}));
  EXPECT_EQ(StopStringsFor(ChatFormat::kLlama2), (V{"</s>", "[INST]"}));
  EXPECT_EQ(StopStringsFor(ChatFormat::kMistral), StopStringsFor(ChatFormat::kLlama2));
  EXPECT_EQ(StopStringsFor(ChatFormat::kPhi3), (V{"<|end|>", "<|user|>", "<|endoftext|>"}));
  EXPECT_EQ(StopStringsFor(ChatFormat::kGemma), (V{"<end_of_turn>", "<start_of_turn>"}));
  EXPECT_TRUE(StopStringsFor(ChatFormat::kRaw).empty());
}

TEST(ChatFormatTest, DetectsFamiliesFromTemplates) {
  EXPECT_EQ(DetectFormatFromTemplate("{{'<|im_start|>' + message['role']}}"), ChatFormat::kChatML);
  EXPECT_EQ(DetectFormatFromTemplate("<|im_start|>system\nYou are Qwen, created by Alibaba Cloud."), ChatFormat::kQwen);
  EXPECT_EQ(DetectFormatFromTemplate("<|start_header_id|>' + role + '<|end_header_id|>"), ChatFormat::kLlama3);
  EXPECT_EQ(DetectFormatFromTemplate("{{ '<start_of_turn>' + role }}"), ChatFormat::kGemma);
  EXPECT_EQ(DetectFormatFromTemplate("{{'<|user|>'}}{{'<|assistant|>'}}{{'<|end|>'}}"), ChatFormat::kPhi3);
  EXPECT_EQ(DetectFormatFromTemplate("[INST] <<SYS>>\\n' + system"), ChatFormat::kLlama2);
  EXPECT_EQ(DetectFormatFromTemplate("{{ '[INST] ' + message['content'] + ' [/INST]' }}"), ChatFormat::kMistral);
  EXPECT_FALSE(DetectFormatFromTemplate("{{ message['content'] }}").has_value());
  EXPECT_FALSE(DetectFormatFromTemplate("").has_value());
}

}  // namespace
}  // namespace scale::engine
