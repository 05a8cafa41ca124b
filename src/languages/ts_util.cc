#include "languages/ts_util.h"

#include <algorithm>
#include <numeric>

#include "util/error.h"

#include <map>

#include "languages/spec.h"

namespace scale::languages::detail {

const TSLanguage* Grammar(Language language) { return language.spec().grammar(); }

bool IsDocstringLanguage(Language language) { return language.spec().doc.kind == DocSyntax::kDocstring; }

bool IsCommentNode(const CommentSyntax& syntax, TSNode node) {
  if (ts_node_is_null(node)) return false;
  std::string_view type = ts_node_type(node);
  return std::find(syntax.node_types.begin(), syntax.node_types.end(), type) != syntax.node_types.end();
}

namespace {

// tree-sitter calls the progress callback every 100 parse operations. Measured on the round-trip
// corpora, real code needs at most ~2 operations per byte, random bytes and token soup ~1. The
// budget (2M operations + 100 per byte) is 50x that, and depends only on the input, so a file
// is accepted or refused the same way on every machine (a clock would make that load-dependent).
struct Budget {
  uint64_t calls_left;
};

bool OverBudget(TSParseState* state) {
  auto* budget = static_cast<Budget*>(state->payload);
  if (budget->calls_left == 0) return true;
  --budget->calls_left;
  return false;
}

struct ParserDeleter {
  void operator()(TSParser* parser) const { ts_parser_delete(parser); }
};

}  // namespace

TreePtr ParseTree(Language language, std::string_view text, size_t max_bytes) {
  if (text.size() > max_bytes || text.size() > UINT32_MAX) {
    throw Error(kExitInput, std::string(LanguageName(language)) + " input too large to parse: " +
                                std::to_string(text.size()) + " bytes (limit " + std::to_string(max_bytes) + ")");
  }
  thread_local std::map<const TSLanguage*, std::unique_ptr<TSParser, ParserDeleter>> parsers;
  auto& parser = parsers[Grammar(language)];
  if (!parser) {
    parser.reset(ts_parser_new());
    ts_parser_set_language(parser.get(), Grammar(language));
  }
  ts_parser_reset(parser.get());
  Budget budget{20000 + text.size()};
  TSParseOptions options{&budget, &OverBudget};
  struct Input {
    std::string_view text;
  } input{text};
  TSInput ts_input{};
  ts_input.payload = &input;
  ts_input.encoding = TSInputEncodingUTF8;
  ts_input.read = [](void* payload, uint32_t byte, TSPoint, uint32_t* bytes_read) -> const char* {
    auto* in = static_cast<Input*>(payload);
    if (byte >= in->text.size()) {
      *bytes_read = 0;
      return "";
    }
    *bytes_read = static_cast<uint32_t>(in->text.size() - byte);
    return in->text.data() + byte;
  };
  TSTree* tree = ts_parser_parse_with_options(parser.get(), nullptr, ts_input, options);
  if (tree == nullptr) {
    ts_parser_reset(parser.get());
    throw Error(kExitInput, std::string("the ") + LanguageName(language) +
                                " parser gave up on this input (work limit reached; pathological syntax?)");
  }
  return TreePtr(tree);
}

std::vector<TSNode> NamedChildren(TSNode node) {
  std::vector<TSNode> out;
  if (ts_node_is_null(node)) return out;  // an absent field: no children, not a crash
  uint32_t count = ts_node_named_child_count(node);
  out.reserve(count);
  for (uint32_t i = 0; i < count; ++i) out.push_back(ts_node_named_child(node, i));
  return out;
}

std::vector<TSNode> Children(TSNode node) {
  std::vector<TSNode> out;
  if (ts_node_is_null(node)) return out;
  uint32_t count = ts_node_child_count(node);
  out.reserve(count);
  for (uint32_t i = 0; i < count; ++i) out.push_back(ts_node_child(node, i));
  return out;
}

bool HasAnonymousChild(TSNode node, std::string_view type) {
  for (TSNode child : Children(node)) {
    if (!ts_node_is_named(child) && type == ts_node_type(child)) return true;
  }
  return false;
}

namespace {

void FindErrors(TSNode node, std::vector<std::pair<int, int>>& ranges, int& count) {
  if (ts_node_is_error(node) || ts_node_is_missing(node)) {
    ranges.emplace_back(StartLine(node), std::max(StartLine(node), EndLine(node)));
    ++count;
    if (ts_node_is_missing(node)) return;
  }
  if (!ts_node_has_error(node)) return;
  uint32_t n = ts_node_child_count(node);
  for (uint32_t i = 0; i < n; ++i) FindErrors(ts_node_child(node, i), ranges, count);
}

}  // namespace

void CollectErrors(TSNode root, ParsedFile& file) {
  std::vector<std::pair<int, int>> ranges;
  int count = 0;
  FindErrors(root, ranges, count);
  std::sort(ranges.begin(), ranges.end());
  file.error_lines.clear();
  for (auto& r : ranges) {
    if (!file.error_lines.empty() && r.first <= file.error_lines.back().second + 1) {
      file.error_lines.back().second = std::max(file.error_lines.back().second, r.second);
    } else {
      file.error_lines.push_back(r);
    }
  }
  file.error_nodes = count;
  file.has_syntax_errors = count > 0 || ts_node_has_error(root);
}

int Collector::Add(Routine routine, int parent, std::string prefix) {
  items_.push_back(std::move(routine));
  parents_.push_back(parent);
  prefixes_.push_back(std::move(prefix));
  return static_cast<int>(items_.size()) - 1;
}

void Collector::Finish(ParsedFile& file) {
  size_t n = items_.size();
  std::vector<int> level(n, 0);
  for (size_t i = 0; i < n; ++i) {
    for (int p = parents_[i]; p >= 0; p = parents_[static_cast<size_t>(p)]) ++level[i];
  }
  std::vector<int> order(n);
  std::iota(order.begin(), order.end(), 0);
  // Source order; an enclosing routine before one that starts at the same byte.
  std::stable_sort(order.begin(), order.end(), [&](int a, int b) {
    const Routine& ra = items_[static_cast<size_t>(a)];
    const Routine& rb = items_[static_cast<size_t>(b)];
    if (ra.start_byte != rb.start_byte) return ra.start_byte < rb.start_byte;
    return level[static_cast<size_t>(a)] < level[static_cast<size_t>(b)];
  });
  std::vector<int> new_id(n);
  for (size_t i = 0; i < n; ++i) new_id[static_cast<size_t>(order[i])] = static_cast<int>(i);
  file.routines.clear();
  file.routines.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    size_t old = static_cast<size_t>(order[i]);
    Routine r = std::move(items_[old]);
    r.id = static_cast<int>(i);
    r.parent = parents_[old] >= 0 ? new_id[static_cast<size_t>(parents_[old])] : -1;
    r.children.clear();
    std::string qual = r.parent >= 0 ? file.routines[static_cast<size_t>(r.parent)].qualified_name : "";
    if (!prefixes_[old].empty()) qual += (qual.empty() ? "" : ".") + prefixes_[old];
    r.qualified_name = qual.empty() ? r.name : qual + "." + r.name;
    r.depth = r.parent >= 0 ? file.routines[static_cast<size_t>(r.parent)].depth + 1 : 0;
    if (r.parent >= 0) file.routines[static_cast<size_t>(r.parent)].children.push_back(r.id);
    for (auto& e : file.error_lines) {
      if (e.first <= r.end_line && e.second >= r.start_line) r.in_error_region = true;
    }
    file.routines.push_back(std::move(r));
  }
  items_.clear();
  parents_.clear();
  prefixes_.clear();
}

}  // namespace scale::languages::detail
