// The engine on the generated tiny chat model (qwen2 vocab + its embedded ChatML template):
// template resolution in kAuto, LoRA adapters (apply, switch without reload, errors).
#include <gtest/gtest.h>

#include "engine/llama_engine.h"
#include "testing/temp_dir.h"
#include "testing/test_models.h"
#include "util/error.h"

namespace scale::engine {
namespace {

std::unique_ptr<LlamaEngine> Tiny(std::vector<LoraSpec> loras = {}, ChatFormat format = ChatFormat::kAuto) {
  EngineParams p;
  p.model_path = testing::TinyChatModel();
  p.ctx_size = 256;
  p.threads = 1;
  p.format = format;
  p.loras = std::move(loras);
  return LlamaEngine::Load(p);
}

Request Ask(const std::string& text) {
  Request r;
  r.messages = {{Role::kSystem, "You write code comments."}, {Role::kUser, text}};
  r.sampling.max_tokens = 12;
  return r;
}

// Load's error for these parameters (fails the test if none).
Error LoadError(const std::string& model, std::vector<LoraSpec> loras) {
  EngineParams p;
  p.model_path = model;
  p.ctx_size = 128;
  p.loras = std::move(loras);
  try {
    LlamaEngine::Load(p);
  } catch (const Error& e) {
    return e;
  }
  ADD_FAILURE() << "load did not fail";
  return Error(0, "");
}

TEST(TinyModelTest, AutoUsesTheEmbeddedTemplateThroughLlamaCpp) {
  auto engine = Tiny();
  EXPECT_EQ(engine->format(), ChatFormat::kChatML);
  std::vector<Message> chat = {{Role::kSystem, "S"}, {Role::kUser, "hi"}};
  EXPECT_EQ(engine->FormatPrompt(chat), "<|im_start|>system\nS<|im_end|>\n<|im_start|>user\nhi<|im_end|>\n"
                                        "<|im_start|>assistant\n");
  // The template's markers are single special tokens, not text.
  EXPECT_EQ(engine->Tokenize("<|im_start|>", false, true).size(), 1u);
  EXPECT_EQ(engine->StopStrings(Request{}), StopStringsFor(ChatFormat::kChatML));
}

TEST(TinyModelTest, ExplicitFormatOverridesTheTemplate) {
  auto engine = Tiny({}, ChatFormat::kQwen);
  EXPECT_EQ(engine->format(), ChatFormat::kQwen);
  EXPECT_EQ(engine->FormatPrompt({{Role::kUser, "hi"}}), FormatMessages(ChatFormat::kQwen, {{Role::kUser, "hi"}}));
}

TEST(TinyModelTest, GeneratesDeterministically) {
  auto engine = Tiny();
  Response a = engine->Complete(Ask("int add(int a, int b);"));
  ASSERT_TRUE(a.ok()) << a.error;
  EXPECT_GT(a.completion_tokens, 0);
  EXPECT_EQ(a.text, engine->Complete(Ask("int add(int a, int b);")).text);
  // A ChatML answer never contains the turn markers: they end it.
  EXPECT_EQ(a.text.find("<|im_end|>"), std::string::npos);
  EXPECT_EQ(a.text.find("<|im_start|>"), std::string::npos);
}

TEST(TinyModelTest, LoraChangesAnswersAndSwitchesWithoutReload) {
  const std::string lora = testing::TinyLora();
  auto engine = Tiny({{lora, 1.0f}});
  const std::string with_lora = engine->Complete(Ask("int add(int a, int b);")).text;
  const std::string fp_lora = engine->Fingerprint();
  const std::string base = Tiny()->Complete(Ask("int add(int a, int b);")).text;
  EXPECT_NE(with_lora, base);
  EXPECT_NE(fp_lora.find("|lora:"), std::string::npos) << fp_lora;

  engine->SetActiveLoras({});
  EXPECT_EQ(engine->Complete(Ask("int add(int a, int b);")).text, base);
  EXPECT_EQ(engine->Fingerprint().find("|lora:"), std::string::npos);
  engine->SetActiveLoras({{lora, 1.0f}});
  EXPECT_EQ(engine->Complete(Ask("int add(int a, int b);")).text, with_lora);
  EXPECT_EQ(engine->Fingerprint(), fp_lora);
  engine->SetActiveLoras({{lora, 0.5f}});
  EXPECT_NE(engine->Fingerprint(), fp_lora);  // the scale changes answers, so it is in the key
}

TEST(TinyModelTest, LoraErrorsAreOneLineModelErrors) {
  testing::TempDir dir;
  struct Case {
    std::string model;
    std::string lora;
    std::string expected;
  };
  std::vector<Case> cases = {
      {testing::StoriesModel(), testing::TinyLora(), "does not fit model"},
      {testing::TinyChatModel(), "/nonexistent/adapter.gguf", "LoRA adapter not found"},
      {testing::TinyChatModel(), dir.Write("adapter.bin", "not an adapter at all"), "not a GGUF file"},
  };
  for (const Case& c : cases) {
    Error e = LoadError(c.model, {{c.lora, 1.0f}});
    EXPECT_EQ(e.exit_code(), kExitModel) << e.what();
    EXPECT_NE(std::string(e.what()).find(c.expected), std::string::npos) << e.what();
    EXPECT_EQ(std::string(e.what()).find('\n'), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace scale::engine
