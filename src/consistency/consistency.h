// Whether a doc comment says what the code does: its documented parameters, returns, yields and
// raises checked against the routine's facts (languages/facts.h), as one rule set for every
// language, each rule with an id like a linter's. Used on the model's answers (repair, retry,
// reject: --consistency) and on existing comments (`scale comment --check --consistency`).
#pragma once

#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "languages/language.h"

namespace scale::consistency {

struct Rule {
  std::string_view id;       // "param-unknown"
  std::string_view summary;  // one line for docs and --help
  bool mechanical;           // Repair fixes it without a model
};
// Every rule, in the order docs/consistency.md lists them.
std::span<const Rule> Rules();

struct Finding {
  std::string rule;     // a Rule::id
  std::string message;  // "documents 'x', which is not a parameter"
  std::string name;     // the parameter / exception / section it is about ("" when none)
};

// The findings for comment `text` (prose without comment syntax) of `routine`, in rule order then
// text order. Empty when the comment is consistent or the routine's facts say nothing checkable.
std::vector<Finding> Check(languages::Language language, const languages::Routine& routine, std::string_view text);

struct Repair {
  std::string text;               // the comment with every mechanical fix applied
  std::vector<Finding> fixed;     // what was repaired
  std::vector<Finding> remaining; // Check(text) afterwards: what needs a model or a person
};
// Applies the mechanical fixes: drops documented parameters that do not exist and duplicates, adds
// a missing one (description kNotDescribed) when the doc already lists parameters (every format
// scale writes then requires all), puts parameter entries in signature order, removes a returns
// part of a routine that returns nothing, a yields part of one that does not yield, a raises part
// of one whose body throws nothing, Rust's "# Errors" where no Result is returned, and starts a
// Go doc with the routine's name. Everything else in the text stays as it was.
Repair RepairComment(languages::Language language, const languages::Routine& routine, std::string_view text);
inline constexpr std::string_view kNotDescribed = "Not described.";

// The sentence a retry's prompt adds: what was wrong with the first answer, one finding a line.
std::string RetryNote(const std::vector<Finding>& findings);

// What `scale comment` does with an answer that fails the rules (--consistency):
//   kOff     nothing is checked
//   kRepair  mechanical fixes; what remains is kept and reported as a warning
//   kRetry   (default) as kRepair, then one new request stating the problems; then kept with a warning
//   kStrict  as kRetry, then rejected: the routine keeps its old comment and counts as failed
enum class Policy { kOff, kRepair, kRetry, kStrict };
std::optional<Policy> ParsePolicy(std::string_view name);  // "off", "repair", "retry", "strict"
const char* PolicyName(Policy policy);

// Counts per rule id, for reports (what was found in answers, fixed without a model, fixed by a
// retry, kept as a warning, or made the answer be rejected).
struct RuleCounts {
  int found = 0, repaired = 0, retried = 0, warned = 0, rejected = 0;
};
using Tally = std::map<std::string, RuleCounts>;
void Merge(Tally& into, const Tally& from);

}  // namespace scale::consistency
