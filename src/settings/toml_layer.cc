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

Layer ReadEngineTable(const toml::table& engine, const std::string& file) {
  Layer out;
  for (const auto& [k, node] : engine) {
    const std::string key(k.str());
    const std::string where = Where(file, node);
    const Setting* s = Find(key);
    if (s == nullptr) {
      throw Error(kExitUsage, where + ": unknown key 'engine." + key + "' (known in [engine]: " + KnownKeys() + ")");
    }
    std::string problem;
    std::string text = TextOf(*s, node, &problem);
    if (problem.empty()) problem = Check(*s, text);
    if (!problem.empty()) {
      std::string got = node.is_string() ? "\"" + *node.value<std::string>() + "\"" : text;
      throw Error(kExitUsage, where + ": engine." + key + " " + problem + (got.empty() ? "" : ", not " + got));
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

StylePin ReadStylePin(const toml::table& table, const std::string& file, const std::string& language) {
  StylePin pin;
  pin.where = Where(file, table);
  for (const auto& [k, node] : table) {
    const std::string key(k.str());
    const std::string name = "comment.style." + language + "." + key;
    if (key == "prefix") pin.prefix = StringKey(node, file, name);
    else if (key == "open") pin.open = StringKey(node, file, name);
    else if (key == "gutter") pin.gutter = StringKey(node, file, name);
    else if (key == "close") pin.close = StringKey(node, file, name);
    else if (key == "sections") pin.sections = StringKey(node, file, name);
    else if (key == "width") {
      if (!node.is_integer()) throw Error(kExitUsage, Where(file, node) + ": " + name + " must be an integer");
      pin.width = static_cast<int>(*node.value<int64_t>());
    } else {
      throw Error(kExitUsage, Where(file, node) + ": unknown key '" + name +
                                  "' (known: prefix, open, gutter, close, width, sections)");
    }
  }
  return pin;
}

CommentConfig ReadCommentTable(const toml::table& table, const std::string& file) {
  CommentConfig c;
  for (const auto& [k, node] : table) {
    const std::string key(k.str());
    if (key == "macros") {
      const toml::array* list = node.as_array();
      if (!list) throw Error(kExitUsage, Where(file, node) + ": comment.macros must be a list of names");
      c.macros_where = Where(file, node);
      for (const toml::node& m : *list) c.macros.push_back(StringKey(m, file, "each of comment.macros"));
    } else if (key == "style" && node.is_table()) {
      for (const auto& [lang, pin] : *node.as_table()) {
        if (!pin.is_table()) throw Error(kExitUsage, Where(file, pin) + ": comment.style." + std::string(lang.str()) + " must be a table");
        c.styles[std::string(lang.str())] = ReadStylePin(*pin.as_table(), file, std::string(lang.str()));
      }
    } else {
      throw Error(kExitUsage, Where(file, node) + ": unknown key 'comment." + key + "' (known: macros, [comment.style.<language>])");
    }
  }
  return c;
}

}  // namespace

ProjectConfig LoadProjectConfig(const std::string& file) {
  toml::table doc = ReadToml(file);
  ProjectConfig c;
  c.path = file;
  for (const auto& [k, node] : doc) {
    const std::string key(k.str());
    if (key == "backend") continue;  // [[backend]] is an array of tables, read below
    if ((key != "engine" && key != "lora" && key != "comment" && key != "remote") || !node.is_table()) {
      throw Error(kExitUsage, Where(file, node) + ": '" + key +
                                  "': a project config has only [engine], [lora], [comment], [[backend]] and [remote] tables");
    }
    if (key == "engine") c.engine = ReadEngineTable(*node.as_table(), file);
    if (key == "lora") c.loras = ParseLoraTable(*node.as_table(), file);
    if (key == "comment") c.comment = ReadCommentTable(*node.as_table(), file);
  }
  ReadBackendTables(doc.get("backend"), doc.get("remote"), file, &c.remote);
  return c;
}

std::optional<ProjectConfig> FindProjectConfig(const fs::path& start) {
  std::error_code ec;
  for (fs::path dir = fs::absolute(start, ec); !dir.empty(); dir = dir.parent_path()) {
    fs::path candidate = dir / ".scale.toml";
    if (fs::is_regular_file(candidate, ec)) return LoadProjectConfig(candidate.string());
    if (dir == dir.parent_path()) break;
  }
  return std::nullopt;
}

}  // namespace scale::settings
