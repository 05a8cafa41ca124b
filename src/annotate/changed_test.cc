// --changed's line -> routine mapping (annotate/changed.h) on parsed files, and KeepChanged on a
// scratch git repository.
#include "annotate/changed.h"

#include <gtest/gtest.h>

#include "languages/language.h"
#include "testing/run_scale.h"
#include "testing/temp_dir.h"
#include "util/error.h"

namespace scale::annotate {
namespace {

using languages::LanguageNamed;

const char kPython[] =
    "class Shop:\n"              // 1
    "    tax = 0.2\n"            // 2
    "\n"                         // 3
    "    def price(self, x):\n"  // 4
    "        return x * 2\n"     // 5
    "\n"                         // 6
    "    def total(self, xs):\n" // 7
    "        \"\"\"Adds.\"\"\"\n"// 8
    "        return sum(xs)\n"   // 9
    "\n"                         // 10
    "def free():\n"              // 11
    "    return 0\n";            // 12

std::vector<std::string> Touched(const languages::ParsedFile& f, const walk::FileChanges& c) {
  std::vector<bool> t = ChangedRoutines(f, c);
  std::vector<std::string> names;
  for (const auto& r : f.routines) {
    if (t[r.id]) names.push_back(r.qualified_name);
  }
  return names;
}

TEST(ChangedRoutinesTest, AChangedLineBelongsToTheInnermostRoutine) {
  auto f = languages::Parse(LanguageNamed("python"), kPython);
  ASSERT_EQ(f.routines.size(), 4u);
  using V = std::vector<std::string>;
  EXPECT_EQ(Touched(f, {false, {{5, 5}}}), V{"Shop.price"});   // a method's body, not its class
  EXPECT_EQ(Touched(f, {false, {{2, 2}}}), V{"Shop"});         // the class's own line
  EXPECT_EQ(Touched(f, {false, {{8, 8}}}), V{"Shop.total"});   // its docstring is its own
  EXPECT_EQ(Touched(f, {false, {{9, 11}}}), (V{"Shop.total", "free"}));
  EXPECT_EQ(Touched(f, {false, {{40, 50}}}), V{});             // past the end: nothing
  EXPECT_EQ(Touched(f, {false, {}}), V{});
  EXPECT_EQ(Touched(f, {true, {}}).size(), 4u);
}

TEST(ChangedRoutinesTest, ACFunctionsLeadingCommentIsItsOwn) {
  const char c[] =
      "/* Adds two numbers. */\n"  // 1
      "int add(int a, int b) {\n"  // 2
      "  return a + b;\n"          // 3
      "}\n"                        // 4
      "\n"                         // 5
      "int sub(int a, int b) {\n"  // 6
      "  return a - b;\n"          // 7
      "}\n";
  auto f = languages::Parse(LanguageNamed("c"), c);
  ASSERT_EQ(f.routines.size(), 2u);
  using V = std::vector<std::string>;
  EXPECT_EQ(Touched(f, {false, {{1, 1}}}), V{"add"});
  EXPECT_EQ(Touched(f, {false, {{5, 5}}}), V{});  // the blank line between them is no one's
  EXPECT_EQ(Touched(f, {false, {{7, 7}}}), V{"sub"});
}

TEST(KeepChangedTest, KeepsOnlyChangedInputsAndRefusesAnUnknownRef) {
  testing::TempDir dir("keepchanged");
  auto git = [&](const std::vector<std::string>& args) {
    auto r = testing::RunProgram("git", args, {}, dir.file("repo"));
    ASSERT_EQ(r.exit_code, 0) << r.err;
  };
  std::filesystem::create_directories(dir.file("repo"));
  git({"init", "-q"});
  git({"config", "user.email", "t@example.com"});
  git({"config", "user.name", "t"});
  dir.Write("repo/a.py", "def a():\n    return 1\n");
  dir.Write("repo/b.py", "def b():\n    return 2\n");
  git({"add", "-A"});
  git({"commit", "-q", "-m", "one"});
  dir.Write("repo/b.py", "def b():\n    return 3\n");

  std::vector<InputFile> inputs = {{dir.file("repo/a.py"), LanguageNamed("python"), false},
                                   {dir.file("repo/b.py"), LanguageNamed("python"), false}};
  auto changes = KeepChanged("", &inputs);
  ASSERT_EQ(inputs.size(), 1u);
  EXPECT_EQ(inputs[0].path, dir.file("repo/b.py"));
  ASSERT_EQ(changes.count(dir.file("repo/b.py")), 1u);
  EXPECT_EQ(changes[dir.file("repo/b.py")].lines.size(), 1u);
  EXPECT_THROW(KeepChanged("HEAD~5", &inputs), Error);
}

}  // namespace
}  // namespace scale::annotate
