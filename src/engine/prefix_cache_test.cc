// The on-disk KV prefix store on real llama.cpp (stories260K): files are bound by SHA-256 to the
// whole model file and to their tokens, created 0600, never read through a symlink, and anything
// that does not check out is ignored and deleted.
#include "engine/prefix_cache.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>

#include "engine/llama_engine.h"
#include "llama.h"
#include "testing/temp_dir.h"
#include "testing/test_models.h"
#include "util/fs.h"
#include "util/sha256.h"

namespace scale::engine {
namespace {
namespace fs = std::filesystem;

std::unique_ptr<LlamaEngine> Stories() {
  EngineParams p;
  p.model_path = testing::StoriesModel();
  p.format = ChatFormat::kRaw;
  p.ctx_size = 256;
  p.parallel = 1;
  p.threads = 2;
  return LlamaEngine::Load(p);
}

// Decodes `text` into sequence `seq` (cleared first) and returns its tokens.
std::vector<llama_token> Prefill(LlamaEngine& engine, int seq, const std::string& text) {
  std::vector<llama_token> tokens = engine.Tokenize(text, true, false);
  llama_context* ctx = engine.context();
  llama_memory_seq_rm(llama_get_memory(ctx), seq, -1, -1);
  llama_batch batch = llama_batch_init(int32_t(tokens.size()), 0, 1);
  for (size_t i = 0; i < tokens.size(); ++i) {
    batch.token[i] = tokens[i];
    batch.pos[i] = llama_pos(i);
    batch.n_seq_id[i] = 1;
    batch.seq_id[i][0] = seq;
    batch.logits[i] = i + 1 == tokens.size();
  }
  batch.n_tokens = int32_t(tokens.size());
  EXPECT_EQ(llama_decode(ctx, batch), 0);
  llama_batch_free(batch);
  return tokens;
}

const char* kText = "Once upon a time, there was a little girl named Lily. She loved to play outside.";

class PrefixCacheTest : public ::testing::Test {
 protected:
  void SetUp() override {
    engine = Stories();
    model = dir.path() / "model.gguf";
    fs::copy_file(testing::StoriesModel(), model);
  }
  // A file that is `model` with one byte changed in the middle: same size, same head and tail.
  fs::path Sibling() {
    std::string bytes = ReadFile(model);
    bytes[bytes.size() / 2] ^= 1;
    fs::path other = dir.path() / "other.gguf";
    WriteFileAtomic(other, bytes);
    return other;
  }
  std::unique_ptr<LlamaEngine> engine;
  testing::TempDir dir{"prefix-cache"};
  fs::path model;
};

TEST_F(PrefixCacheTest, SavedPrefixLoadsBackAndItsFileIsPrivate) {
  mode_t old = umask(0);
  PrefixCache cache(dir.path() / "kv", engine->Fingerprint());
  std::vector<llama_token> tokens = Prefill(*engine, 0, kText);
  bool saved = cache.Save(engine->context(), 0, tokens);
  umask(old);
  ASSERT_TRUE(saved);
  fs::path file = cache.FileFor(tokens);
  EXPECT_EQ(file.filename().string(), Sha256Hex(std::string_view(reinterpret_cast<const char*>(tokens.data()),
                                                                 tokens.size() * sizeof(llama_token))) + ".kv");
  struct stat st {};
  ASSERT_EQ(stat(file.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0600u);
  llama_memory_seq_rm(llama_get_memory(engine->context()), 0, -1, -1);
  EXPECT_EQ(cache.Load(engine->context(), {0})[0], tokens);
}

TEST_F(PrefixCacheTest, ModelsThatDifferOnlyInTheMiddleNeverSharePrefixes) {
  const fs::path kv = dir.path() / "kv";
  const fs::path other_model = Sibling();
  // Same size, same head and tail, same settings: only the engine's whole-file identity differs.
  auto fingerprint_of = [](const fs::path& path) {
    EngineParams p = Stories()->params();
    p.model_path = path.string();
    return LlamaEngine::Load(p)->Fingerprint();
  };
  const std::string ours_key = fingerprint_of(model), other_key = fingerprint_of(other_model);
  EXPECT_NE(ours_key, other_key);
  PrefixCache ours(kv, ours_key);
  PrefixCache other(kv, other_key);
  EXPECT_NE(ours.model_id(), other.model_id());
  EXPECT_NE(ours.model_dir(), other.model_dir());
  std::vector<llama_token> tokens = Prefill(*engine, 0, kText);
  ASSERT_TRUE(ours.Save(engine->context(), 0, tokens));
  // Copied under the other model's folder, the file is refused (its model id is bound in) and deleted.
  fs::create_directories(other.model_dir());
  fs::path copy = other.model_dir() / ours.FileFor(tokens).filename();
  fs::copy_file(ours.FileFor(tokens), copy);
  EXPECT_TRUE(other.Load(engine->context(), {0})[0].empty());
  EXPECT_FALSE(fs::exists(copy));
  EXPECT_EQ(ours.Load(engine->context(), {0})[0], tokens);
}

TEST_F(PrefixCacheTest, DamagedFilesAreIgnoredAndDeleted) {
  PrefixCache cache(dir.path() / "kv", engine->Fingerprint());
  std::vector<llama_token> tokens = Prefill(*engine, 0, kText);
  ASSERT_TRUE(cache.Save(engine->context(), 0, tokens));
  const fs::path file = cache.FileFor(tokens);
  const std::string good = ReadFile(file);
  // One flipped byte in each part: the model id, the tokens, the state, the stored hash.
  for (size_t at : {size_t(10), size_t(8 + 64 + 4 + 1), good.size() / 2, good.size() - 1}) {
    std::string bad = good;
    bad[at] ^= 0x20;
    WriteFileAtomic(file, bad, 0600);
    EXPECT_TRUE(cache.Load(engine->context(), {0})[0].empty()) << at;
    EXPECT_FALSE(fs::exists(file)) << at;
  }
  // A file of the right shape under another prefix's name.
  WriteFileAtomic(cache.model_dir() / (std::string(64, 'a') + ".kv"), good, 0600);
  EXPECT_TRUE(cache.Load(engine->context(), {0})[0].empty());
  EXPECT_FALSE(fs::exists(cache.model_dir() / (std::string(64, 'a') + ".kv")));
  WriteFileAtomic(file, good, 0600);
  EXPECT_EQ(cache.Load(engine->context(), {0})[0], tokens);
}

TEST_F(PrefixCacheTest, SymlinkedPrefixFilesAreNeverFollowed) {
  PrefixCache cache(dir.path() / "kv", engine->Fingerprint());
  std::vector<llama_token> tokens = Prefill(*engine, 0, kText);
  ASSERT_TRUE(cache.Save(engine->context(), 0, tokens));
  const fs::path file = cache.FileFor(tokens);
  const fs::path elsewhere = dir.path() / "planted.kv";
  fs::rename(file, elsewhere);
  fs::create_symlink(elsewhere, file);
  EXPECT_TRUE(cache.Load(engine->context(), {0})[0].empty());
  EXPECT_FALSE(fs::is_symlink(file));
  EXPECT_TRUE(fs::exists(elsewhere));  // the link went, not what it pointed to
  // Saving over a planted link writes a real file and leaves the target alone.
  const std::string before = ReadFile(elsewhere);
  fs::create_symlink(elsewhere, file);
  ASSERT_TRUE(cache.Save(engine->context(), 0, tokens));
  EXPECT_FALSE(fs::is_symlink(file));
  EXPECT_EQ(ReadFile(elsewhere), before);
}

TEST_F(PrefixCacheTest, ModelIdCoversTheWholeModelFile) {
  // The key is the engine's fingerprint, which names the SHA-256 of every byte of the model
  // (engine/file_hash.h): another model, or the same one with other settings, never shares prefixes.
  const std::string fingerprint = engine->Fingerprint();
  EXPECT_NE(fingerprint.find("sha256:" + Sha256File(model)), std::string::npos) << fingerprint;
  PrefixCache a(dir.path() / "kv", fingerprint);
  PrefixCache b(dir.path() / "kv", fingerprint + "|lora:x");
  EXPECT_EQ(a.model_id().size(), 64u);
  EXPECT_NE(a.model_id(), b.model_id());
  EXPECT_EQ(a.model_id(), PrefixCache(dir.path() / "kv", fingerprint).model_id());
  std::vector<llama_token> tokens = Prefill(*engine, 0, kText);
  ASSERT_TRUE(a.Save(engine->context(), 0, tokens));
  EXPECT_TRUE(b.Load(engine->context(), {0})[0].empty());  // another id finds nothing
  EXPECT_EQ(a.Load(engine->context(), {0})[0], tokens);
}

}  // namespace
}  // namespace scale::engine
