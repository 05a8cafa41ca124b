// What JavaScript, TypeScript and TSX share (internal to src/languages): the TypeScript grammar is a
// superset of JavaScript's, so one routine finder and one comment classification serve all three.
// javascript.cc and typescript.cc only say which grammar and which extensions.
#pragma once

#include <tree_sitter/api.h>

#include <span>
#include <string_view>

#include "languages/language.h"
#include "languages/spec.h"
#include "languages/ts_util.h"

namespace scale::languages::detail {

// The tools' directive markers of the JavaScript world (ESLint, TypeScript's @ts-* and `/// <reference>`
// lines, Prettier, coverage tools, bundlers' annotations, editors' regions and modelines).
std::span<const Marker> JsFamilyMarkers();

// ClassifyByMarkers with JsFamilyMarkers, plus `@ngInject` anywhere (next-line) and `/*! ... */`
// banners (licence).
CommentRole ClassifyJsFamily(const LanguageSpec& spec, std::string_view raw, const CommentContext& context);

// Every routine of a JavaScript, TypeScript or TSX tree (language.h, "What counts as a routine").
void FindJsFamilyRoutines(TSNode root, const ParsedFile& file, Collector& out);

}  // namespace scale::languages::detail
