#include "languages/facts_util.h"

#include <algorithm>
#include <deque>

namespace scale::languages::detail {

bool IsOneOf(TSNode node, NodeTypes types) {
  if (ts_node_is_null(node)) return false;
  std::string_view type = ts_node_type(node);
  return std::find(types.begin(), types.end(), type) != types.end();
}

TSNode RoutineNode(TSNode root, const Routine& routine) {
  return ts_node_descendant_for_byte_range(root, static_cast<uint32_t>(routine.start_byte),
                                           static_cast<uint32_t>(routine.end_byte));
}

TSNode FirstDescendant(TSNode node, NodeTypes types, NodeTypes stop) {
  std::deque<TSNode> queue{node};
  while (!queue.empty()) {
    TSNode n = queue.front();
    queue.pop_front();
    if (ts_node_is_null(n)) continue;
    if (IsOneOf(n, types)) return n;
    if (!ts_node_eq(n, node) && IsOneOf(n, stop)) continue;
    for (uint32_t i = 0; i < ts_node_named_child_count(n); ++i) queue.push_back(ts_node_named_child(n, i));
  }
  return TSNode{};
}

TSNode DeclarationIn(TSNode node, const Routine& routine, NodeTypes types) {
  std::vector<TSNode> queue{node};
  for (size_t i = 0; i < queue.size(); ++i) {
    TSNode n = queue[i];
    bool inside = ts_node_start_byte(n) >= routine.start_byte && ts_node_end_byte(n) <= routine.end_byte;
    if (inside && IsOneOf(n, types)) return n;
    for (TSNode child : NamedChildren(n)) {
      if (ts_node_start_byte(child) < routine.end_byte && ts_node_end_byte(child) > routine.start_byte) queue.push_back(child);
    }
  }
  return TSNode{};
}

std::string WrittenBetween(TSNode node, size_t begin, size_t end, std::string_view text) {
  std::string out;
  size_t last = begin;
  std::vector<TSNode> stack{node};
  while (!stack.empty()) {
    TSNode n = stack.back();
    stack.pop_back();
    if (ts_node_end_byte(n) <= begin || ts_node_start_byte(n) >= end || Is(n, "comment")) continue;
    if (ts_node_child_count(n) > 0) {
      for (uint32_t i = ts_node_child_count(n); i > 0; --i) stack.push_back(ts_node_child(n, i - 1));
      continue;
    }
    if (ts_node_start_byte(n) < begin || ts_node_end_byte(n) > end) continue;
    std::string_view gap = text.substr(last, ts_node_start_byte(n) - last);
    if (!out.empty() && !gap.empty()) out += ' ';
    out += Text(n, text);
    last = ts_node_end_byte(n);
  }
  return out;
}

void AddUnique(std::vector<std::string>& out, std::string_view name) {
  if (name.empty() || std::find(out.begin(), out.end(), name) != out.end()) return;
  out.emplace_back(name);
}

}  // namespace scale::languages::detail
