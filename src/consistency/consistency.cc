#include "consistency/consistency.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <set>

#include "consistency/doc_parse.h"

namespace scale::consistency {

using languages::Known;
using languages::Parameter;
using languages::Routine;
using languages::RoutineFacts;

namespace {

constexpr std::array<Rule, 12> kRules = {{
    {"param-unknown", "a documented parameter the signature does not have (or the receiver, self/this)", true},
    {"param-duplicate", "a parameter documented twice", true},
    {"param-missing", "a parameter left out of a doc that documents parameters", true},
    {"param-order", "parameters documented in another order than the signature's", true},
    {"returns-void", "a returns part on a routine that returns nothing (void, None, a constructor)", true},
    {"returns-missing", "no returns part on a routine that returns a value, in a doc that documents parameters", false},
    {"yields-not-generator", "a yields part on a routine that does not yield", true},
    {"yields-missing", "no yields part on a generator, in a doc that documents parameters", false},
    {"raises-nothing-raised", "a raises/throws part on a routine whose body raises nothing", true},
    {"raises-missing", "an exception the body raises by name, left out of the doc's raises part", false},
    {"errors-without-result", "Rust: an \"# Errors\" section on a function that does not return a Result", true},
    {"name-first", "Go: the doc does not start with the declared name", true},
}};

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// A documented or declared name without decoration: "*args" -> "args", "$x" -> "x", "`n`" -> "n",
// "opts?" -> "opts", "[x]" -> "x". "..." stays (C/Lua varargs are documented as "...").
std::string Norm(std::string_view name) {
  std::string s(name);
  auto strip = [&](std::string_view chars) {
    while (!s.empty() && chars.find(s.front()) != std::string_view::npos) s.erase(0, 1);
    while (!s.empty() && (chars.find(s.back()) != std::string_view::npos || s.back() == '?')) s.pop_back();
  };
  std::string before = s;
  strip("`$*&[]");
  if (s.rfind("...", 0) == 0 && s.size() > 3) s.erase(0, 3);
  if (s.empty()) return before;
  return s;
}

// Documented name -> (root, member): "options.key" -> ("options", "key").
std::pair<std::string, std::string> Split(std::string_view documented) {
  std::string n = Norm(documented);
  if (n == "...") return {n, ""};
  size_t dot = n.find('.');
  if (dot == std::string::npos || dot == 0) return {n, ""};
  // "options[].key" (JSDoc arrays of objects) counts as a member of "options".
  std::string root = n.substr(0, dot);
  while (!root.empty() && (root.back() == ']' || root.back() == '[')) root.pop_back();
  return {root, n.substr(dot + 1)};
}

// The last component of an exception name: "errors.Bad" / "std::out_of_range" / "System.IO.IOException".
std::string Leaf(std::string_view name) {
  std::string n = Norm(name);
  size_t cut = n.find_last_of(".:\\");
  return cut == std::string::npos ? n : n.substr(cut + 1);
}

bool Contains(const std::vector<std::string>& v, std::string_view x) { return std::find(v.begin(), v.end(), x) != v.end(); }

// A returns part that says there is nothing ("@return [void]", "Returns: None", ":rtype: None").
bool SaysNothingReturned(const DocStructure& doc, const DocSection& s) {
  for (int i = s.first_line; i <= s.last_line && i < static_cast<int>(doc.lines.size()); ++i) {
    std::string l = Lower(doc.lines[static_cast<size_t>(i)]);
    for (std::string_view w : {"void", "none", "nothing", "undefined", "nil", "()"}) {
      size_t at = l.find(w);
      while (at != std::string::npos) {
        bool left = at == 0 || !std::isalnum(static_cast<unsigned char>(l[at - 1]));
        bool right = at + w.size() >= l.size() || !std::isalnum(static_cast<unsigned char>(l[at + w.size()]));
        if (left && right) return true;
        at = l.find(w, at + 1);
      }
    }
  }
  return false;
}

// Which parameter each documented parameter entry names, in text order.
struct ParamEntry {
  const DocEntry* entry;
  int section;      // index into doc.sections
  int param = -1;   // index into facts.parameters, -1 when none
  bool member = false;
  bool receiver = false;
  bool type_parameter = false;
};

std::vector<ParamEntry> MatchParams(const DocStructure& doc, const RoutineFacts& f) {
  std::vector<ParamEntry> out;
  for (size_t s = 0; s < doc.sections.size(); ++s) {
    if (doc.sections[s].kind != SectionKind::kParams) continue;
    for (const auto& e : doc.sections[s].entries) out.push_back({&e, static_cast<int>(s)});
  }
  std::vector<bool> named(f.parameters.size(), false);
  for (auto& pe : out) {
    auto [root, member] = Split(pe.entry->name);
    pe.member = !member.empty();
    for (size_t i = 0; i < f.parameters.size(); ++i) {
      const Parameter& p = f.parameters[i];
      if (!p.name.empty() && Norm(p.name) == root) pe.param = static_cast<int>(i);
      // A destructured parameter's bound names may be documented on their own.
      if (p.name.empty() && member.empty() && Contains(p.members, root)) {
        pe.param = static_cast<int>(i);
        pe.member = true;
      }
      if (pe.param >= 0) break;
    }
    if (pe.param < 0) {
      pe.receiver = Contains(f.receivers, root);
      pe.type_parameter = Contains(f.type_parameters, root);
    }
    if (pe.param >= 0 && !pe.member) named[static_cast<size_t>(pe.param)] = true;
  }
  // A destructured parameter has no name: the doc names it as it likes ("options"), with members
  // "options.a". Unmatched root entries take the destructured parameters in order.
  size_t next = 0;
  for (auto& pe : out) {
    if (pe.param >= 0 || pe.receiver || pe.type_parameter || pe.member) continue;
    while (next < f.parameters.size() && !(f.parameters[next].name.empty() && !named[next])) ++next;
    if (next == f.parameters.size()) break;
    pe.param = static_cast<int>(next);
    named[next] = true;
    std::string root = Split(pe.entry->name).first;
    for (auto& m : out) {
      if (m.param < 0 && m.member && Split(m.entry->name).first == root) m.param = static_cast<int>(next);
    }
  }
  return out;
}

bool Documents(const DocStructure& doc, SectionKind kind) {
  return std::any_of(doc.sections.begin(), doc.sections.end(), [&](const DocSection& s) { return s.kind == kind; });
}

bool IsGo(languages::Language language) { return std::string_view(languages::LanguageName(language)) == "go"; }

void CheckParams(const DocStructure& doc, const RoutineFacts& f, std::vector<Finding>& out) {
  std::vector<ParamEntry> entries = MatchParams(doc, f);
  std::set<int> seen;
  int last = -1;
  bool ordered = true;
  for (const auto& pe : entries) {
    const std::string& n = pe.entry->name;
    if (pe.receiver) {
      out.push_back({"param-unknown", "documents '" + n + "', the receiver, which callers do not pass", n});
    } else if (pe.param < 0 && !pe.type_parameter && f.parameters_complete) {
      out.push_back({"param-unknown", "documents '" + n + "', which is not a parameter", n});
    }
    if (pe.param < 0 || pe.member) continue;
    if (!seen.insert(pe.param).second) {
      out.push_back({"param-duplicate", "documents '" + n + "' twice", n});
    }
    if (pe.param < last) ordered = false;
    last = std::max(last, pe.param);
  }
  bool any_param_entry = std::any_of(entries.begin(), entries.end(), [](const ParamEntry& pe) { return pe.param >= 0; });
  if (any_param_entry) {
    for (size_t i = 0; i < f.parameters.size(); ++i) {
      bool covered = seen.count(static_cast<int>(i)) > 0;
      if (!covered) {
        // A destructured parameter documented only by its members counts as documented.
        covered = std::any_of(entries.begin(), entries.end(), [&](const ParamEntry& pe) { return pe.param == static_cast<int>(i); });
      }
      if (covered) continue;
      const Parameter& p = f.parameters[i];
      std::string shown = p.name.empty() ? "{" + (p.members.empty() ? std::string() : p.members.front()) + ", ...}" : p.name;
      out.push_back({"param-missing", "does not document parameter '" + shown + "'", p.name});
    }
  }
  if (!ordered) out.push_back({"param-order", "documents the parameters in another order than the signature", ""});
}

}  // namespace

std::span<const Rule> Rules() { return kRules; }

std::vector<Finding> Check(languages::Language language, const Routine& routine, std::string_view text) {
  std::vector<Finding> out;
  const RoutineFacts& f = routine.facts;
  DocStructure doc = ParseDoc(language, text);
  if (f.has_parameters) CheckParams(doc, f, out);

  bool full = Documents(doc, SectionKind::kParams);
  for (const auto& s : doc.sections) {
    if (s.kind == SectionKind::kReturns && f.returns_value == Known::kNo && !SaysNothingReturned(doc, s)) {
      std::string why = f.constructor ? "a constructor" : f.return_type.empty() ? "it returns nothing" : "it returns " + f.return_type;
      out.push_back({"returns-void", "documents a return value, but " + why, s.title});
      break;
    }
  }
  bool format_has_returns = doc.format != "markdown" && doc.format != "shell" && doc.format != "prose";
  if (full && format_has_returns && f.returns_value == Known::kYes && !f.constructor && f.generator != Known::kYes &&
      !Documents(doc, SectionKind::kReturns)) {
    out.push_back({"returns-missing", "documents the parameters but not the return value", ""});
  }
  if (Documents(doc, SectionKind::kYields) && f.generator == Known::kNo) {
    out.push_back({"yields-not-generator", "documents yielded values, but the routine does not yield", ""});
  }
  if (full && format_has_returns && f.generator == Known::kYes && !Documents(doc, SectionKind::kYields) &&
      !Documents(doc, SectionKind::kReturns)) {
    out.push_back({"yields-missing", "documents the parameters but not what the generator yields", ""});
  }
  std::vector<std::string> documented_raises;
  bool raises_part = false;
  for (const auto& s : doc.sections) {
    if (s.kind != SectionKind::kRaises) continue;
    raises_part = true;
    for (const auto& e : s.entries) documented_raises.push_back(Leaf(e.name));
  }
  if (raises_part && f.raises == Known::kNo) {
    std::string names;
    for (const auto& n : documented_raises) names += (names.empty() ? "" : ", ") + n;
    out.push_back({"raises-nothing-raised",
                   "documents " + (names.empty() ? std::string("raised exceptions") : names) + ", but the body raises nothing",
                   names});
  }
  if (raises_part && f.raises == Known::kYes) {
    for (const auto& r : f.raised) {
      if (!Contains(documented_raises, Leaf(r))) out.push_back({"raises-missing", "does not document raising " + r, r});
    }
  }
  if (Documents(doc, SectionKind::kErrors) && f.returns_result == Known::kNo) {
    out.push_back({"errors-without-result", "has an \"# Errors\" section, but the function does not return a Result", ""});
  }
  if (IsGo(language) && !routine.name.empty() && !text.empty() &&
      languages::ConventionalCommentText(language, routine, text) != text) {
    out.push_back({"name-first", "does not start with the name " + routine.name, routine.name});
  }
  std::stable_sort(out.begin(), out.end(), [](const Finding& a, const Finding& b) {
    auto rank = [](const std::string& id) {
      for (size_t i = 0; i < kRules.size(); ++i) {
        if (kRules[i].id == id) return i;
      }
      return kRules.size();
    };
    return rank(a.rule) < rank(b.rule);
  });
  return out;
}

namespace {

bool Has(const std::vector<Finding>& findings, std::string_view rule) {
  return std::any_of(findings.begin(), findings.end(), [&](const Finding& f) { return f.rule == rule; });
}

// Step 1: removes unknown and duplicate parameter entries and the parts that contradict the code.
std::string RemoveContradictions(languages::Language language, const Routine& routine, std::string_view text,
                                 const std::vector<Finding>& found) {
  DocStructure doc = ParseDoc(language, text);
  const RoutineFacts& f = routine.facts;
  std::vector<std::pair<int, int>> ranges;
  auto drop_section = [&](const DocSection& s) { ranges.emplace_back(s.first_line, s.last_line); };
  if (f.has_parameters && (Has(found, "param-unknown") || Has(found, "param-duplicate"))) {
    std::vector<ParamEntry> entries = MatchParams(doc, f);
    std::set<int> seen;
    std::vector<int> kept_in_section(doc.sections.size(), 0);
    std::vector<std::pair<int, int>> entry_ranges;
    for (const auto& pe : entries) {
      bool unknown = pe.receiver || (pe.param < 0 && !pe.type_parameter && f.parameters_complete);
      bool duplicate = pe.param >= 0 && !pe.member && !seen.insert(pe.param).second;
      if (unknown || duplicate) {
        entry_ranges.emplace_back(pe.entry->first_line, pe.entry->last_line);
      } else {
        ++kept_in_section[static_cast<size_t>(pe.section)];
      }
    }
    for (size_t s = 0; s < doc.sections.size(); ++s) {
      const DocSection& sec = doc.sections[s];
      if (sec.kind != SectionKind::kParams) continue;
      // A section left with no entries goes as a whole (its heading too).
      if (kept_in_section[s] == 0) {
        drop_section(sec);
      }
    }
    ranges.insert(ranges.end(), entry_ranges.begin(), entry_ranges.end());
  }
  for (const auto& s : doc.sections) {
    bool drop = (s.kind == SectionKind::kReturns && Has(found, "returns-void") && !SaysNothingReturned(doc, s)) ||
                (s.kind == SectionKind::kYields && Has(found, "yields-not-generator")) ||
                (s.kind == SectionKind::kRaises && Has(found, "raises-nothing-raised")) ||
                (s.kind == SectionKind::kErrors && Has(found, "errors-without-result"));
    if (drop) drop_section(s);
  }
  if (ranges.empty()) return std::string(text);
  return RemoveLines(doc, ranges);
}

// How a new entry spells a parameter, like the doc's existing entries do.
std::string Spelling(const DocStructure& doc, const Parameter& p) {
  bool python = doc.format == "google" || doc.format == "numpy" || doc.format == "sphinx";
  if (python && p.kind == Parameter::kVariadic) return "*" + p.name;
  if (python && p.kind == Parameter::kKeywords) return "**" + p.name;
  bool sigil = false, any = false;
  for (const auto& s : doc.sections) {
    if (s.kind != SectionKind::kParams) continue;
    for (const auto& e : s.entries) {
      any = true;
      sigil = !e.name.empty() && e.name[0] == '$';
      if (!sigil) return p.name;
    }
  }
  return any && sigil ? "$" + p.name : p.name;
}

// Step 2: adds each missing named parameter next to its neighbours, written like an existing entry.
std::string AddMissing(languages::Language language, const Routine& routine, std::string text) {
  const RoutineFacts& f = routine.facts;
  for (size_t guard = 0; guard <= f.parameters.size(); ++guard) {
    DocStructure doc = ParseDoc(language, text);
    std::vector<ParamEntry> entries = MatchParams(doc, f);
    if (entries.empty()) return text;
    std::set<int> covered;
    for (const auto& pe : entries) covered.insert(pe.param);
    size_t missing = f.parameters.size();
    for (size_t i = 0; i < f.parameters.size(); ++i) {
      if (!covered.count(static_cast<int>(i)) && !f.parameters[i].name.empty()) {
        missing = i;
        break;
      }
    }
    if (missing == f.parameters.size()) return text;
    // After the last entry of an earlier parameter, else before the first entry of a later one.
    const ParamEntry* after = nullptr;
    const ParamEntry* before = nullptr;
    for (const auto& pe : entries) {
      if (pe.param >= 0 && pe.param < static_cast<int>(missing)) after = &pe;
      if (!before && pe.param > static_cast<int>(missing)) before = &pe;
    }
    const ParamEntry* model = after ? after : before ? before : &entries.front();
    const DocEntry& like = *model->entry;
    std::string line = like.lead + Spelling(doc, f.parameters[missing]) + like.separator + std::string(kNotDescribed) + like.suffix;
    std::vector<std::string> lines = doc.lines;
    std::vector<std::string> add;
    size_t start = 0;
    for (size_t nl = line.find('\n'); ; nl = line.find('\n', start)) {
      add.push_back(line.substr(start, nl == std::string::npos ? std::string::npos : nl - start));
      if (nl == std::string::npos) break;
      start = nl + 1;
    }
    int at = after ? after->entry->last_line + 1 : model->entry->first_line;
    // Continuations of the entry we go after belong to it (members "options.key" too).
    if (after) {
      for (const auto& pe : entries) {
        if (pe.param == after->param && pe.section == after->section) at = std::max(at, pe.entry->last_line + 1);
      }
    }
    lines.insert(lines.begin() + at, add.begin(), add.end());
    std::string next = JoinLines(lines);
    if (next == text) return next;
    text = std::move(next);
  }
  return text;
}

// Step 3: puts the parameter entries of a single, contiguous run into signature order.
std::string Reorder(languages::Language language, const Routine& routine, std::string_view text) {
  DocStructure doc = ParseDoc(language, text);
  std::vector<ParamEntry> entries = MatchParams(doc, routine.facts);
  if (entries.size() < 2) return std::string(text);
  for (size_t i = 1; i < entries.size(); ++i) {
    if (entries[i].entry->first_line != entries[i - 1].entry->last_line + 1) return std::string(text);
    if (entries[i].param < 0) return std::string(text);
  }
  if (entries[0].param < 0) return std::string(text);
  std::vector<size_t> order(entries.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    if (entries[a].param != entries[b].param) return entries[a].param < entries[b].param;
    return !entries[a].member && entries[b].member;
  });
  std::vector<std::string> lines(doc.lines.begin(), doc.lines.begin() + entries.front().entry->first_line);
  for (size_t k : order) {
    for (int l = entries[k].entry->first_line; l <= entries[k].entry->last_line; ++l) lines.push_back(doc.lines[static_cast<size_t>(l)]);
  }
  lines.insert(lines.end(), doc.lines.begin() + entries.back().entry->last_line + 1, doc.lines.end());
  return JoinLines(lines);
}

}  // namespace

Repair RepairComment(languages::Language language, const Routine& routine, std::string_view text) {
  Repair r;
  std::vector<Finding> found = Check(language, routine, text);
  r.text = std::string(text);
  if (found.empty()) return r;
  r.text = RemoveContradictions(language, routine, r.text, found);
  if (Has(found, "param-missing")) r.text = AddMissing(language, routine, r.text);
  if (Has(Check(language, routine, r.text), "param-order")) r.text = Reorder(language, routine, r.text);
  if (Has(found, "name-first")) r.text = languages::ConventionalCommentText(language, routine, r.text);
  r.remaining = Check(language, routine, r.text);
  // What was found and is gone now was fixed (compared by rule and subject).
  for (const auto& f : found) {
    bool still = std::any_of(r.remaining.begin(), r.remaining.end(),
                             [&](const Finding& g) { return g.rule == f.rule && g.name == f.name; });
    if (!still) r.fixed.push_back(f);
  }
  return r;
}

std::string RetryNote(const std::vector<Finding>& findings) {
  std::string note = "Your previous answer did not match the code:\n";
  for (const auto& f : findings) note += "- it " + f.message + " [" + f.rule + "]\n";
  note += "Write the comment again, documenting exactly the parameters, return value and exceptions the code has.";
  return note;
}

std::optional<Policy> ParsePolicy(std::string_view name) {
  if (name == "off") return Policy::kOff;
  if (name == "repair") return Policy::kRepair;
  if (name == "retry") return Policy::kRetry;
  if (name == "strict") return Policy::kStrict;
  return std::nullopt;
}

const char* PolicyName(Policy policy) {
  switch (policy) {
    case Policy::kOff: return "off";
    case Policy::kRepair: return "repair";
    case Policy::kRetry: return "retry";
    case Policy::kStrict: return "strict";
  }
  return "retry";
}

void Merge(Tally& into, const Tally& from) {
  for (const auto& [rule, c] : from) {
    RuleCounts& t = into[rule];
    t.found += c.found;
    t.repaired += c.repaired;
    t.retried += c.retried;
    t.warned += c.warned;
    t.rejected += c.rejected;
  }
}

}  // namespace scale::consistency
