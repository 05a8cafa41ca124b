// The KV cache element type (--cache-type, engine.cache_type), parsed from text once at the edge
// (settings/) and passed as this enum everywhere else; the byte arithmetic is in model_facts.h.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace scale::engine {

enum class KvCacheType { kF16, kQ8_0, kQ4_0 };

// "f16" | "q8_0" | "q4_0" -> the type; nullopt for any other text.
std::optional<KvCacheType> ParseKvCacheType(std::string_view name);
const char* KvCacheTypeName(KvCacheType type);  // the spelling ParseKvCacheType accepts

// Every spelling, in enum order (for --cache-type's choices and error messages).
const std::vector<std::string>& KvCacheTypes();

}  // namespace scale::engine
