#include "settings/toml_layer.h"

#include <cstdio>

#include "util/error.h"
#include "util/fs.h"

namespace scale::settings {
namespace fs = std::filesystem;

namespace {

std::string KnownKeys() {
  std::string out;
  for (const Setting& s : Table()) out += (out.empty() ? "" : ", ") + std::string(s.name);
  return out;
}

// The node as the text Check reads, or "" with *problem set when its TOML type is wrong.
std::string TextOf(const Setting& s, const toml::node& n, std::string* problem) {
  switch (TypeOf(s)) {
    case Type::kInt:
      if (n.is_integer()) return std::to_string(*n.value<int64_t>());
      *problem = "must be an integer";
      return "";
    case Type::kNumber:
      if (n.is_integer()) return std::to_string(*n.value<int64_t>());
      if (n.is_floating_point()) {
        char buf[40];
        std::snprintf(buf, sizeof buf, "%.17g", *n.value<double>());
        return buf;
      }
      *problem = "must be a number";
      return "";
    case Type::kBool:
      if (n.is_boolean()) return *n.value<bool>() ? "true" : "false";
      *problem = "must be true or false";
      return "";
    case Type::kText:
    case Type::kChoice:
      if (n.is_string()) return *n.value<std::string>();
      *problem = "must be a string";
      return "";
  }
  return "";
}

}  // namespace

std::string Where(const std::string& file, const toml::node& node) {
  return file + ":" + std::to_string(node.source().begin.line);
}

toml::table ReadToml(const std::string& file) {
  std::string text = ReadFile(file, 1 << 20);
  try {
    return toml::parse(text, file);
  } catch (const toml::parse_error& e) {
    throw Error(kExitUsage, file + ":" + std::to_string(e.source().begin.line) + ": " + std::string(e.description()));
  }
}

Layer ReadEngineTable(const toml::table& engine, const std::string& file, const std::string& prefix) {
  Layer out;
  for (const auto& [k, node] : engine) {
    const std::string key(k.str());
    const std::string where = Where(file, node);
    const std::string name = prefix + "engine." + key;
    const Setting* s = Find(key);
    if (s == nullptr) {
      throw Error(kExitUsage, where + ": unknown key '" + name + "' (known in [" + prefix + "engine]: " + KnownKeys() + ")");
    }
    std::string problem;
    std::string text = TextOf(*s, node, &problem);
    if (problem.empty()) problem = Check(*s, text);
    if (!problem.empty()) {
      std::string got = node.is_string() ? "\"" + *node.value<std::string>() + "\"" : text;
      throw Error(kExitUsage, where + ": " + name + " " + problem + (got.empty() ? "" : ", not " + got));
    }
    // A path in a file means the same wherever the command runs: relative to that file.
    if (TypeOf(*s) == Type::kText && fs::path(text).is_relative()) {
      text = (fs::path(file).parent_path() / text).lexically_normal().string();
    }
    out[key] = {text, where};
  }
  return out;
}

namespace {

std::string StringKey(const toml::node& node, const std::string& file, const std::string& name) {
  if (!node.is_string()) throw Error(kExitUsage, Where(file, node) + ": " + name + " must be a string");
  return *node.value<std::string>();
}

// A list of strings, each checked for its TOML type.
std::vector<std::string> StringList(const toml::node& node, const std::string& file, const std::string& name,
                                    const std::string& what) {
  const toml::array* list = node.as_array();
  if (!list) throw Error(kExitUsage, Where(file, node) + ": " + name + " must be a list of " + what);
  std::vector<std::string> out;
  for (const toml::node& item : *list) out.push_back(StringKey(item, file, "each of " + name));
  return out;
}

// include/exclude lines are gitignore lines: one pattern each, and an empty one means nothing.
std::vector<std::string> GlobList(const toml::node& node, const std::string& file, const std::string& name) {
  std::vector<std::string> globs = StringList(node, file, name, "gitignore-style globs");
  for (const std::string& g : globs) {
    if (g.empty() || g == "!" || g.find_first_of("\r\n") != std::string::npos || g[0] == '#') {
      throw Error(kExitUsage, Where(file, node) + ": " + name + ": '" + g + "' is not a glob");
    }
  }
  return globs;
}

StylePin ReadStylePin(const toml::table& table, const std::string& file, const std::string& name_prefix) {
  StylePin pin;
  pin.where = Where(file, table);
  for (const auto& [k, node] : table) {
    const std::string key(k.str());
    const std::string name = name_prefix + "." + key;
    if (key == "prefix") pin.prefix = StringKey(node, file, name);
    else if (key == "open") pin.open = StringKey(node, file, name);
    else if (key == "gutter") pin.gutter = StringKey(node, file, name);
    else if (key == "close") pin.close = StringKey(node, file, name);
    else if (key == "sections") pin.sections = StringKey(node, file, name);
    else if (key == "preset") pin.preset = StringKey(node, file, name);
    else if (key == "width") {
      if (!node.is_integer()) throw Error(kExitUsage, Where(file, node) + ": " + name + " must be an integer");
      pin.width = static_cast<int>(*node.value<int64_t>());
    } else {
      throw Error(kExitUsage, Where(file, node) + ": unknown key '" + name +
                                  "' (known: preset, prefix, open, gutter, close, width, sections)");
    }
  }
  return pin;
}

CommentConfig ReadCommentTable(const toml::table& table, const std::string& file, const std::string& prefix) {
  CommentConfig c;
  c.prefix = prefix;
  const std::string base = prefix + "comment.";
  for (const auto& [k, node] : table) {
    const std::string key(k.str());
    const std::string name = base + key;
    const std::string where = Where(file, node);
    if (key == "macros") {
      c.macros = StringList(node, file, name, "names");
      c.macros_where = where;
    } else if (key == "existing") {
      c.existing = StringKey(node, file, name);
      c.existing_where = where;
      bool known = false;
      for (const char* p : kExistingPolicies) known |= c.existing == p;
      if (!known) throw Error(kExitUsage, where + ": " + name + " must be \"own\", \"update\" or \"keep\", not \"" + c.existing + "\"");
    } else if (key == "include") {
      c.include = GlobList(node, file, name);
      c.include_where = where;
    } else if (key == "exclude") {
      c.exclude = GlobList(node, file, name);
      c.exclude_where = where;
    } else if (key == "force_exclude") {
      if (!node.is_boolean()) throw Error(kExitUsage, where + ": " + name + " must be true or false");
      c.force_exclude = *node.value<bool>();
    } else if (key == "templates") {
      std::string dir = StringKey(node, file, name + " (a folder)");
      if (dir.empty()) throw Error(kExitUsage, where + ": " + name + " is empty (omit it for the default templates)");
      c.templates = (fs::path(file).parent_path() / dir).lexically_normal().string();
      c.templates_where = where;
    } else if (key == "style" && node.is_table()) {
      for (const auto& [lang, pin] : *node.as_table()) {
        const std::string pin_name = base + "style." + std::string(lang.str());
        if (!pin.is_table()) throw Error(kExitUsage, Where(file, pin) + ": " + pin_name + " must be a table");
        c.styles[std::string(lang.str())] = ReadStylePin(*pin.as_table(), file, pin_name);
      }
    } else {
      throw Error(kExitUsage, where + ": unknown key '" + name +
                                  "' (known: existing, include, exclude, force_exclude, templates, macros, [" + base + "style.<language>])");
    }
  }
  return c;
}

// The schema of .scale.toml, read from `doc` (the whole file, or a pyproject's [tool.scale]).
ProjectConfig ReadProjectTable(const toml::table& doc, const std::string& file, const std::string& table) {
  const std::string prefix = table.empty() ? "" : table + ".";
  ProjectConfig c;
  c.path = file;
  c.table = table;
  for (const auto& [k, node] : doc) {
    const std::string key(k.str());
    if (key == "backend") continue;  // [[backend]] is an array of tables, read below
    if (key == "profile") {
      c.profile = StringKey(node, file, prefix + "profile");
      c.profile_where = Where(file, node);
      // A file (not a shipped profile's name) is relative to the config, as every path in it.
      if (c.profile.ends_with(".toml") || c.profile.find('/') != std::string::npos) {
        c.profile = (fs::path(file).parent_path() / c.profile).lexically_normal().string();
      }
      continue;
    }
    if ((key != "engine" && key != "lora" && key != "comment" && key != "remote") || !node.is_table()) {
      throw Error(kExitUsage, Where(file, node) + ": unknown key '" + prefix + key + "': " +
                                  (table.empty() ? "a project config" : "[" + table + "]") +
                                  " has only profile and the [engine], [lora], [comment], [[backend]] and [remote] tables");
    }
    if (key == "engine") c.engine = ReadEngineTable(*node.as_table(), file, prefix);
    if (key == "lora") c.loras = ParseLoraTable(*node.as_table(), file);
    if (key == "comment") c.comment = ReadCommentTable(*node.as_table(), file, prefix);
  }
  ReadBackendTables(doc.get("backend"), doc.get("remote"), file, &c.remote);
  return c;
}

}  // namespace

bool ProjectConfig::HasRunSettings() const {
  return !profile.empty() || !engine.empty() || !loras.empty() || !remote.backends.empty() || remote.routing_given ||
         remote.retries_given;
}

std::optional<ProjectConfig> ReadProjectConfig(const std::string& file) {
  if (fs::path(file).filename() != "pyproject.toml") return ReadProjectTable(ReadToml(file), file, "");
  // Most pyproject.toml files are other tools' business: one that cannot name [tool.scale] in any
  // TOML spelling is passed over unparsed, so its syntax is not ours to judge.
  if (ReadFile(file, 1 << 20).find("scale") == std::string::npos) return std::nullopt;
  toml::table doc = ReadToml(file);
  const toml::node* tool = doc.get("tool");
  const toml::node* scale = tool != nullptr && tool->is_table() ? tool->as_table()->get("scale") : nullptr;
  if (scale == nullptr) return std::nullopt;
  if (!scale->is_table()) throw Error(kExitUsage, Where(file, *scale) + ": tool.scale must be a table");
  return ReadProjectTable(*scale->as_table(), file, "tool.scale");
}

ProjectConfig LoadProjectConfig(const std::string& file) {
  std::optional<ProjectConfig> c = ReadProjectConfig(file);
  if (!c) throw Error(kExitUsage, file + ": has no [tool.scale] table");
  return std::move(*c);
}

}  // namespace scale::settings
