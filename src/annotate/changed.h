// `scale comment --changed`: which routines of a parsed file a git change touched (walk/git_changes.h
// says which lines changed). A changed line belongs to the innermost routine holding it, counting a
// routine's leading comment as its own, so editing one method does not select its whole class.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "annotate/input.h"
#include "languages/language.h"
#include "walk/git_changes.h"

namespace scale::annotate {

// One flag per routine (indexed by Routine::id): some changed line is its own.
std::vector<bool> ChangedRoutines(const languages::ParsedFile& file, const walk::FileChanges& changes);

// Keeps the inputs that changed since `ref` (walk::ChangesSince; "" = its default base), each in
// its own repository (a submodule is its own), and returns their changes by input path. Logs
// what each repository was compared with. Error(kExitUsage) for an input outside git.
std::map<std::string, walk::FileChanges> KeepChanged(const std::string& ref, std::vector<InputFile>* inputs);

}  // namespace scale::annotate
