// libFuzzer target: every registered language's parse -> patch -> verify path (language_fuzz.h).
// The first byte picks the language (its index in the registry, modulo their number); the rest
// is FuzzLanguage's input. The three oldest workers also have targets of their own.
#include "language_fuzz.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const std::vector<scale::languages::Language> all = scale::languages::AllLanguages();
  if (size < 1) return 0;
  return scale::fuzz::FuzzLanguage(all[data[0] % all.size()], data + 1, size - 1);
}
