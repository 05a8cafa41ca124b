// libFuzzer target: the javascript worker's parse -> patch -> verify path (see language_fuzz.h).
#include "language_fuzz.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  return scale::fuzz::FuzzLanguage(scale::languages::LanguageNamed("javascript"), data, size);
}
