#include "util/diff.h"

#include <algorithm>
#include <vector>

#include "util/text.h"

namespace scale {
namespace {

struct Line {
  std::string_view text;  // without the '\n'
  bool newline = true;    // false only for a last line with no '\n'
  bool operator==(const Line& o) const { return text == o.text && newline == o.newline; }
};

// Bytes are kept (CRLF included) so that a change of line ending shows as a change.
std::vector<Line> DiffLines(std::string_view text) {
  std::vector<Line> lines;
  for (std::string_view line : SplitLineViews(text, Cr::kKeep)) lines.push_back({line, true});
  if (!lines.empty() && text.back() != '\n') lines.back().newline = false;
  return lines;
}

enum class Op { kEqual, kDelete, kInsert };

// Myers' O(ND) shortest edit script over a[a0,a1) and b[b0,b1), appended to `ops`. Above
// `max_d` edits (very different texts) it gives up on minimality and emits delete-all + insert-all,
// which keeps memory bounded (the trace is O(D^2)) and is still a correct diff.
void Myers(const std::vector<Line>& a, size_t a0, size_t a1, const std::vector<Line>& b, size_t b0, size_t b1,
           std::vector<Op>& ops) {
  const long n = static_cast<long>(a1 - a0), m = static_cast<long>(b1 - b0);
  const long max_d = std::min<long>(n + m, 2000);
  std::vector<std::vector<long>> trace;  // trace[d][k + d] = furthest x on diagonal k after d edits
  std::vector<long> v(2 * (n + m) + 3, 0);
  const long off = n + m + 1;
  long found_d = -1;
  for (long d = 0; d <= max_d && found_d < 0; ++d) {
    for (long k = -d; k <= d; k += 2) {
      long x = (k == -d || (k != d && v[off + k - 1] < v[off + k + 1])) ? v[off + k + 1] : v[off + k - 1] + 1;
      long y = x - k;
      while (x < n && y < m && a[a0 + x] == b[b0 + y]) ++x, ++y;
      v[off + k] = x;
      if (x >= n && y >= m) found_d = d;
    }
    trace.emplace_back(v.begin() + off - d, v.begin() + off + d + 1);
  }
  if (found_d < 0) {
    ops.insert(ops.end(), n, Op::kDelete);
    ops.insert(ops.end(), m, Op::kInsert);
    return;
  }
  std::vector<Op> rev;
  long x = n, y = m;
  for (long d = found_d; d > 0; --d) {
    const std::vector<long>& prev = trace[d - 1];  // window [-(d-1), d-1]
    long k = x - y;
    auto at = [&](long kk) { return prev[kk + d - 1]; };
    long prev_k = (k == -d || (k != d && at(k - 1) < at(k + 1))) ? k + 1 : k - 1;
    long prev_x = at(prev_k), prev_y = prev_x - prev_k;
    while (x > prev_x && y > prev_y) rev.push_back(Op::kEqual), --x, --y;
    rev.push_back(x == prev_x ? Op::kInsert : Op::kDelete);
    x = prev_x, y = prev_y;
  }
  while (x > 0 && y > 0) rev.push_back(Op::kEqual), --x, --y;
  ops.insert(ops.end(), rev.rbegin(), rev.rend());
}

void AppendLine(std::string& out, char sign, const Line& line) {
  out += sign;
  out.append(line.text);
  out += '\n';
  if (!line.newline) out += "\\ No newline at end of file\n";
}

std::string Range(size_t start, size_t count) {
  // diff -u: "start,count", ",1" omitted, and an empty range names the line before it.
  if (count == 1) return std::to_string(start);
  return std::to_string(count == 0 ? start - 1 : start) + "," + std::to_string(count);
}

}  // namespace

std::string UnifiedDiff(std::string_view old_text, std::string_view new_text, const std::string& old_label,
                        const std::string& new_label, int context) {
  if (old_text == new_text) return "";
  std::vector<Line> a = DiffLines(old_text), b = DiffLines(new_text);
  // The common head and tail never change; trimming them keeps Myers' work to the edited middle.
  size_t head = 0;
  while (head < a.size() && head < b.size() && a[head] == b[head]) ++head;
  size_t tail = 0;
  while (tail < a.size() - head && tail < b.size() - head && a[a.size() - 1 - tail] == b[b.size() - 1 - tail]) ++tail;
  std::vector<Op> ops(head, Op::kEqual);
  Myers(a, head, a.size() - tail, b, head, b.size() - tail, ops);
  ops.insert(ops.end(), tail, Op::kEqual);

  // Positions (in a and b) before each op, to cut hunks.
  std::vector<size_t> pa(ops.size() + 1), pb(ops.size() + 1);
  for (size_t i = 0; i < ops.size(); ++i) {
    pa[i + 1] = pa[i] + (ops[i] != Op::kInsert);
    pb[i + 1] = pb[i] + (ops[i] != Op::kDelete);
  }
  std::string out = "--- " + old_label + "\n+++ " + new_label + "\n";
  const size_t ctx = static_cast<size_t>(std::max(context, 0));
  size_t i = 0;
  while (i < ops.size()) {
    if (ops[i] == Op::kEqual) {
      ++i;
      continue;
    }
    // A hunk: from `ctx` lines before this change to `ctx` lines after the last change that is
    // within 2*ctx equal lines of the previous one (diff -u merges such hunks).
    size_t begin = i >= ctx ? i - ctx : 0;
    size_t end = i;
    while (true) {
      while (end < ops.size() && ops[end] != Op::kEqual) ++end;
      size_t next = end;
      while (next < ops.size() && ops[next] == Op::kEqual) ++next;
      if (next < ops.size() && next - end <= 2 * ctx) {
        end = next;
        continue;
      }
      end = std::min(ops.size(), end + ctx);
      break;
    }
    size_t old_count = pa[end] - pa[begin], new_count = pb[end] - pb[begin];
    out += "@@ -" + Range(pa[begin] + 1, old_count) + " +" + Range(pb[begin] + 1, new_count) + " @@\n";
    for (size_t j = begin; j < end; ++j) {
      if (ops[j] == Op::kEqual) AppendLine(out, ' ', a[pa[j]]);
      else if (ops[j] == Op::kDelete) AppendLine(out, '-', a[pa[j]]);
      else AppendLine(out, '+', b[pb[j]]);
    }
    i = end;
  }
  return out;
}

}  // namespace scale
