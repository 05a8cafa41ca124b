// The project config end to end through the binary, in scratch folders under /tmp (outside this
// checkout, whose .gitignore would hide a tree under build/ from the walk): include/exclude on a
// real `scale comment --check`, each file's own config in one run, pyproject.toml's [tool.scale],
// the existing-comment policy from the config and the flag, and `scale config` with origins.
#include <gtest/gtest.h>

#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "testing/run_scale.h"
#include "testing/test_models.h"
#include "util/error.h"

namespace scale::cli {
namespace {
namespace fs = std::filesystem;
using nlohmann::json;
using testing::RunResult;
using testing::RunScaleWith;

// A folder under /tmp, removed at the end.
class Scratch {
 public:
  Scratch() {
    char name[] = "/tmp/scale-config-test-XXXXXX";
    path_ = mkdtemp(name);
  }
  ~Scratch() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  std::string Write(const std::string& rel, const std::string& text) const {
    fs::path p = path_ / rel;
    fs::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << text;
    return p.string();
  }
  std::string file(const std::string& rel) const { return (path_ / rel).string(); }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

const char* kUndocumented = "def f(x):\n    return x\n";

class ConfigCli : public ::testing::Test {
 protected:
  RunResult Scale(const std::vector<std::string>& args, const std::string& cwd = "",
                  std::map<std::string, std::string> env = {}) {
    env.emplace("SCALE_HOME", dir_.file(".home"));
    return RunScaleWith(args, env, cwd.empty() ? dir_.path().string() : cwd);
  }
  // The files `scale comment --check --json` reports routines without a comment in, relative to the scratch folder.
  std::set<std::string> Missing(const std::vector<std::string>& extra, const std::string& cwd = "") {
    std::vector<std::string> args = {"comment", "--check", "--json"};
    args.insert(args.end(), extra.begin(), extra.end());
    RunResult r = Scale(args, cwd);
    EXPECT_TRUE(r.exit_code == 0 || r.exit_code == 1) << r.err;
    std::set<std::string> out;
    json report = json::parse(r.out, nullptr, false);
    if (report.is_discarded()) {
      ADD_FAILURE() << r.out << r.err;
      return out;
    }
    for (const auto& f : report["files"]) {
      if (!f["missing"].empty()) out.insert(fs::path(f["path"].get<std::string>()).lexically_normal().string());
    }
    return out;
  }
  json ConfigJson(const std::vector<std::string>& extra, const std::string& cwd = "",
                  const std::map<std::string, std::string>& env = {}) {
    std::vector<std::string> args = {"config", "--json"};
    args.insert(args.end(), extra.begin(), extra.end());
    RunResult r = Scale(args, cwd, env);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return json::parse(r.out, nullptr, false);
  }

  Scratch dir_;
};

TEST_F(ConfigCli, ExcludeAndIncludeFilterTheWalkAndForcedNamedFiles) {
  dir_.Write(".scale.toml", "[comment]\nexclude = [\"vendor/\", \"*_old.py\"]\n");
  dir_.Write("src/a.py", kUndocumented);
  dir_.Write("src/api_old.py", kUndocumented);
  dir_.Write("vendor/lib.py", kUndocumented);
  EXPECT_EQ(Missing({"."}), (std::set<std::string>{"src/a.py"}));
  // Named explicitly (as pre-commit does), an excluded file is checked unless --force-exclude.
  EXPECT_EQ(Missing({"vendor/lib.py", "src/a.py"}), (std::set<std::string>{"vendor/lib.py", "src/a.py"}));
  EXPECT_EQ(Missing({"--force-exclude", "vendor/lib.py", "src/a.py"}), (std::set<std::string>{"src/a.py"}));
  // Everything left out is nothing to do, not an error: a pre-commit run on vendored files passes.
  RunResult r = Scale({"comment", "--check", "--force-exclude", "vendor/lib.py"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("nothing to do"), std::string::npos) << r.err;

  // force_exclude in the config does what the flag does; include narrows the walk only.
  dir_.Write(".scale.toml", "[comment]\nexclude = [\"vendor/\"]\nforce_exclude = true\ninclude = [\"src/\"]\n");
  dir_.Write("tools/t.py", kUndocumented);
  EXPECT_EQ(Missing({"."}), (std::set<std::string>{"src/a.py", "src/api_old.py"}));
  EXPECT_EQ(Missing({"vendor/lib.py", "tools/t.py"}), (std::set<std::string>{"tools/t.py"}));
}

TEST_F(ConfigCli, EachFileFollowsItsNearestConfigInOneRun) {
  dir_.Write(".scale.toml", "[comment]\nexclude = [\"gen_*.py\"]\n");
  dir_.Write("gen_top.py", kUndocumented);
  dir_.Write("app/gen_app.py", kUndocumented);
  dir_.Write("lib/gen_lib.py", kUndocumented);
  // lib/ has its own config (pyproject's [tool.scale]): the nearest wins whole, nothing merges.
  dir_.Write("lib/pyproject.toml", "[project]\nname = \"lib\"\n[tool.scale.comment]\nexclude = [\"old/\"]\n");
  dir_.Write("lib/old/x.py", kUndocumented);
  // A pyproject.toml without [tool.scale] is passed over: app/ follows the top config.
  dir_.Write("app/pyproject.toml", "[project]\nname = \"app\"\n");
  EXPECT_EQ(Missing({"."}), (std::set<std::string>{"lib/gen_lib.py"}));
  // .scale.toml beats the pyproject.toml next to it.
  dir_.Write("lib/.scale.toml", "[comment]\nexclude = [\"gen_*\"]\n");
  EXPECT_EQ(Missing({"."}), (std::set<std::string>{"lib/old/x.py"}));
  // From a subfolder, the inputs' configs still decide.
  EXPECT_EQ(Missing({"."}, dir_.file("lib")), (std::set<std::string>{"old/x.py"}));
}

TEST_F(ConfigCli, AnUnknownKeyInToolScaleIsOneLineWithFileAndLine) {
  std::string py = dir_.Write("pyproject.toml", "[project]\nname = \"x\"\n\n[tool.scale.comment]\nexclued = [\"a/\"]\n");
  dir_.Write("a.py", kUndocumented);
  for (const auto& args : std::vector<std::vector<std::string>>{{"comment", "--check", "a.py"}, {"config"}}) {
    RunResult r = Scale(args);
    EXPECT_EQ(r.exit_code, kExitUsage) << args[0] << ": " << r.err;
    EXPECT_EQ(r.err, "scale: error: " + py + ":5: unknown key 'tool.scale.comment.exclued' (known: existing, include, "
                     "exclude, force_exclude, templates, macros, [tool.scale.comment.style.<language>])\n")
        << args[0];
    EXPECT_EQ(r.out, "");
  }
}

// The policy for existing comments: the config's, and --existing over it. A person's comment is
// kept by the default (own), rewritten under `existing = "update"`, kept again by --existing keep.
TEST_F(ConfigCli, ExistingPolicyFromTheConfigAndTheFlag) {
  const std::string model = testing::StoriesModel();
  const std::string code = "def f(x):\n    \"\"\"Doubles x, by hand.\"\"\"\n    return 2 * x\n";
  auto status_of_f = [&](const std::vector<std::string>& extra) {
    dir_.Write("p/a.py", code);
    std::vector<std::string> args = {"comment", "-m", model, "--format", "raw", "--max-tokens", "12", "--json",
                                     "--diff", "--no-cache", "p/a.py"};
    args.insert(args.end(), extra.begin(), extra.end());
    RunResult r = Scale(args);
    EXPECT_TRUE(r.exit_code == 0 || r.exit_code == 1) << r.err;
    json report = json::parse(r.out, nullptr, false);
    if (report.is_discarded() || report["files"][0]["routines"].empty()) {
      ADD_FAILURE() << r.out << r.err;
      return std::string();
    }
    return report["files"][0]["routines"][0]["status"].get<std::string>();
  };
  EXPECT_EQ(status_of_f({}), "kept");
  dir_.Write("p/.scale.toml", "[comment]\nexisting = \"update\"\n");
  EXPECT_NE(status_of_f({}), "kept") << "the config's policy rewrites the person's comment";
  EXPECT_EQ(status_of_f({"--existing", "keep"}), "kept") << "the flag wins";
}

// The config's templates folder is read for its files (an empty python.txt is refused, naming it);
// --config beats it. A C style preset reaches the written file.
TEST_F(ConfigCli, TemplatesAndPresetsFromTheConfigReachTheRun) {
  const std::string model = testing::StoriesModel();
  const std::vector<std::string> run = {"comment", "-m", model, "--format", "raw", "--max-tokens", "12"};
  std::string cfg = dir_.Write("p/.scale.toml", "[comment]\ntemplates = \"tpl\"\n[comment.style.c]\npreset = \"plain\"\n");
  std::string empty = dir_.Write("p/tpl/python.txt", "\n");
  dir_.Write("p/a.py", kUndocumented);
  std::vector<std::string> args = run;
  args.insert(args.end(), {"--diff", "p/a.py"});
  RunResult r = Scale(args);
  EXPECT_EQ(r.exit_code, kExitUsage) << r.err;
  EXPECT_NE(r.err.find(empty), std::string::npos) << r.err;
  args = run;
  args.insert(args.end(), {"--config", std::string(SCALE_SOURCE_DIR) + "/scale-cfg", "--diff", "p/a.py"});
  r = Scale(args);
  EXPECT_EQ(r.exit_code, 0) << "--config wins over the config's templates: " << r.err;

  std::string c = dir_.Write("p/lib.c", "/** Old, in Doxygen's style. */\nint one(void) { return 1; }\n\nint two(void) { return 2; }\n");
  args = run;
  args.insert(args.end(), {"-i", "p/lib.c"});
  r = Scale(args);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::ifstream in(c);
  std::string after((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  size_t two = after.find("int two");
  ASSERT_NE(two, std::string::npos) << after;
  size_t open = after.rfind("\n/*", two);
  ASSERT_NE(open, std::string::npos) << after;
  EXPECT_EQ(after.substr(open, 5), "\n/*\n ") << "plain: /* rather than the file's /** (" << cfg << ")\n" << after;
}

TEST_F(ConfigCli, ConfigShowsValuesAndWhereEachCameFrom) {
  std::string cfg = dir_.Write(".scale.toml",
                               "profile = \"cpu-2core-8gb\"\n[engine]\nctx_size = 2048\nparallel = 3\n"
                               "[comment]\nexisting = \"keep\"\nexclude = [\"vendor/\"]\n[comment.style.c]\npreset = \"doxygen\"\n");
  json j = ConfigJson({});
  ASSERT_FALSE(j.is_discarded());
  EXPECT_EQ(j["config"], cfg);
  EXPECT_EQ(j["run_config"], cfg);
  const json& s = j["settings"];
  EXPECT_EQ(s["engine.ctx_size"], (json{{"value", 2048}, {"source", "config"}, {"origin", cfg + ":3"}}));
  EXPECT_EQ(s["engine.parallel"]["value"], 3);
  EXPECT_EQ(s["profile"], (json{{"value", "cpu-2core-8gb"}, {"source", "config"}, {"origin", cfg + ":1"}}));
  EXPECT_EQ(s["comment.existing"], (json{{"value", "keep"}, {"source", "config"}, {"origin", cfg + ":6"}}));
  EXPECT_EQ(s["comment.exclude"]["value"], json::array({"vendor/"}));
  EXPECT_EQ(s["comment.style.c"]["value"]["open"], "/**");
  EXPECT_EQ(s["comment.include"]["source"], "default");
  EXPECT_EQ(s["engine.kv_unified"]["source"], "default");

  // Flags win, the environment sits between flags and the file; the profile's own settings say so.
  j = ConfigJson({"--ctx-size", "1024", "--existing", "update", "--profile", "cpu-4core-16gb"}, "",
                 {{"SCALE_PARALLEL", "5"}});
  const json& f = j["settings"];
  EXPECT_EQ(f["engine.ctx_size"], (json{{"value", 1024}, {"source", "flag"}, {"origin", "--ctx-size"}}));
  EXPECT_EQ(f["engine.parallel"], (json{{"value", 5}, {"source", "env"}, {"origin", "SCALE_PARALLEL"}}));
  EXPECT_EQ(f["comment.existing"], (json{{"value", "update"}, {"source", "flag"}, {"origin", "--existing"}}));
  EXPECT_EQ(f["profile"], (json{{"value", "cpu-4core-16gb"}, {"source", "flag"}, {"origin", "--profile"}}));
  bool from_profile = false;
  for (const auto& [name, v] : f.items()) {
    if (v["source"] == "profile") {
      from_profile = true;
      EXPECT_EQ(v["origin"].get<std::string>().rfind("cpu-4core-16gb (", 0), 0u) << name << ": " << v;
    }
  }
  EXPECT_TRUE(from_profile) << f;

  // The text form: TOML-like lines with the origin as a comment.
  RunResult r = Scale({"config", "--parallel", "2"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("# per-file settings ([comment]): " + cfg), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\n[engine]\n"), std::string::npos) << r.out;
  auto line_of = [&](const std::string& key) {
    size_t at = r.out.find("\n" + key + " = ");
    return at == std::string::npos ? std::string() : r.out.substr(at + 1, r.out.find('\n', at + 1) - at - 1);
  };
  EXPECT_NE(line_of("ctx_size").find("= 2048"), std::string::npos);
  EXPECT_NE(line_of("ctx_size").find("# " + cfg + ":3"), std::string::npos) << line_of("ctx_size");
  EXPECT_NE(line_of("parallel").find("# flag --parallel"), std::string::npos) << line_of("parallel");
  EXPECT_NE(line_of("exclude").find("= [\"vendor/\"]"), std::string::npos) << line_of("exclude");
  EXPECT_NE(line_of("include").find("# default"), std::string::npos) << line_of("include");
}

TEST_F(ConfigCli, ConfigOfAFileUnderAnotherConfig) {
  std::string top = dir_.Write(".scale.toml", "[engine]\nctx_size = 2048\n[comment]\nexisting = \"keep\"\n");
  std::string sub = dir_.Write("sub/pyproject.toml", "[tool.scale.comment]\nexclude = [\"old/\"]\n[tool.scale.engine]\nctx_size = 999\n");
  dir_.Write("sub/old/x.py", kUndocumented);
  json j = ConfigJson({"sub/old/x.py"});
  ASSERT_FALSE(j.is_discarded());
  EXPECT_EQ(j["config"], sub);
  EXPECT_EQ(j["run_config"], top) << "run-level settings come from the current directory's config";
  EXPECT_EQ(j["settings"]["engine.ctx_size"]["value"], 2048);
  EXPECT_EQ(j["settings"]["comment.existing"]["source"], "default") << "no merging: sub's config sets no existing";
  EXPECT_EQ(j["settings"]["comment.exclude"]["origin"], sub + ":2");
  EXPECT_EQ(j["left_out"]["walked"], "excluded by " + sub + ":2 (tool.scale.comment.exclude)");
  EXPECT_TRUE(j["left_out"]["named"].is_null());
  // From sub/, its own run-level settings apply.
  j = ConfigJson({"old/x.py"}, dir_.file("sub"));
  EXPECT_EQ(j["settings"]["engine.ctx_size"]["value"], 999);
  EXPECT_EQ(j["settings"]["engine.ctx_size"]["origin"], sub + ":4");
  // A run from the top that reaches sub's files warns that sub's run-level settings do not apply.
  RunResult r = Scale({"comment", "-m", testing::StoriesModel(), "--format", "raw", "--max-tokens", "8", "-c", "256",
                       "--diff", "sub/old/x.py"});
  EXPECT_NE(r.err.find(sub + ": its profile, [engine], [lora] and backends do not apply to this run"), std::string::npos)
      << r.err;
}

}  // namespace
}  // namespace scale::cli
