// A file's own documentation style (internal to src/languages): learned from the doc comments it
// already has, so that new ones look as if its authors wrote them (language.h, DocStyle).
#pragma once

#include "languages/language.h"

namespace scale::languages::detail {

struct LanguageSpec;

// The language's convention (its DocSyntax), origin "language".
DocStyle ConventionStyle(const LanguageSpec& spec);

// The style of `file`'s existing doc comments (its routines' has_comment docs), by majority, ties
// to the earliest; the convention where the file has none or none that can be written back safely.
// Deterministic: depends only on the text. Comments scale writes in the learned style teach the
// same style again; replacing a file's docs takes away what was learned from them.
DocStyle LearnDocStyle(const ParsedFile& file);

}  // namespace scale::languages::detail
