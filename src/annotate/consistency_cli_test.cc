// End-to-end tests of `scale comment --check --consistency` (linting existing comments against
// their code; no model) and of --consistency's flags, through the built binary (SCALE_BINARY).
#include <gtest/gtest.h>

#include <algorithm>

#include <nlohmann/json.hpp>

#include "testing/run_scale.h"
#include "testing/temp_dir.h"

namespace scale::annotate {
namespace {

using testing::RunScaleWith;

const std::map<std::string, std::string> kNoModel = {{"SCALE_MODEL", "/nonexistent/model.gguf"}};

const char* kPython =
    "def scale(x, factor=2):\n"
    "    \"\"\"Multiply x.\n"
    "\n"
    "    Args:\n"
    "        x: The number.\n"
    "        factr: The factor.\n"
    "    \"\"\"\n"
    "    return x * factor\n"
    "\n"
    "\n"
    "def log(msg):\n"
    "    \"\"\"Print a message.\n"
    "\n"
    "    Args:\n"
    "        msg: What to print.\n"
    "\n"
    "    Returns:\n"
    "        The message.\n"
    "    \"\"\"\n"
    "    print(msg)\n"
    "\n"
    "\n"
    "def fine(a):\n"
    "    \"\"\"Return a.\"\"\"\n"
    "    return a\n";

const char* kJava =
    "class Account {\n"
    "  /**\n"
    "   * Sets the balance.\n"
    "   *\n"
    "   * @param amount the new balance\n"
    "   * @throws IllegalStateException if the account is closed\n"
    "   */\n"
    "  void set(long amount) {\n"
    "    this.amount = amount;\n"
    "  }\n"
    "}\n";

TEST(ConsistencyCliTest, CheckListsEveryFindingWithItsRuleAndLine) {
  testing::TempDir dir;
  std::string py = dir.Write("m.py", kPython);
  std::string java = dir.Write("Account.java", kJava);
  auto r = RunScaleWith({"comment", "--check", "--consistency", py, java}, kNoModel);
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_EQ(r.out,
            py + ":2: function scale: documents 'factr', which is not a parameter [param-unknown]\n" +
            py + ":2: function scale: does not document parameter 'factor' [param-missing]\n" +
            py + ":2: function scale: documents the parameters but not the return value [returns-missing]\n" +
            py + ":12: function log: documents a return value, but it returns nothing [returns-void]\n" +
            java + ":2: method Account.set: documents IllegalStateException, but the body raises nothing "
                   "[raises-nothing-raised]\n");
}

TEST(ConsistencyCliTest, ConsistentCommentsPassAndJsonAndSarifNameTheRules) {
  testing::TempDir dir;
  std::string ok = dir.Write("ok.py", "def fine(a):\n    \"\"\"Return a.\n\n    Args:\n        a: A value.\n\n    Returns:\n        a.\n    \"\"\"\n    return a\n");
  auto pass = RunScaleWith({"comment", "--check", "--consistency", ok}, kNoModel);
  EXPECT_EQ(pass.exit_code, 0) << pass.err;
  EXPECT_EQ(pass.out, "");

  std::string py = dir.Write("m.py", kPython);
  auto json = RunScaleWith({"comment", "--check", "--consistency", "--json", py}, kNoModel);
  EXPECT_EQ(json.exit_code, 1);
  auto j = nlohmann::json::parse(json.out);
  EXPECT_TRUE(j["findings"].get<bool>());
  ASSERT_EQ(j["files"][0]["findings"].size(), 4u);
  EXPECT_EQ(j["files"][0]["findings"][3]["rule"], "returns-void");
  EXPECT_EQ(j["files"][0]["findings"][3]["name"], "log");

  auto sarif = RunScaleWith({"comment", "--check", "--consistency", "--sarif", py}, kNoModel);
  EXPECT_EQ(sarif.exit_code, 1);
  auto s = nlohmann::json::parse(sarif.out);
  EXPECT_EQ(s["version"], "2.1.0");
  const auto& results = s["runs"][0]["results"];
  ASSERT_EQ(results.size(), 4u);
  EXPECT_EQ(results[0]["ruleId"], "param-unknown");
  EXPECT_EQ(results[0]["locations"][0]["physicalLocation"]["region"]["startLine"], 2);
  EXPECT_EQ(results[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"], py);
  // A location is a URI reference: a space or a line break in a name is percent-encoded.
  std::string odd = dir.Write("my file\n.py", kPython);
  auto encoded = nlohmann::json::parse(RunScaleWith({"comment", "--check", "--consistency", "--sarif", odd}, kNoModel).out);
  std::string uri = encoded["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"];
  EXPECT_EQ(uri.substr(uri.size() - 16), "/my%20file%0A.py") << uri;
  bool listed = false;
  for (const auto& rule : s["runs"][0]["tool"]["driver"]["rules"]) listed |= rule["id"] == "returns-void";
  EXPECT_TRUE(listed);

  // Without --consistency, --check still lists missing comments only (all three have one).
  EXPECT_EQ(RunScaleWith({"comment", "--check", py}, kNoModel).exit_code, 0);
}

TEST(ConsistencyCliTest, FormatGithubPrintsOneAnnotationPerFinding) {
  testing::TempDir dir;
  std::string py = dir.Write("m.py", kPython);
  auto gh = RunScaleWith({"comment", "--check", "--consistency", "--format", "github", py}, kNoModel);
  EXPECT_EQ(gh.exit_code, 1);
  std::vector<std::string> lines;
  for (size_t at = 0, next; at < gh.out.size(); at = next + 1) {
    next = gh.out.find('\n', at);
    if (next == std::string::npos) next = gh.out.size();
    lines.push_back(gh.out.substr(at, next - at));
  }
  ASSERT_EQ(lines.size(), 4u) << gh.out;  // the four findings --json reports above
  EXPECT_EQ(lines[0].rfind("::warning file=" + py + ",line=2,title=scale param-unknown::", 0), 0u) << lines[0];
  // The same findings as SARIF, in the same order.
  auto s = nlohmann::json::parse(RunScaleWith({"comment", "--check", "--consistency", "--format", "sarif", py}, kNoModel).out);
  ASSERT_EQ(s["runs"][0]["results"].size(), lines.size());
  EXPECT_NE(lines[3].find("title=scale returns-void::"), std::string::npos) << lines[3];
  // A path with ':' and ',' and a line break stays one annotation with the right file.
  std::string odd = dir.Write("a:b,c\nd.py", "def f(x):\n    return x\n");
  auto missing = RunScaleWith({"comment", "--check", "--format", "github", odd}, kNoModel);
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_NE(missing.out.find("a%3Ab%2Cc%0Ad.py,line=1,title=scale missing-comment::"), std::string::npos) << missing.out;
  EXPECT_EQ(std::count(missing.out.begin(), missing.out.end(), '\n'), 1);
  // Nothing found: no lines, exit 0.
  std::string done = dir.Write("ok.py", "def f(x):\n    \"\"\"Return x.\"\"\"\n    return x\n");
  auto clean = RunScaleWith({"comment", "--check", "--format", "github", done}, kNoModel);
  EXPECT_EQ(clean.exit_code, 0) << clean.err;
  EXPECT_EQ(clean.out, "");
}

TEST(ConsistencyCliTest, BadPolicyAndMisplacedFlagsAreUsageErrors) {
  testing::TempDir dir;
  std::string py = dir.Write("m.py", kPython);
  auto bad = RunScaleWith({"comment", "--consistency=sometimes", py}, kNoModel);
  EXPECT_EQ(bad.exit_code, 2) << bad.err;
  EXPECT_NE(bad.err.find("--consistency must be repair, retry, strict or off"), std::string::npos) << bad.err;
  EXPECT_EQ(RunScaleWith({"comment", "--check", "--consistency=strict", py}, kNoModel).exit_code, 2);
  EXPECT_EQ(RunScaleWith({"comment", "--sarif", py}, kNoModel).exit_code, 2);
  EXPECT_EQ(RunScaleWith({"comment", "--format", "github", py}, kNoModel).exit_code, 2)
      << "without --check, --format is the chat format, and github is not one";
  EXPECT_EQ(RunScaleWith({"comment", "--check", "--format", "xml", py}, kNoModel).exit_code, 2);
  EXPECT_EQ(RunScaleWith({"comment", "--check", "--sarif", "--format", "json", py}, kNoModel).exit_code, 2);
}

}  // namespace
}  // namespace scale::annotate
