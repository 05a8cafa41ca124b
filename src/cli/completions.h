// Shell completions (bash, zsh, fish) and a man page, generated from the live CLI11 App, so that
// they name exactly the subcommands, options and value choices the binary accepts.
#pragma once

#include <CLI/CLI.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace scale::cli {

struct CliOption {
  std::vector<std::string> names;    // "-m", "--model" (short ones first)
  std::string description;
  bool takes_value = false;          // false for flags
  std::vector<std::string> choices;  // from CLI::IsMember / CheckedTransformer ({a,b,c}); empty = any
};

struct CliCommand {
  std::vector<std::string> path;  // {"scale", "models", "pull"}
  std::string description;
  std::vector<CliOption> options;
  bool takes_positionals = false;  // free arguments (files, names) after the options
  std::vector<CliCommand> subcommands;
};

// The command tree under `app` (its option groups folded into the command that owns them).
CliCommand DescribeApp(const CLI::App& app);

std::string BashCompletion(const CliCommand& root);
std::string ZshCompletion(const CliCommand& root);
std::string FishCompletion(const CliCommand& root);
// roff for man(1), section 1; `footer` (the exit codes) becomes the EXIT STATUS section.
std::string ManPage(const CliCommand& root, std::string_view version, std::string_view footer);

}  // namespace scale::cli
