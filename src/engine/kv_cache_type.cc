#include "engine/kv_cache_type.h"

namespace scale::engine {

const std::vector<std::string>& KvCacheTypes() {
  static const std::vector<std::string> kTypes = {"f16", "q8_0", "q4_0"};  // KvCacheType order
  return kTypes;
}

std::optional<KvCacheType> ParseKvCacheType(std::string_view name) {
  const auto& types = KvCacheTypes();
  for (size_t i = 0; i < types.size(); ++i) {
    if (types[i] == name) return static_cast<KvCacheType>(i);
  }
  return std::nullopt;
}

const char* KvCacheTypeName(KvCacheType type) { return KvCacheTypes()[static_cast<size_t>(type)].c_str(); }

}  // namespace scale::engine
