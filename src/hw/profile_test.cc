// Hardware detection parsers and profile files (validation, choice, application as a settings
// source). Machines are described as HwInfo values, so the choices are tested for hardware
// this test does not run on; no model is loaded.
#include "hw/profile.h"

#include <gtest/gtest.h>

#include <cstdlib>

#include <toml++/toml.h>

#include "engine/scheduler.h"
#include "hw/hw_info.h"
#include "models/catalogue.h"
#include "testing/temp_dir.h"
#include "train/options.h"
#include "util/error.h"

namespace scale::hw {
namespace {

constexpr uint64_t kGiB = 1ull << 30;

HwInfo Machine(int cores, double ram_gib, double vram_gib = 0) {
  HwInfo hw;
  hw.cpu.model = "test cpu";
  hw.cpu.physical_cores = hw.cpu.logical_cores = cores;
  hw.ram_total = uint64_t(ram_gib * double(kGiB));
  hw.ram_available = hw.ram_total * 9 / 10;
  if (vram_gib > 0) {
    Accelerator a;
    a.name = "CUDA0";
    a.description = "test gpu";
    a.type = "gpu";
    a.memory_total = a.memory_free = uint64_t(vram_gib * double(kGiB));
    hw.accelerators.push_back(a);
  }
  return hw;
}

// The error text of `f`, which must throw scale::Error with `code`.
template <typename F>
std::string ErrorOf(F f, int code) {
  try {
    f();
  } catch (const Error& e) {
    EXPECT_EQ(e.exit_code(), code) << e.what();
    return e.what();
  }
  ADD_FAILURE() << "no error";
  return "";
}

TEST(HwInfo, ParsesCpuInfoCoresAndSimd) {
  const char* cpuinfo =
      "processor\t: 0\nmodel name\t: Test CPU 9000\nphysical id\t: 0\ncore id\t: 0\nflags\t: fpu sse4_2 avx avx2 fma f16c\n\n"
      "processor\t: 1\nmodel name\t: Test CPU 9000\nphysical id\t: 0\ncore id\t: 0\nflags\t: fpu sse4_2 avx avx2 fma f16c\n\n"
      "processor\t: 2\nmodel name\t: Test CPU 9000\nphysical id\t: 0\ncore id\t: 1\nflags\t: fpu sse4_2 avx avx2 fma f16c\n\n";
  CpuInfo cpu = ParseCpuInfo(cpuinfo);
  EXPECT_EQ(cpu.model, "Test CPU 9000");
  EXPECT_EQ(cpu.logical_cores, 3);
  EXPECT_EQ(cpu.physical_cores, 2);  // two hyper-threads of core 0 count once
  EXPECT_EQ(cpu.simd, (std::vector<std::string>{"SSE4.2", "AVX", "AVX2", "FMA", "F16C"}));
  // ARM's /proc/cpuinfo says "Features".
  CpuInfo arm = ParseCpuInfo("processor\t: 0\nFeatures\t: fp asimd asimddp i8mm\n");
  EXPECT_EQ(arm.simd, (std::vector<std::string>{"NEON", "ARM-DOTPROD", "I8MM"}));
  EXPECT_EQ(arm.model, "unknown");
}

TEST(HwInfo, ParsesMemInfoAndDetectsThisMachine) {
  uint64_t total = 0, available = 0;
  ParseMemInfo("MemTotal:       16384000 kB\nMemFree:  100 kB\nMemAvailable:    8192000 kB\n", &total, &available);
  EXPECT_EQ(total, 16384000ull * 1024);
  EXPECT_EQ(available, 8192000ull * 1024);
  HwInfo here = DetectHardware();
  EXPECT_GE(here.cpu.physical_cores, 1);
  EXPECT_GE(here.cpu.logical_cores, here.cpu.physical_cores);
  EXPECT_GT(here.ram_total, 0u);
  EXPECT_LE(here.ram_available, here.ram_total);
  EXPECT_FALSE(here.cpu.ggml_uses.empty()) << "ggml's CPU backend lists its features";
  EXPECT_TRUE(here.ToJson().contains("accelerators"));
}

TEST(Profiles, ShippedProfilesAllLoadAndValidate) {
  std::vector<Profile> profiles = LoadProfiles();
  ASSERT_GE(profiles.size(), 4u);
  for (const auto& p : profiles) {
    EXPECT_FALSE(p.description.empty()) << p.name;
    EXPECT_NE(models::FindCatalogueEntry(p.model), nullptr) << p.name;
    EXPECT_GE(p.engine.ctx_size, 512) << p.name;
  }
}

TEST(Profiles, BadFilesNameTheFileLineAndProblem) {
  testing::TempDir dir;
  auto bad = [&](const std::string& body) {
    std::string path = dir.Write("p.toml", body);
    return ErrorOf([&] { LoadProfile(path); }, kExitUsage);
  };
  std::string e = bad("[engine]\nctx_size = 4096\nparalel = 2\n");
  EXPECT_NE(e.find("p.toml:3"), std::string::npos) << e;
  EXPECT_NE(e.find("unknown key 'engine.paralel'"), std::string::npos) << e;
  EXPECT_NE(e.find("parallel"), std::string::npos) << "lists the known keys: " << e;
  e = bad("[engine]\nctx_size = \"big\"\n");
  EXPECT_NE(e.find("must be an integer"), std::string::npos) << e;
  e = bad("[engine]\nparallel = 0\n");
  EXPECT_NE(e.find("out of range"), std::string::npos) << e;
  e = bad("[model]\ncatalogue = \"gpt-5\"\n");
  EXPECT_NE(e.find("not in `scale models catalogue`"), std::string::npos) << e;
  e = bad("[engine]\ncache_type = \"q5_1\"\n");
  EXPECT_NE(e.find("engine.cache_type must be \"f16\", \"q8_0\" or \"q4_0\""), std::string::npos) << e;
  e = bad("[match]\ndevice = \"tpu\"\n");
  EXPECT_NE(e.find("match.device"), std::string::npos) << e;
  e = bad("[engine\n");
  EXPECT_NE(e.find("p.toml:1"), std::string::npos) << e;
  e = bad("[engine]\nbatch_size = 128\nubatch_size = 512\n");
  EXPECT_NE(e.find("ubatch_size"), std::string::npos) << e;
  e = ErrorOf([] { FindProfile("no-such-tier"); }, kExitUsage);
  EXPECT_NE(e.find("cpu-2core-8gb"), std::string::npos) << "names the known profiles: " << e;
}

TEST(Profiles, TrainTableSetsTrainingOptions) {
  testing::TempDir dir;
  Profile p = LoadProfile(dir.Write("t.toml", "[train]\nrank = 32\nalpha = 8.5\nbatch = 2\nctx = 1024\n"
                                              "modules = \"q,v,down\"\nthreads = 3\nlr = 1e-3\n"));
  EXPECT_EQ(p.train.lora.rank, 32);
  EXPECT_FLOAT_EQ(p.train.lora.alpha, 8.5f);
  EXPECT_EQ(p.train.batch, 2);
  EXPECT_EQ(p.train.ctx, 1024);
  EXPECT_EQ(p.train.lora.modules, (std::vector<train::Module>{train::Module::kQ, train::Module::kV, train::Module::kDown}));
  EXPECT_EQ(p.train.threads, 3);
  EXPECT_DOUBLE_EQ(p.train.lr, 1e-3);
  // Without [train], TrainOptions' defaults.
  Profile plain = LoadProfile(dir.Write("plain.toml", "description = \"x\"\n"));
  const train::TrainOptions defaults;
  EXPECT_EQ(plain.train.lora.rank, defaults.lora.rank);
  EXPECT_EQ(plain.train.ctx, defaults.ctx);
  EXPECT_EQ(plain.train.lora.modules, defaults.lora.modules);

  auto bad = [&](const std::string& body) {
    std::string path = dir.Write("bad.toml", body);
    return ErrorOf([&] { LoadProfile(path); }, kExitUsage);
  };
  std::string e = bad("[train]\nrank = 8\nepochs = 3\n");
  EXPECT_NE(e.find("bad.toml:3"), std::string::npos) << e;
  EXPECT_NE(e.find("unknown key 'train.epochs'"), std::string::npos) << e;
  EXPECT_NE(e.find("rank"), std::string::npos) << "lists the known keys: " << e;
  e = bad("[train]\n\nmodules = \"q,mlp\"\n");
  EXPECT_NE(e.find("bad.toml:3"), std::string::npos) << e;
  EXPECT_NE(e.find("mlp"), std::string::npos) << e;
  e = bad("[train]\nrank = 0\n");
  EXPECT_NE(e.find("bad.toml:2"), std::string::npos) << e;
  EXPECT_NE(e.find("out of range"), std::string::npos) << e;
  e = bad("[train]\nlr = 5.0\n");
  EXPECT_NE(e.find("'train.lr' = 5 is out of range"), std::string::npos) << e;
  e = bad("[train]\nctx = \"long\"\n");
  EXPECT_NE(e.find("must be an integer"), std::string::npos) << e;
  e = bad("train = 3\n");
  EXPECT_NE(e.find("must be a table"), std::string::npos) << e;
}

TEST(Profiles, ShippedProfilesHaveTrainTables) {
  for (const auto& p : LoadProfiles()) {
    // Every shipped tier states its [train] choice rather than inheriting the defaults silently.
    toml::table doc = toml::parse_file(p.path);
    EXPECT_TRUE(doc["train"].is_table()) << p.name;
    EXPECT_GE(p.train.ctx, 256) << p.name;
  }
}

TEST(Profiles, ATeamProfileCanNameItsServers) {
  testing::TempDir dir;
  std::string path = dir.Write("team.toml",
                               "[[backend]]\nurl = \"http://gpu-1:8080\"\nmax_concurrent = 16\n"
                               "[[backend]]\nurl = \"http://gpu-2:8080/v1\"\nweight = 0.5\n[remote]\nretries = 1\n");
  Profile p = LoadProfile(path);
  ASSERT_EQ(p.remote.backends.size(), 2u);
  EXPECT_EQ(p.remote.backends[0].max_concurrent, 16);
  EXPECT_EQ(p.remote.backends[1].url, "http://gpu-2:8080");
  EXPECT_DOUBLE_EQ(p.remote.backends[1].weight, 0.5);
  EXPECT_EQ(p.remote.retries, 1);
  std::string e = ErrorOf([&] { LoadProfile(dir.Write("bad.toml", "[[backend]]\nurl = \"http://a\"\nslots = 4\n")); },
                          kExitUsage);
  EXPECT_NE(e.find("bad.toml:3: unknown backend key 'slots'"), std::string::npos) << e;
}

TEST(Profiles, RecommendsTheMostCapableTierThatFits) {
  std::vector<Profile> profiles = LoadProfiles();
  Recommendation small = Recommend(Machine(2, 8), profiles);
  EXPECT_EQ(small.profile.name, "cpu-2core-8gb");
  EXPECT_LE(small.memory.total(), small.budget);
  EXPECT_FALSE(small.skipped.empty()) << "says why bigger tiers were not chosen";
  EXPECT_EQ(Recommend(Machine(8, 64), profiles).profile.name, "cpu-8core-32gb");
  EXPECT_EQ(Recommend(Machine(8, 64, 24), profiles).profile.name, "gpu-24gb");
  EXPECT_EQ(Recommend(Machine(4, 16, 8), profiles).profile.name, "gpu-8gb");
  // Below the smallest tier: a model error that names every reason.
  std::string e = ErrorOf([&] { Recommend(Machine(1, 0.5), profiles); }, kExitModel);
  EXPECT_NE(e.find("cpu-2core-8gb"), std::string::npos) << e;
}

TEST(Profiles, MemoryArithmeticAddsUp) {
  Recommendation r = Recommend(Machine(2, 8), LoadProfiles());
  const auto& m = r.memory;
  EXPECT_EQ(m.total(), m.weights + m.kv_cache + m.compute + m.overhead);
  const auto& e = *r.model;
  // KV = 2 x layers x ctx x kv heads x head dim x 2 bytes x (slots + the scheduler's spares), exactly.
  EXPECT_EQ(m.kv_cache, 2ull * e.n_layer * uint64_t(r.profile.engine.ctx_size) * e.n_head_kv * e.head_dim * 2 *
                            uint64_t(r.profile.engine.parallel + engine::kSchedulerSpareSequences));
  std::vector<std::string> lines = ExplainMemory(r);
  ASSERT_EQ(lines.size(), 5u);
  EXPECT_NE(lines[1].find(std::to_string(r.profile.engine.ctx_size) + " ctx"), std::string::npos) << lines[1];
  EXPECT_NE(lines[4].find("total"), std::string::npos);
  // A q8_0 cache: 34 bytes per 32 values instead of 64, and the explanation says so.
  Recommendation q8 = r;
  q8.profile.engine.cache_type = engine::KvCacheType::kQ8_0;
  q8.memory = models::EstimateMemory(*q8.model, uint32_t(q8.profile.engine.ctx_size), uint32_t(q8.profile.engine.parallel),
                                     uint32_t(q8.profile.EffectiveUbatch()), engine::KvCacheType::kQ8_0);
  EXPECT_EQ(q8.memory.kv_cache, m.kv_cache / 64 * 34);
  EXPECT_NE(ExplainMemory(q8)[1].find("1.0625 B (q8_0)"), std::string::npos) << ExplainMemory(q8)[1];
}

TEST(Profiles, ApplyKeepsWhatTheUserGave) {
  testing::TempDir dir;
  std::string path = dir.Write("mine.toml",
                               "[model]\ncatalogue = \"qwen2.5-coder-0.5b\"\n[engine]\nctx_size = 2048\nparallel = 3\n"
                               "batch_size = 256\nthreads = 2\ncache_type = \"q8_0\"\n[lora]\npython = \"py.gguf:0.5\"\n");
  Profile profile = ChooseProfile(path);
  settings::Layers layers;
  layers[size_t(settings::Source::kProfile)] = ProfileLayer(profile);
  layers[size_t(settings::Source::kFlag)] = {{"model", {"/models/given.gguf", "-m"}}, {"parallel", {"1", "--parallel"}}};
  settings::Resolved s = settings::Resolve(layers);
  EXPECT_EQ(s.params.model_path, "/models/given.gguf");
  EXPECT_EQ(s.params.parallel, 1) << "--parallel 1 was given explicitly";
  EXPECT_EQ(s.params.ctx_size, 2048);
  EXPECT_EQ(s.params.batch_size, 256);
  EXPECT_EQ(s.params.threads, 2);
  EXPECT_EQ(s.params.cache_type, engine::KvCacheType::kQ8_0);
  layers[size_t(settings::Source::kFlag)] = {{"cache_type", {"f16", "--cache-type"}}};  // --cache-type f16 given: kept
  settings::Resolved given_f16 = settings::Resolve(layers);
  EXPECT_EQ(given_f16.params.cache_type, engine::KvCacheType::kF16);
  ASSERT_TRUE(profile.loras.count("python"));
  EXPECT_FLOAT_EQ(profile.loras["python"].scale, 0.5f);
  EXPECT_EQ(profile.loras["python"].path, (dir.path() / "py.gguf").string()) << "relative to the profile";
  EXPECT_NE(s.origin.at("ctx_size").find("mine.toml:4"), std::string::npos) << s.origin.at("ctx_size");
}

TEST(Profiles, ValuesEqualToTheDefaultLeaveRoomForTuning) {
  testing::TempDir dir;
  Profile p = LoadProfile(dir.Write("t.toml", "[engine]\nthreads = 0\nbatch_size = 512\nparallel = 2\n"));
  settings::Layer layer = ProfileLayer(p);
  EXPECT_FALSE(layer.count("threads"));
  EXPECT_FALSE(layer.count("batch_size"));
  EXPECT_EQ(layer.at("parallel").text, "2");
  EXPECT_EQ(layer.at("ctx_size").text, "4096") << "a tier runs 4096 tokens unless it says otherwise";
  EXPECT_EQ(p.engine.ctx_size, 4096);
}

TEST(Profiles, ApplyWithoutAModelNamesThePullCommand) {
  testing::TempDir home;
  setenv("SCALE_HOME", home.path().c_str(), 1);  // an empty model cache
  std::string e = ErrorOf([&] { ProfileModelPath(ChooseProfile("cpu-2core-8gb")); }, kExitModel);
  EXPECT_NE(e.find("scale models pull qwen2.5-coder-0.5b"), std::string::npos) << e;
  unsetenv("SCALE_HOME");
}

}  // namespace
}  // namespace scale::hw
