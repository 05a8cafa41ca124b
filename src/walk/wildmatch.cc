#include "walk/wildmatch.h"

#include <string>

namespace scale::walk {
namespace {

// git's ctype (git-compat-util.h): ASCII only, whatever the locale.
bool IsUpper(unsigned c) { return c >= 'A' && c <= 'Z'; }
bool IsLower(unsigned c) { return c >= 'a' && c <= 'z'; }
bool IsDigit(unsigned c) { return c >= '0' && c <= '9'; }
bool IsAlpha(unsigned c) { return IsUpper(c) || IsLower(c); }
unsigned char Lower(unsigned c) { return static_cast<unsigned char>(IsUpper(c) ? c + 32 : c); }
unsigned char Upper(unsigned c) { return static_cast<unsigned char>(IsLower(c) ? c - 32 : c); }

// A [:name:] class; false when the name is unknown (git: the whole pattern is then malformed).
bool NamedClass(std::string_view name, unsigned t, bool fold, bool* known) {
  *known = true;
  if (name == "alnum") return IsAlpha(t) || IsDigit(t);
  if (name == "alpha") return IsAlpha(t);
  if (name == "blank") return t == ' ' || t == '\t';
  if (name == "cntrl") return t < 0x20 || t == 0x7f;
  if (name == "digit") return IsDigit(t);
  if (name == "graph") return t >= 0x21 && t <= 0x7e;
  if (name == "lower") return IsLower(t);
  if (name == "print") return t >= 0x20 && t <= 0x7e;
  if (name == "punct") return t >= 0x21 && t <= 0x7e && !IsAlpha(t) && !IsDigit(t);
  if (name == "space") return t == ' ' || t == '\t' || t == '\n' || t == '\r';
  if (name == "upper") return IsUpper(t) || (fold && IsLower(t));
  if (name == "xdigit") return IsDigit(t) || (t >= 'a' && t <= 'f') || (t >= 'A' && t <= 'F');
  *known = false;
  return false;
}

}  // namespace

// Parses the bracket expression at p[*i] == '[' exactly as git's dowild() walks it (the walk does
// not depend on the text byte, so it can be done once) and records, for every possible text byte,
// whether the class matches it. On return *i is just past the closing ']'.
void WildPattern::CompileClass(std::string_view p, size_t* i) {
  struct Member {
    enum Kind { kByte, kRange, kNamed } kind;
    unsigned char lo = 0, hi = 0;
    std::string_view name;
  };
  std::vector<Member> members;
  const size_t n = p.size();
  size_t j = *i + 1;
  auto at = [&](size_t k) -> unsigned char { return k < n ? static_cast<unsigned char>(p[k]) : 0; };
  bool negated = at(j) == '!' || at(j) == '^';
  if (negated) ++j;
  unsigned char prev = 0;
  while (true) {
    unsigned char c = at(j);
    if (c == 0) {
      never_ = true;  // unterminated
      return;
    }
    if (c == '\\') {
      c = at(++j);
      if (c == 0) {
        never_ = true;
        return;
      }
      members.push_back({Member::kByte, c, c, {}});
    } else if (c == '-' && prev != 0 && at(j + 1) != 0 && at(j + 1) != ']') {
      unsigned char hi = at(++j);
      if (hi == '\\') {
        hi = at(++j);
        if (hi == 0) {
          never_ = true;
          return;
        }
      }
      members.push_back({Member::kRange, prev, hi, {}});
      c = 0;  // a range cannot start another range
    } else if (c == '[' && at(j + 1) == ':') {
      size_t s = j + 2, k = s;
      while (k < n && p[k] != ']') ++k;
      if (k >= n) {
        never_ = true;
        return;
      }
      if (k == s || p[k - 1] != ':') {
        members.push_back({Member::kByte, '[', '[', {}});  // no ":]": a plain '['
      } else {
        std::string_view name = p.substr(s, k - s - 1);
        bool known = false;
        NamedClass(name, 'a', false, &known);
        if (!known) {
          never_ = true;
          return;
        }
        members.push_back({Member::kNamed, 0, 0, name});
        j = k;
        c = 0;
      }
    } else {
      members.push_back({Member::kByte, c, c, {}});
    }
    prev = c;
    if (at(++j) == ']') break;
  }
  *i = j + 1;
  const bool fold = flags_ & kWildCaseFold;
  std::array<bool, 256> table{};
  for (unsigned raw = 0; raw < 256; ++raw) {
    const unsigned t = fold ? Lower(raw) : raw;  // git folds the text byte, not the class's bytes
    bool matched = false;
    for (const Member& m : members) {
      switch (m.kind) {
        case Member::kByte: matched |= t == m.lo; break;
        case Member::kRange:
          matched |= (t >= m.lo && t <= m.hi) || (fold && IsLower(t) && Upper(t) >= m.lo && Upper(t) <= m.hi);
          break;
        case Member::kNamed: {
          bool known = false;
          matched |= NamedClass(m.name, t, fold, &known);
          break;
        }
      }
    }
    table[raw] = matched != negated && !((flags_ & kWildPathname) && raw == '/');
  }
  tokens_.push_back({Op::kClass, 0, static_cast<uint32_t>(classes_.size())});
  classes_.push_back(table);
}

WildPattern::WildPattern(std::string_view pattern, unsigned flags) : flags_(flags) {
  // git's patterns are C strings: a NUL ends them.
  pattern = pattern.substr(0, pattern.find('\0'));
  const std::string_view p = pattern;
  const size_t n = p.size();
  const bool pathname = flags & kWildPathname;
  const bool fold = flags & kWildCaseFold;
  size_t i = 0;
  while (i < n && !never_) {
    const unsigned char c = static_cast<unsigned char>(p[i]);
    if (c == '\\') {
      if (i + 1 >= n) {
        never_ = true;  // a trailing backslash matches nothing
        break;
      }
      // git compares the escaped byte unfolded (so "\A" never matches under case folding).
      tokens_.push_back({Op::kLiteral, static_cast<unsigned char>(p[i + 1])});
      i += 2;
    } else if (c == '?') {
      tokens_.push_back({Op::kOne});
      ++i;
    } else if (c == '*') {
      size_t j = i + 1;
      if (j < n && p[j] == '*') {
        while (j < n && p[j] == '*') ++j;
        const bool after_boundary = i == 0 || p[i - 1] == '/';
        if (!pathname) {
          tokens_.push_back({Op::kStarAny});
        } else if (after_boundary && j < n && p[j] == '/') {
          tokens_.push_back({Op::kDirs});
          ++j;  // the slash belongs to "**/"
        } else if (after_boundary && (j == n || (p[j] == '\\' && j + 1 < n && p[j + 1] == '/'))) {
          tokens_.push_back({Op::kStarAny});
        } else {
          tokens_.push_back({Op::kStar});  // "**" inside a name is just '*'
        }
      } else {
        tokens_.push_back({pathname ? Op::kStar : Op::kStarAny});
      }
      i = j;
    } else if (c == '[') {
      CompileClass(p, &i);
    } else {
      tokens_.push_back({Op::kLiteral, fold ? Lower(c) : c});
      ++i;
    }
  }
}

// reach[i]: the tokens so far can match text[0, i). One pass per token.
bool WildPattern::Match(std::string_view text) const {
  if (never_) return false;
  text = text.substr(0, text.find('\0'));
  const size_t n = text.size();
  const bool pathname = flags_ & kWildPathname;
  const bool fold = flags_ & kWildCaseFold;
  // Reused between calls: a walk matches every path against every rule.
  thread_local std::vector<char> reach, next;
  reach.assign(n + 1, 0);
  next.assign(n + 1, 0);
  reach[0] = 1;
  auto byte = [&](size_t i) { return static_cast<unsigned char>(text[i]); };
  for (const Token& t : tokens_) {
    bool any = false;
    switch (t.op) {
      case Op::kLiteral:
      case Op::kOne:
      case Op::kClass:
        next[0] = 0;
        for (size_t i = 0; i < n; ++i) {
          bool ok = false;
          if (reach[i]) {
            const unsigned char b = byte(i);
            if (t.op == Op::kLiteral) ok = (fold ? Lower(b) : b) == t.byte;
            else if (t.op == Op::kOne) ok = !(pathname && b == '/');
            else ok = classes_[t.index][b];
          }
          next[i + 1] = ok;
          any |= ok;
        }
        break;
      case Op::kStar:
      case Op::kStarAny:
        next[0] = reach[0];
        any = reach[0];
        for (size_t i = 1; i <= n; ++i) {
          next[i] = reach[i] || (next[i - 1] && (t.op == Op::kStarAny || byte(i - 1) != '/'));
          any |= next[i];
        }
        break;
      case Op::kDirs: {
        bool seen = false;  // some reach[k] with k < i
        next[0] = reach[0];
        any = reach[0];
        for (size_t i = 1; i <= n; ++i) {
          seen |= reach[i - 1] != 0;
          next[i] = reach[i] || (seen && byte(i - 1) == '/');
          any |= next[i];
        }
        break;
      }
    }
    if (!any) return false;
    reach.swap(next);
  }
  return reach[n];
}

bool WildMatch(std::string_view pattern, std::string_view text, unsigned flags) {
  return WildPattern(pattern, flags).Match(text);
}

bool GlobMatch(std::string_view pattern, std::string_view path) { return WildMatch(pattern, path, kWildPathname); }

}  // namespace scale::walk
