// "Fit to the machine" end to end through the built binary: `scale hw` (report, profiles, --tune),
// --profile applied to a generating command, the default model pulled on first use from a local
// fake Hub, --lora / --lora-config on real llama.cpp with generated tiny models, and
// `scale eval context` on the real stories260K model.
#include <gtest/gtest.h>

#include <algorithm>

#include <nlohmann/json.hpp>

#include "models/catalogue.h"
#include "testing/fake_hub.h"
#include "testing/run_scale.h"
#include "testing/temp_dir.h"
#include "testing/test_models.h"
#include "util/fs.h"

namespace scale::cli {
namespace {

using nlohmann::json;
using testing::RunScale;
using testing::RunScaleWith;

size_t Lines(const std::string& s) { return static_cast<size_t>(std::count(s.begin(), s.end(), '\n')); }

TEST(HwCommandTest, ReportsHardwareAndARecommendationWithItsArithmetic) {
  auto r = RunScale({"hw", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  json j = json::parse(r.out);
  EXPECT_GE(j["hardware"]["cpu"]["physical_cores"].get<int>(), 1);
  EXPECT_GT(j["hardware"]["ram"]["total"].get<uint64_t>(), 0u);
  const json& m = j["recommendation"]["memory"];
  EXPECT_EQ(m["total"].get<uint64_t>(), m["weights"].get<uint64_t>() + m["kv_cache"].get<uint64_t>() +
                                             m["compute"].get<uint64_t>() + m["overhead"].get<uint64_t>());
  EXPECT_LE(m["total"].get<uint64_t>(), m["budget"].get<uint64_t>()) << "the recommendation fits";
  EXPECT_EQ(j["memory_explained"].size(), 5u);

  auto text = RunScale({"hw"});
  ASSERT_EQ(text.exit_code, 0) << text.err;
  for (const char* part : {"CPU ", "RAM ", "Recommended profile: ", "KV cache", "= total", "--ctx-size"}) {
    EXPECT_NE(text.out.find(part), std::string::npos) << part << "\n" << text.out;
  }
  auto named = RunScale({"hw", "--profile", "gpu-24gb"});
  ASSERT_EQ(named.exit_code, 0) << named.err;
  EXPECT_NE(named.out.find("Profile    gpu-24gb"), std::string::npos) << named.out;

  // The training section: the tier's [train] settings and their memory arithmetic.
  for (const char* part : {"training (LoRA", "--rank ", "+ activations", "RAM available"}) {
    EXPECT_NE(text.out.find(part), std::string::npos) << part << "\n" << text.out;
  }
  auto small = RunScale({"hw", "--profile", "cpu-2core-8gb", "--json"});
  ASSERT_EQ(small.exit_code, 0) << small.err;
  const json small_json = json::parse(small.out);
  const json& t = small_json["train"];
  ASSERT_TRUE(t["available"].get<bool>()) << t.dump();
  EXPECT_EQ(t["settings"]["rank"], 8);
  EXPECT_EQ(t["settings"]["batch"], 4);
  EXPECT_EQ(t["settings"]["ctx"], 512);
  const json& tm = t["memory"];
  EXPECT_GT(tm["total"].get<uint64_t>(), tm["weights"].get<uint64_t>() + tm["adapter"].get<uint64_t>() +
                                            tm["activations"].get<uint64_t>() + tm["logits"].get<uint64_t>());
  EXPECT_EQ(t["fits"].get<bool>(), tm["total"].get<uint64_t>() <= tm["budget"].get<uint64_t>());

  auto list = RunScale({"hw", "--list-profiles", "--json"});
  ASSERT_EQ(list.exit_code, 0) << list.err;
  EXPECT_GE(json::parse(list.out).size(), 4u);
}

TEST(HwCommandTest, BadArgumentsAreOneLineUsageErrors) {
  auto unknown = RunScale({"hw", "--profile", "no-such-tier"});
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_EQ(Lines(unknown.err), 1u) << unknown.err;
  EXPECT_NE(unknown.err.find("known: "), std::string::npos) << unknown.err;
  auto tune = RunScale({"hw", "--tune"});
  EXPECT_EQ(tune.exit_code, 2);
  EXPECT_NE(tune.err.find("-m MODEL"), std::string::npos) << tune.err;
  auto missing = RunScale({"hw", "--tune", "-m", "/nonexistent.gguf"});
  EXPECT_EQ(missing.exit_code, 3) << missing.err;
}

TEST(HwCommandTest, TuneStoresTheBestSettingsAndCommandsUseThem) {
  testing::TempDir home;
  std::map<std::string, std::string> env = {{"SCALE_HOME", home.path().string()}};
  const std::string model = testing::TinyChatModel();
  auto r = RunScaleWith({"hw", "--tune", "-m", model, "--tune-threads", "1", "--tune-batch", "16,32", "--tune-prompt", "32",
                         "--tune-gen", "2", "--json"},
                        env);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  json tuned = json::parse(r.out);
  EXPECT_EQ(tuned["trials"].size(), 2u);
  EXPECT_EQ(tuned["threads"], 1);
  EXPECT_TRUE(std::filesystem::exists(home.path() / "tune.json"));

  auto shown = RunScaleWith({"hw", "-m", model, "--json"}, env);
  ASSERT_EQ(shown.exit_code, 0) << shown.err;
  EXPECT_EQ(json::parse(shown.out)["tuned"]["batch_size"], tuned["batch_size"]);

  // A generating command picks the stored settings up (-v says so), unless the flag is given.
  auto gen = RunScaleWith({"generate", "-m", model, "--format", "raw", "--max-tokens", "2", "-v", "hi"}, env);
  ASSERT_EQ(gen.exit_code, 0) << gen.err;
  EXPECT_NE(gen.err.find("settings from tune.json"), std::string::npos) << gen.err;
  auto given = RunScaleWith({"generate", "-m", model, "--format", "raw", "--max-tokens", "2", "-t", "1", "-b", "64", "-v", "hi"},
                            env);
  ASSERT_EQ(given.exit_code, 0) << given.err;
  EXPECT_EQ(given.err.find("settings from tune.json"), std::string::npos) << given.err;
}

TEST(ProfileFlagTest, ProfileSetsEngineSettingsButNotGivenFlags) {
  testing::TempDir dir;
  std::string profile = dir.Write("small.toml", "description = \"test\"\n[engine]\nctx_size = 384\nparallel = 3\n");
  const std::string model = testing::TinyChatModel();
  auto r = RunScale({"generate", "-m", model, "--profile", profile, "--format", "raw", "--max-tokens", "2", "-v", "hi"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("applied profile small: ctx 384, parallel 3"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("context: 384 tokens"), std::string::npos) << r.err;
  auto given = RunScale({"generate", "-m", model, "--profile", profile, "-c", "256", "--format", "raw", "--max-tokens", "2",
                         "-v", "hi"});
  ASSERT_EQ(given.exit_code, 0) << given.err;
  EXPECT_NE(given.err.find("context: 256 tokens"), std::string::npos) << given.err;

  auto both = RunScale({"generate", "-m", model, "--profile", profile, "--auto", "hi"});
  EXPECT_EQ(both.exit_code, 2) << both.err;
  std::string broken = dir.Write("broken.toml", "[engine]\nctx = 1\n");
  auto bad = RunScale({"generate", "-m", model, "--profile", broken, "hi"});
  EXPECT_EQ(bad.exit_code, 2) << bad.err;
  EXPECT_EQ(Lines(bad.err), 1u) << bad.err;
  EXPECT_NE(bad.err.find("broken.toml:2"), std::string::npos) << bad.err;
}

TEST(SettingsSourcesTest, ProjectConfigEnvironmentAndFlagsMeetInOneResolution) {
  testing::TempDir dir;
  dir.Write(".scale.toml", "[engine]\nctx_size = 320\nparallel = 2\n");
  std::filesystem::create_directories(dir.path() / "sub");
  const std::string model = testing::TinyChatModel();
  const std::vector<std::string> args = {"generate", "-m", model, "--format", "raw", "--max-tokens", "2", "-v", "hi"};
  auto project = RunScaleWith(args, {}, (dir.path() / "sub").string());
  ASSERT_EQ(project.exit_code, 0) << project.err;
  EXPECT_NE(project.err.find("context: 320 tokens"), std::string::npos) << project.err;
  EXPECT_NE(project.err.find("setting ctx_size = 320 (.scale.toml " + dir.path().string() + "/.scale.toml:2)"),
            std::string::npos) << project.err;
  EXPECT_NE(project.err.find("setting model = " + model + " (flag --model)"), std::string::npos) << project.err;
  // $SCALE_CTX_SIZE beats the project config, a flag beats both.
  auto env = RunScaleWith(args, {{"SCALE_CTX_SIZE", "288"}}, (dir.path() / "sub").string());
  ASSERT_EQ(env.exit_code, 0) << env.err;
  EXPECT_NE(env.err.find("context: 288 tokens"), std::string::npos) << env.err;
  EXPECT_NE(env.err.find("setting ctx_size = 288 (environment $SCALE_CTX_SIZE)"), std::string::npos) << env.err;
  std::vector<std::string> flagged = args;
  flagged.insert(flagged.end() - 1, {"-c", "256"});
  auto flag = RunScaleWith(flagged, {{"SCALE_CTX_SIZE", "288"}}, (dir.path() / "sub").string());
  ASSERT_EQ(flag.exit_code, 0) << flag.err;
  EXPECT_NE(flag.err.find("context: 256 tokens"), std::string::npos) << flag.err;
  // A bad value is a one-line usage error naming where it came from.
  auto bad = RunScaleWith({"generate", "-m", model, "hi"}, {{"SCALE_CACHE_TYPE", "q5_1"}}, (dir.path() / "sub").string());
  EXPECT_EQ(bad.exit_code, 2) << bad.err;
  EXPECT_EQ(Lines(bad.err), 1u) << bad.err;
  EXPECT_NE(bad.err.find("$SCALE_CACHE_TYPE must be \"f16\", \"q8_0\" or \"q4_0\""), std::string::npos) << bad.err;
}

TEST(DefaultModelTest, PulledOnFirstUseThenUsedFromTheCache) {
  const auto& entry = models::DefaultCatalogueEntry();
  // The file name the catalogue's glob selects, holding a real (tiny) GGUF.
  std::string file = entry.include;
  std::replace(file.begin(), file.end(), '*', 'x');
  models::testing::FakeHub hub;
  models::testing::FakeHub::Repo repo;
  repo.files[file].content = ReadFile(testing::TinyChatModel());
  hub.AddRepo(entry.repo, repo);
  testing::TempDir home;
  std::map<std::string, std::string> env = {
      {"SCALE_HOME", home.path().string()}, {"SCALE_MODEL", ""}, {"HF_ENDPOINT", hub.endpoint()}};

  auto first = RunScaleWith({"generate", "--format", "raw", "--max-tokens", "2", "hi"}, env);
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_NE(first.err.find("downloading the default model"), std::string::npos) << first.err;
  auto path = RunScaleWith({"models", "path", "--default"}, env);
  ASSERT_EQ(path.exit_code, 0) << path.err;
  EXPECT_EQ(ReadFile(path.out.substr(0, path.out.find('\n'))), repo.files[file].content);

  size_t requests = hub.log().size();
  auto second = RunScaleWith({"generate", "--format", "raw", "--max-tokens", "2", "hi"}, env);
  ASSERT_EQ(second.exit_code, 0) << second.err;
  EXPECT_EQ(second.err.find("downloading"), std::string::npos) << second.err;
  EXPECT_EQ(hub.log().size(), requests) << "the cached model needs no network";
}

TEST(DefaultModelTest, OfflineNamesTheCommandToRun) {
  testing::TempDir home;
  auto offline = RunScaleWith({"generate", "hi"}, {{"SCALE_HOME", home.path().string()}, {"SCALE_MODEL", ""}, {"SCALE_OFFLINE", "1"}});
  EXPECT_EQ(offline.exit_code, 3);
  EXPECT_EQ(Lines(offline.err), 1u) << offline.err;
  EXPECT_NE(offline.err.find("scale models pull --default"), std::string::npos) << offline.err;
  // Online but unreachable (nothing listens on port 9): the same advice, with the reason.
  auto unreachable = RunScaleWith({"generate", "hi"}, {{"SCALE_HOME", home.path().string()},
                                                       {"SCALE_MODEL", ""},
                                                       {"HF_ENDPOINT", "http://127.0.0.1:9"}});
  EXPECT_EQ(unreachable.exit_code, 3);
  EXPECT_NE(unreachable.err.find("scale models pull --default"), std::string::npos) << unreachable.err;
  EXPECT_NE(unreachable.err.find("download failed"), std::string::npos) << unreachable.err;
}

std::string Answer(const std::vector<std::string>& extra) {
  std::vector<std::string> args = {"generate", "-m", testing::TinyChatModel(), "--format", "raw", "--max-tokens", "12",
                                   "-t", "1"};
  args.insert(args.end(), extra.begin(), extra.end());
  args.push_back("def add(a, b):");
  auto r = RunScale(args);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return r.out;
}

TEST(LoraFlagTest, AdapterChangesTheAnswerAndScaleZeroDoesNot) {
  const std::string base = Answer({});
  EXPECT_NE(Answer({"--lora", testing::TinyLora()}), base);
  EXPECT_EQ(Answer({"--lora", testing::TinyLora() + ":0"}), base);
  // The same adapter from a [lora] table: "default" applies to commands without a language.
  testing::TempDir dir;
  std::string config = dir.Write("lora.toml", "[lora]\ndefault = \"" + testing::TinyLora() + "\"\n");
  EXPECT_EQ(Answer({"--lora-config", config}), Answer({"--lora", testing::TinyLora()}));
  // An adapter for another model is a model error on one line.
  auto wrong = RunScale({"generate", "-m", testing::StoriesModel(), "--lora", testing::TinyLora(), "hi"});
  EXPECT_EQ(wrong.exit_code, 3) << wrong.err;
  EXPECT_EQ(Lines(wrong.err), 1u) << wrong.err;
}

TEST(LoraFlagTest, CommentSwitchesAdaptersPerLanguageWithoutReloading) {
  testing::TempDir dir;
  std::string py = dir.Write("a.py", "def add(a, b):\n    return a + b\n");
  std::string js = dir.Write("b.js", "function add(a, b) {\n  return a + b;\n}\n");
  std::string config = dir.Write("lora.toml", "[lora]\npython = \"" + testing::TinyLora() + ":0.5\"\n");
  auto r = RunScale({"comment", "-m", testing::TinyChatModel(), "--max-tokens", "8", "--lora-config", config, "--diff", "-v",
                     py, js});
  EXPECT_LE(r.exit_code, 1) << r.err;  // random weights: answers may be rejected, the run is not
  EXPECT_NE(r.err.find("adapters for python: 1"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("adapters for javascript: none"), std::string::npos) << r.err;
  size_t loads = 0;
  for (size_t at = r.err.find("loading " + testing::TinyChatModel()); at != std::string::npos;
       at = r.err.find("loading " + testing::TinyChatModel(), at + 1)) {
    ++loads;
  }
  EXPECT_EQ(loads, 1u) << "one model load for both languages";
}

TEST(EvalContextTest, PrintsAPerplexityTablePerMethod) {
  testing::TempDir dir;
  std::string text;
  for (int i = 0; text.size() < 6000; ++i) {
    text += "Once upon a time, there was a little girl named Lily. She loved to play outside in the sun. ";
    if (i % 3 == 0) text += "One day, she saw a big red ball in the park.\n";
  }
  std::string file = dir.Write("story.txt", text);
  auto r = RunScale({"eval", "context", "-m", testing::StoriesModel(), "--text", file, "--lengths", "256,512", "--methods",
                     "none,linear", "--windows", "1", "-t", "2", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  json j = json::parse(r.out);
  ASSERT_EQ(j["results"].size(), 4u);
  for (const auto& cell : j["results"]) EXPECT_GT(cell["perplexity"].get<double>(), 1.0) << cell.dump();
  auto table = RunScale({"eval", "context", "-m", testing::StoriesModel(), "--text", file, "--lengths", "256", "--methods",
                         "none,yarn", "--windows", "1", "-t", "2"});
  ASSERT_EQ(table.exit_code, 0) << table.err;
  EXPECT_NE(table.out.find("yarn"), std::string::npos) << table.out;
  auto missing = RunScale({"eval", "context", "-m", testing::StoriesModel(), "--text", "/nonexistent.txt"});
  EXPECT_EQ(missing.exit_code, 4) << missing.err;
}

}  // namespace
}  // namespace scale::cli
