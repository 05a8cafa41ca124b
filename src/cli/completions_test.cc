#include "cli/completions.h"

#include <gtest/gtest.h>

#include <unistd.h>

#include <cstdio>
#include <set>
#include <sstream>

#include "cli/commands.h"
#include "testing/run_scale.h"
#include "testing/temp_dir.h"

namespace scale::cli {
namespace {

// The whole command line as main() builds it (the options are registered, no callback runs).
struct LiveApp {
  CLI::App app{"scale: test", "scale"};
  LiveApp() {
    for (auto add : {AddCommentCommand, AddUndoCommand, AddSummarizeCommand, AddEvalCommand, AddBenchCommand,
                     AddModelsCommand, AddHwCommand, AddGenerateCommand, AddCacheCommand, AddTrainCommand,
                     AddRollbackCommand, AddDistillCommand, AddLspCommand, AddConfigCommand, AddCompletionsCommand}) {
      add(app);
    }
  }
};

void Walk(const CliCommand& c, std::vector<const CliCommand*>& out) {
  out.push_back(&c);
  for (const CliCommand& s : c.subcommands) Walk(s, out);
}

TEST(Completions, DescribeAppFindsNestedCommandsOptionsAndChoices) {
  LiveApp live;
  CliCommand root = DescribeApp(live.app);
  std::vector<const CliCommand*> all;
  Walk(root, all);
  const CliCommand* comment = nullptr;
  const CliCommand* pull = nullptr;
  for (const CliCommand* c : all) {
    if (c->path == std::vector<std::string>{"scale", "comment"}) comment = c;
    if (c->path == std::vector<std::string>{"scale", "models", "pull"}) pull = c;
  }
  ASSERT_NE(comment, nullptr);
  ASSERT_NE(pull, nullptr) << "nested subcommands are walked";
  bool existing = false, help = false;
  for (const CliOption& o : comment->options) {
    if (o.names == std::vector<std::string>{"--existing"}) {
      existing = true;
      EXPECT_TRUE(o.takes_value);
      EXPECT_EQ(o.choices, (std::vector<std::string>{"own", "update", "keep"}));
    }
    if (o.names == std::vector<std::string>{"-h", "--help"}) {
      help = true;
      EXPECT_FALSE(o.takes_value) << "a flag takes no value";
    }
  }
  EXPECT_TRUE(existing);
  EXPECT_TRUE(help);
  EXPECT_TRUE(comment->takes_positionals);
}

// Every command path's last word and every option name appears in each generated text.
TEST(Completions, EveryCommandAndOptionAppearsInEachOutput) {
  LiveApp live;
  CliCommand root = DescribeApp(live.app);
  std::vector<const CliCommand*> all;
  Walk(root, all);
  ASSERT_GT(all.size(), 12u);
  const std::string outputs[] = {BashCompletion(root), ZshCompletion(root), FishCompletion(root)};
  const std::string man = ManPage(root, "1.2.3", "Exit codes: 0 ok.");
  auto man_name = [](std::string n) {  // roff escapes hyphens
    std::string out;
    for (char c : n) out += c == '-' ? std::string("\\-") : std::string(1, c);
    return out;
  };
  for (const CliCommand* c : all) {
    for (const std::string& text : outputs) EXPECT_NE(text.find(c->path.back()), std::string::npos) << c->path.back();
    if (c->path.size() > 1) {
      std::string title;
      for (const std::string& p : c->path) title += (title.empty() ? "" : " ") + man_name(p);
      EXPECT_NE(man.find(".SS \"" + title + "\""), std::string::npos) << title;
    }
    for (const CliOption& o : c->options) {
      for (const std::string& n : o.names) {
        EXPECT_NE(outputs[0].find(n), std::string::npos) << "bash: " << n;
        // An option that takes a value has its own case for the word after it.
        if (o.takes_value) EXPECT_NE(outputs[0].find("'" + n + "'"), std::string::npos) << "bash value: " << n;
        EXPECT_NE(outputs[1].find(n), std::string::npos) << "zsh: " << n;
        EXPECT_NE(man.find("\\fB" + man_name(n) + "\\fR"), std::string::npos) << "man: " << n;
      }
    }
  }
  EXPECT_NE(man.find(".TH SCALE 1"), std::string::npos);
  EXPECT_NE(man.find(".SH EXIT STATUS\nExit codes: 0 ok."), std::string::npos);
}

// Descriptions with the shells' and roff's special characters stay inside their quotes.
TEST(Completions, QuotesSpecialCharacters) {
  CLI::App app{"tool: it's [x]\n.starts with a dot", "tool"};
  std::string v;
  app.add_option("--it", v, "don't \\ [break]: me");
  CliCommand root = DescribeApp(app);
  EXPECT_NE(BashCompletion(root).find("'--it'"), std::string::npos);
  EXPECT_NE(ZshCompletion(root).find("'*--it=[don'\\''t \\\\ \\[break\\]\\: me]:value:_files'"), std::string::npos)
      << ZshCompletion(root);
  EXPECT_NE(FishCompletion(root).find("-d 'don\\'t \\\\ [break]: me'"), std::string::npos) << FishCompletion(root);
  std::string man = ManPage(root, "1", "");
  EXPECT_NE(man.find("\n\\&.starts with a dot"), std::string::npos) << man;
  EXPECT_NE(man.find("don't \\e [break]: me"), std::string::npos) << man;
}

std::string Shell(const std::string& shell) {
  for (const char* dir : {"/usr/bin/", "/bin/", "/usr/local/bin/"}) {
    std::string p = std::string(dir) + shell;
    if (::access(p.c_str(), X_OK) == 0) return p;
  }
  return "";
}

// What the built binary prints, so the scripts are checked as installed.
std::string Generated(const std::string& what) {
  auto r = what == "man" ? testing::RunScale({"man"}) : testing::RunScale({"completions", what});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return r.out;
}

TEST(Completions, BinaryCoversEverySubcommandItsHelpLists) {
  auto help = testing::RunScale({"--help"});
  ASSERT_EQ(help.exit_code, 0) << help.err;
  const std::string bash = Generated("bash");
  std::istringstream lines(help.out.substr(help.out.find("Subcommands:")));
  std::string line;
  int seen = 0;
  std::getline(lines, line);
  while (std::getline(lines, line) && !line.empty() && line[0] == ' ') {
    if (line.find_first_not_of(' ') > 4) continue;  // a description pushed onto its own line
    std::string name = line.substr(line.find_first_not_of(' '));
    name = name.substr(0, name.find(' '));
    EXPECT_NE(bash.find("'scale " + name + "'"), std::string::npos) << name;
    ++seen;
  }
  EXPECT_GE(seen, 10);
}

// bash itself completes with the script: subcommands, options, an option's choices.
TEST(Completions, BashCompletesWithTheScript) {
  testing::TempDir dir("completions");
  const std::string script = dir.Write("scale.bash", Generated("bash"));
  auto complete = [&](const std::string& words, int cword) {
    auto r = testing::RunProgram("bash", {"-c", "source '" + script + "'; COMP_WORDS=(" + words + "); COMP_CWORD=" +
                                                    std::to_string(cword) + "; _scale; echo \"${COMPREPLY[*]}\""});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return r.out;
  };
  EXPECT_EQ(complete("scale mod", 1), "models\n");
  EXPECT_EQ(complete("scale models pu", 2), "pull\n");
  EXPECT_EQ(complete("scale comment --exis", 2), "--existing\n");
  EXPECT_EQ(complete("scale comment --existing ''", 3), "own update keep\n");
  EXPECT_EQ(complete("scale comment -m ''", 3), "\n") << "a file name: bash's default completion";
}

TEST(Completions, ShellsAcceptTheScripts) {
  testing::TempDir dir("completions");
  auto r = testing::RunProgram("bash", {"-n", dir.Write("scale.bash", Generated("bash"))});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  // zsh and fish are in deps/bootstrap.sh --tools; a machine without them checks bash only.
  for (const std::string shell : {"zsh", "fish"}) {
    const std::string path = Shell(shell);
    if (path.empty()) {
      std::printf("%s not installed: its script is not syntax-checked (deps/bootstrap.sh --tools installs it)\n",
                  shell.c_str());
      continue;
    }
    r = testing::RunProgram(path, {"-n", dir.Write("scale." + shell, Generated(shell))});
    EXPECT_EQ(r.exit_code, 0) << shell << ": " << r.err;
  }
  if (const std::string fish = Shell("fish"); !fish.empty()) {
    const std::string script = dir.file("scale.fish");
    r = testing::RunProgram(fish, {"-c", "source '" + script + "'; complete -C 'scale comment --exist'"});
    EXPECT_NE(r.out.find("--existing"), std::string::npos) << r.out << r.err;
    r = testing::RunProgram(fish, {"-c", "source '" + script + "'; complete -C 'scale comment --existing '"});
    EXPECT_NE(r.out.find("update"), std::string::npos) << r.out << r.err;
  }
  if (::access("/usr/bin/groff", X_OK) == 0) {
    const std::string man = dir.Write("scale.1", Generated("man"));
    r = testing::RunProgram("/usr/bin/groff", {"-man", "-Tutf8", "-ww", "-z", man});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.err, "") << "groff warnings";
  }
}

}  // namespace
}  // namespace scale::cli
