// Shared plumbing for the per-language fact readers (internal to src/languages; facts.h says what
// the facts are). A reader gets the routine's node and fills RoutineFacts; these helpers find the
// parameter list, walk a body without entering nested routines, and read names.
#pragma once

#include <tree_sitter/api.h>

#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "languages/facts.h"
#include "languages/language.h"
#include "languages/ts_util.h"

namespace scale::languages::detail {

// A list of node types. Declare tables of them `const`, not `constexpr`: GCC 12 rejects a
// constexpr initializer_list at namespace scope.
using NodeTypes = std::initializer_list<std::string_view>;

bool IsOneOf(TSNode node, NodeTypes types);

// The node a routine was collected from: the smallest node spanning [start_byte, end_byte) of the
// routine (for a decorated Python def the decorated_definition, for `export function` the export
// statement); readers descend from it with FirstDescendant.
TSNode RoutineNode(TSNode root, const Routine& routine);

// The outermost node of one of `types` lying inside the routine's bytes, under `node`, breadth
// first; only nodes that overlap the routine are entered. For when `node` is larger than the
// routine (a masked C macro before a definition widens it; a K&R definition returning a pointer is
// a declaration followed by a block). Null when none.
TSNode DeclarationIn(TSNode node, const Routine& routine, NodeTypes types);

// The code of `node` between bytes `begin` and `end` as written, token by token with single spaces
// where the source has any gap, leaving out comments and whatever is in no token (a C macro the
// worker masked: `void ZEXPORT` reads "void"). For declared return types.
std::string WrittenBetween(TSNode node, size_t begin, size_t end, std::string_view text);

// The first node of one of `types` under `node` (itself included), breadth first, not descending
// into nodes of the `stop` types (nested routines, bodies). Null when none.
TSNode FirstDescendant(TSNode node, NodeTypes types, NodeTypes stop = {});

// Calls visit(node) for every node under `body` (not `body` itself), depth first in source order,
// without entering nodes of the `nested` types (a nested function's return is not this routine's).
// Iterative: generated code nests deeply.
template <typename Visit>
void VisitOwnBody(TSNode body, NodeTypes nested, Visit&& visit) {
  if (ts_node_is_null(body)) return;
  std::vector<TSNode> stack;
  for (uint32_t i = ts_node_child_count(body); i > 0; --i) stack.push_back(ts_node_child(body, i - 1));
  while (!stack.empty()) {
    TSNode node = stack.back();
    stack.pop_back();
    visit(node);
    if (IsOneOf(node, nested)) continue;
    for (uint32_t i = ts_node_child_count(node); i > 0; --i) stack.push_back(ts_node_child(node, i - 1));
  }
}

// Appends `name` to `out` unless it is already there (raised exception lists stay unique, in order).
void AddUnique(std::vector<std::string>& out, std::string_view name);

}  // namespace scale::languages::detail
