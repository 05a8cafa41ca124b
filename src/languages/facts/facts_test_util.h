// What the fact readers' golden tests share (tests only): a routine by qualified name, and every
// field of its facts on one line, so that a golden string catches any change.
//   "(a, b?, *args, opts{x,y}, **kw) incomplete recv=self tparam=T returns=yes gen=no raises=?
//    raised=ValueError result=no async ctor type=int"
// Kinds: * variadic, ** keywords, & block; ? optional; {..} names a pattern binds; ? for unknown.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "languages/language.h"

namespace scale::languages::facts_test {

inline const Routine& Named(const ParsedFile& file, std::string_view qualified_name) {
  for (const Routine& r : file.routines) {
    if (r.qualified_name == qualified_name) return r;
  }
  ADD_FAILURE() << "no routine named " << qualified_name;
  static const Routine none;
  return none;
}

inline const char* KnownText(Known k) { return k == Known::kYes ? "yes" : k == Known::kNo ? "no" : "?"; }

inline std::string Describe(const RoutineFacts& f) {
  std::string out;
  if (f.has_parameters) {
    out += "(";
    for (size_t i = 0; i < f.parameters.size(); ++i) {
      const Parameter& p = f.parameters[i];
      if (i > 0) out += ", ";
      out += p.kind == Parameter::kVariadic ? "*" : p.kind == Parameter::kKeywords ? "**" : p.kind == Parameter::kBlock ? "&" : "";
      out += p.name;
      if (!p.members.empty()) {
        out += "{";
        for (size_t m = 0; m < p.members.size(); ++m) out += (m ? "," : "") + p.members[m];
        out += "}";
      }
      if (p.optional) out += "?";
    }
    out += ")";
  } else {
    out += "no-params";
  }
  if (!f.parameters_complete) out += " incomplete";
  for (const std::string& r : f.receivers) out += " recv=" + r;
  for (const std::string& t : f.type_parameters) out += " tparam=" + t;
  out += std::string(" returns=") + KnownText(f.returns_value);
  out += std::string(" gen=") + KnownText(f.generator);
  out += std::string(" raises=") + KnownText(f.raises);
  for (const std::string& r : f.raised) out += " raised=" + r;
  if (f.returns_result != Known::kUnknown) out += std::string(" result=") + KnownText(f.returns_result);
  if (f.async) out += " async";
  if (f.constructor) out += " ctor";
  if (!f.return_type.empty()) out += " type=" + f.return_type;
  return out;
}

// The facts line of the routine named `qualified_name` in `file`.
inline std::string Facts(const ParsedFile& file, std::string_view qualified_name) {
  return Describe(Named(file, qualified_name).facts);
}

}  // namespace scale::languages::facts_test
