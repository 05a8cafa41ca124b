// `scale config [PATH]`: the settings a run would use for PATH, each with its value and where it
// came from (flag, env, FILE:LINE of a project config, profile, tune.json, default), as TOML-like
// text or --json. Run-level settings come from the current directory's config, per-file ones from
// PATH's nearest config (docs/configuration.md). Loads no model; a bad config is exit 2.
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "annotate/config.h"
#include "cli/commands.h"
#include "cli/file_config.h"
#include "cli/model_options.h"
#include "cli/print.h"
#include "hw/tune.h"
#include "models/catalogue.h"
#include "models/other_stores.h"
#include "settings/table.h"
#include "util/error.h"
#include "util/log.h"

namespace scale::cli {
namespace {
namespace fs = std::filesystem;
using nlohmann::json;
using settings::Source;

struct ConfigArgs {
  ModelOptions model;
  std::string path = ".";
  bool json = false;
  std::string existing;      // as scale comment's flags, to show what they change
  std::string templates;     // --config DIR
  bool force_exclude = false;
};

// One shown setting: its value (typed for --json), source and origin.
struct Entry {
  std::string name;    // "engine.ctx_size", "comment.exclude"
  json value;
  std::string source;  // flag, env, config, profile, tune, default
  std::string origin;  // "--ctx-size", "SCALE_THREADS", "FILE:LINE", "NAME (FILE:LINE)", ""
  std::string Said() const {  // the text comment: "flag --ctx-size", "env SCALE_THREADS", "FILE:LINE", ...
    if (source == "config") return origin;
    if (source == "tune") return origin.empty() ? "tune.json" : origin;
    if (source == "default") return origin.empty() ? "default" : "default (" + origin + ")";
    return source + (origin.empty() ? "" : " " + origin);
  }
};

const char* SourceWord(Source s) {
  switch (s) {
    case Source::kFlag: return "flag";
    case Source::kEnv: return "env";
    case Source::kProjectConfig: return "config";
    case Source::kProfile: return "profile";
    case Source::kTune: return "tune";
    case Source::kDefault: return "default";
  }
  return "?";
}

json Typed(const settings::Setting& s, const std::string& text) {
  switch (settings::TypeOf(s)) {
    case settings::Type::kInt: return std::stoll(text);
    case settings::Type::kNumber: return std::stod(text);
    case settings::Type::kBool: return text == "true";
    default: return text;
  }
}

// A value as TOML writes it (JSON's strings, numbers and booleans are TOML's; lists and tables
// get TOML's spacing).
std::string TomlText(const json& v) {
  if (v.is_array()) {
    std::string out;
    for (const json& item : v) out += (out.empty() ? "" : ", ") + TomlText(item);
    return "[" + out + "]";
  }
  if (v.is_object()) {
    std::string out;
    for (const auto& [k, item] : v.items()) out += (out.empty() ? "" : ", ") + k + " = " + TomlText(item);
    return "{ " + out + " }";
  }
  return v.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::vector<Entry> EngineEntries(SettingsSources& sources, std::string* model_note) {
  settings::Layers& layers = sources.layers;
  auto layer = [&](Source s) -> settings::Layer& { return layers[static_cast<size_t>(s)]; };
  // The model as OpenLlm settles it, without downloading anything.
  std::string model = models::ResolveModelArgument(settings::Resolve(layers).params.model_path);
  if (model.empty() && sources.profile) {
    try {
      model = hw::ProfileModelPath(*sources.profile);
      layer(Source::kProfile)["model"] = {model, sources.profile->path + " [model]"};
    } catch (const Error& e) {
      *model_note = e.what();
    }
  } else if (model.empty()) {
    if (auto cached = models::DefaultModelPath()) {
      model = *cached;
      layer(Source::kDefault)["model"] = {model, "the default model"};
    } else {
      *model_note = "no model: a run downloads the default model (" + models::DefaultCatalogueEntry().title + ")";
    }
  }
  if (!model.empty()) layer(Source::kTune) = hw::TunedLayer(model);
  const settings::Resolved resolved = settings::Resolve(layers);
  std::vector<Entry> out;
  for (const settings::Setting& s : settings::Table()) {
    const Source from = resolved.source.at(s.name);
    std::string origin = resolved.origin.at(s.name);
    if (from == Source::kEnv && origin.starts_with("$")) origin = origin.substr(1);
    if (from == Source::kProfile) origin = sources.profile->name + " (" + origin + ")";
    out.push_back({"engine." + std::string(s.name), Typed(s, settings::Show(s, resolved.params)), SourceWord(from), origin});
  }
  return out;
}

std::vector<Entry> RunEntries(const ConfigArgs& args, const SettingsSources& sources) {
  std::vector<Entry> out;
  if (sources.profile) {
    const bool flag = sources.profile_origin.starts_with("--");
    out.push_back({"profile", sources.profile->name, flag ? "flag" : "config", sources.profile_origin});
  } else {
    out.push_back({"profile", "", "default", ""});
  }
  const settings::RemoteConfig remote = ResolveBackends(args.model, sources);
  json urls = json::array();
  std::string where;
  for (const settings::Backend& b : remote.backends) {
    urls.push_back(b.url);
    if (where.empty()) where = b.where;
  }
  const bool backend_flag = !args.model.backends.empty();
  out.push_back({"backend", urls, remote.backends.empty() ? "default" : backend_flag ? "flag" : "config",
                 remote.backends.empty() ? "" : backend_flag ? "--backend" : where});
  // The first of --lora-config, the config's [lora] and the profile's that names a language gave it.
  settings::LoraByLanguage from_flag;
  if (!args.model.lora_config.empty()) from_flag = settings::LoadLoraConfig(args.model.lora_config);
  for (const auto& [language, lora] : sources.loras) {
    Entry e{"lora." + language, lora.path, "profile", sources.profile ? sources.profile->name : ""};
    if (from_flag.count(language)) {
      e.source = "flag";
      e.origin = "--lora-config " + args.model.lora_config;
    } else if (sources.project && sources.project->loras.count(language)) {
      e.source = "config";
      e.origin = sources.project->path;
    }
    out.push_back(std::move(e));
  }
  return out;
}

std::vector<Entry> CommentEntries(const ConfigArgs& args, const FileConfig& fc) {
  const settings::CommentConfig empty;
  const settings::CommentConfig& c = fc.config ? fc.config->comment : empty;
  std::vector<Entry> out;
  auto from_file = [](bool set, const std::string& where) { return set ? std::pair<std::string, std::string>{"config", where}
                                                                         : std::pair<std::string, std::string>{"default", ""}; };
  if (!args.existing.empty()) {
    out.push_back({"comment.existing", args.existing, "flag", "--existing"});
  } else {
    auto [src, where] = from_file(!c.existing.empty(), c.existing_where);
    out.push_back({"comment.existing", c.existing.empty() ? "own" : c.existing, src, where});
  }
  auto list = [](const std::vector<std::string>& v) { return json(v); };
  {
    auto [src, where] = from_file(!c.include_where.empty(), c.include_where);
    out.push_back({"comment.include", list(c.include), src, where});
  }
  {
    auto [src, where] = from_file(!c.exclude_where.empty(), c.exclude_where);
    out.push_back({"comment.exclude", list(c.exclude), src, where});
  }
  if (args.force_exclude) out.push_back({"comment.force_exclude", true, "flag", "--force-exclude"});
  else out.push_back({"comment.force_exclude", c.force_exclude, c.force_exclude ? "config" : "default", ""});
  if (!args.templates.empty()) {
    const fs::path dir = annotate::FindConfigDir(args.templates);  // a run refuses what is not a folder
    out.push_back({"comment.templates", fs::absolute(dir).lexically_normal().string(), "flag", "--config"});
  } else if (!c.templates.empty()) {
    out.push_back({"comment.templates", c.templates, "config", c.templates_where});
  } else {
    std::string dir;
    try {
      dir = annotate::FindConfigDir("").string();
    } catch (const Error&) {
      dir = "";  // a run would stop with FindConfigDir's error
    }
    out.push_back({"comment.templates", dir, "default", "the installed scale-cfg"});
  }
  {
    auto [src, where] = from_file(!c.macros_where.empty(), c.macros_where);
    out.push_back({"comment.macros", list(fc.parse.macros), src, where});
  }
  for (const auto& [name, pin] : c.styles) {
    auto language = languages::ParseLanguageName(name);
    if (!language) continue;  // ResolveCommentConfig has refused it already
    const languages::DocStyle& style = fc.parse.styles.at(*language);
    json v = {{"width", style.width}};
    if (!pin.preset.empty()) v["preset"] = pin.preset;
    if (std::string(languages::LanguageName(*language)) == "python") {
      // A docstring's delimiters are the language's; only its sections and width are a style.
    } else if (style.lines) {
      v["prefix"] = style.gutter;
    } else {
      v["open"] = style.open;
      v["gutter"] = style.gutter;
      v["close"] = style.close;
    }
    if (!style.sections.empty()) v["sections"] = style.sections;
    out.push_back({"comment.style." + name, v, "config", pin.where});
  }
  return out;
}

void PrintText(const std::string& header, const std::vector<std::pair<std::string, std::vector<Entry>>>& tables) {
  std::string out = header;
  for (const auto& [table, entries] : tables) {
    out += "\n[" + table + "]\n";
    for (const Entry& e : entries) {
      std::string key = e.name.substr(e.name.find('.') == std::string::npos || table == "run" ? 0 : table.size() + 1);
      std::string line = key + " = " + TomlText(e.value);
      if (line.size() < 40) line.resize(40, ' ');
      out += line + "  # " + e.Said() + "\n";
    }
  }
  std::fputs(out.c_str(), stdout);
}

void Run(const ConfigArgs& args) {
  if (args.model.quiet) SetLogLevel(LogLevel::kQuiet);
  std::error_code ec;
  if (!fs::exists(args.path, ec)) throw Error(kExitInput, args.path + ": no such file or folder");
  const bool folder = fs::is_directory(args.path, ec);
  ProjectFiles project;
  const FileConfig& fc = folder ? project.ForFolder(args.path) : project.For(args.path);
  SettingsSources sources = GatherSettings(args.model);
  std::string model_note;
  std::vector<Entry> engine = EngineEntries(sources, &model_note);
  std::vector<Entry> run = RunEntries(args, sources);
  std::vector<Entry> comment = CommentEntries(args, fc);
  const std::string per_file = fc.config ? fc.config->path : "";
  const std::string run_level = sources.project ? sources.project->path : "";

  std::optional<std::string> walked_out, named_out;
  if (!folder) {
    walked_out = project.LeftOut(args.path, true, args.force_exclude);
    named_out = project.LeftOut(args.path, false, args.force_exclude);
  }
  if (args.json) {
    json j = {{"path", args.path},
              {"config", per_file.empty() ? json(nullptr) : json(per_file)},
              {"run_config", run_level.empty() ? json(nullptr) : json(run_level)}};
    json settings = json::object();
    for (const auto* list : {&run, &engine, &comment}) {
      for (const Entry& e : *list) {
        settings[e.name] = {{"value", e.value}, {"source", e.source}, {"origin", e.origin}};
      }
    }
    j["settings"] = settings;
    if (!model_note.empty()) j["model_note"] = model_note;
    if (!folder) {
      j["left_out"] = {{"walked", walked_out ? json(*walked_out) : json(nullptr)},
                       {"named", named_out ? json(*named_out) : json(nullptr)}};
    }
    PrintJson(j);
    return;
  }
  std::string header = "# scale config for " + args.path + "\n";
  header += "# per-file settings ([comment]): " + (per_file.empty() ? "no config governs it" : per_file) + "\n";
  header += "# run-level settings (profile, backend, [engine], lora): " +
            (run_level.empty() ? std::string("no config in the current directory or above") : run_level + " (the current directory's)") +
            "\n";
  if (per_file != run_level && fc.config && fc.config->HasRunSettings()) {
    header += "# note: " + per_file + " sets run-level settings, which apply only when scale runs from its folder\n";
  }
  if (!model_note.empty()) header += "# " + model_note + "\n";
  if (!folder) {
    if (walked_out) header += "# a directory walk leaves this file out: " + *walked_out + "\n";
    if (named_out) header += "# named on the command line it is left out too: " + *named_out + "\n";
    else if (walked_out) header += "# named on the command line it is processed (--force-exclude would leave it out)\n";
  }
  PrintText(header, {{"run", run}, {"engine", engine}, {"comment", comment}});
}

}  // namespace

void AddConfigCommand(CLI::App& app) {
  auto args = std::make_shared<ConfigArgs>();
  auto* cmd = app.add_subcommand("config", "show the effective settings for a file or folder and where each came from");
  cmd->add_option("path", args->path, "the file or folder whose settings to show (default: the current directory)");
  cmd->add_flag("--json", args->json, "print the settings as JSON on stdout");
  cmd->add_option("--existing", args->existing, "as scale comment's --existing, to see it win")
      ->check(CLI::IsMember({"own", "update", "keep"}));
  cmd->add_option("--config", args->templates, "as scale comment's --config (the templates folder)");
  cmd->add_flag("--force-exclude", args->force_exclude, "as scale comment's --force-exclude");
  AddModelOptions(cmd, &args->model, settings::kComment);
  cmd->callback([args] { Run(*args); });
}

}  // namespace scale::cli
