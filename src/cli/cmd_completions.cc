// `scale completions bash|zsh|fish` and `scale man`: the shell completion script or the man page
// (roff), generated from this binary's own command-line definition and printed on stdout.
// `cmake --install` writes them next to the binary (share/bash-completion, share/man/man1, ...).
#include <cstdio>
#include <memory>
#include <string>

#include "cli/commands.h"
#include "cli/completions.h"
#include "util/version.h"

namespace scale::cli {
namespace {

void Print(const std::string& text) { std::fwrite(text.data(), 1, text.size(), stdout); }

}  // namespace

void AddCompletionsCommand(CLI::App& app) {
  auto shell = std::make_shared<std::string>();
  auto* completions = app.add_subcommand("completions", "print a shell completion script (bash, zsh or fish)");
  completions->add_option("shell", *shell, "the shell")->required()->check(CLI::IsMember({"bash", "zsh", "fish"}));
  // The root app is walked when the command runs, after every command has registered itself.
  completions->callback([&app, shell] {
    const CliCommand root = DescribeApp(app);
    if (*shell == "bash") Print(BashCompletion(root));
    if (*shell == "zsh") Print(ZshCompletion(root));
    if (*shell == "fish") Print(FishCompletion(root));
  });
  auto* man = app.add_subcommand("man", "print the man page (roff; view with `scale man | man -l -`)");
  man->callback([&app] { Print(ManPage(DescribeApp(app), VersionString(), app.get_footer())); });
}

}  // namespace scale::cli
