// Per-language LoRA adapters from configuration: a [lora] table in a profile, .scale.toml or a
// --lora-config TOML.
//
//   [lora]
//   python = "adapters/python.gguf"            # scale 1.0
//   c = "adapters/c.gguf:0.5"                  # FILE:SCALE, like --lora
//   javascript = { path = "js.gguf", scale = 0.8 }
//   default = "general.gguf"                   # languages without their own entry
//
// Relative paths are relative to the TOML file. The engine applies them (EngineParams::loras,
// LlamaEngine::SetActiveLoras); this only parses and validates.
#pragma once

#include <map>
#include <string>
#include <vector>

#include <toml++/toml.h>

#include "engine/llama_engine.h"

namespace scale::settings {

using LoraByLanguage = std::map<std::string, engine::LoraSpec>;  // lower-case language -> adapter

// "FILE[:SCALE]" -> spec (the --lora syntax). A suffix that is not a number stays part of the path.
// Throws Error(kExitUsage) for a scale outside [-10, 10] or an empty path.
engine::LoraSpec ParseLoraArg(const std::string& text);

// Parses a [lora] table; `file` is used for messages ("file:line: ...") and to resolve paths.
// Throws Error(kExitUsage) for a wrong value type or bad scale.
LoraByLanguage ParseLoraTable(const toml::table& lora, const std::string& file);

// Reads the [lora] table of a TOML file (empty map when it has none). Error(kExitUsage) on syntax
// errors (with file:line), Error(kExitInput) if unreadable.
LoraByLanguage LoadLoraConfig(const std::string& toml_file);

// The adapters for `language` (its own entry, else "default", else none).
std::vector<engine::LoraSpec> LorasFor(const LoraByLanguage& config, const std::string& language);

}  // namespace scale::settings
