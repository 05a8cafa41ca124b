// Golden tests for the C# worker (unit tests, no model): input + comments -> exact output.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <sstream>

#include "languages/language.h"
#include "languages/roundtrip_util.h"
#include "languages/test_util.h"

namespace scale::languages {
namespace {

using testing::Names;
using testing::Patch;
using testing::PairJudge;
using testing::Replaced;


// Runs `command` and returns what it printed (stdout and stderr).
std::string Output(const std::string& command) {
  std::string output;
  FILE* pipe = popen((command + " 2>&1").c_str(), "r");
  if (!pipe) return output;
  char buffer[4096];
  while (size_t n = fread(buffer, 1, sizeof buffer, pipe)) output.append(buffer, n);
  pclose(pipe);
  return output;
}

// The judge: Mono's C# compiler. `mcs --tokenize` prints each file's token count (comments are
// not tokens) and `mcs --parse` its syntax errors; both must be the same for the original and
// the patched files. Each runs once over all the files of a side: --parse also reports
// duplicate definitions across files, the same on both sides, so errors are compared by file and
// code, not position.
std::vector<std::string> PerFile(const std::string& output, const std::vector<std::string>& names, bool tokens) {
  std::vector<std::string> out(names.size());
  size_t k = 0;
  std::istringstream lines(output);
  for (std::string line; std::getline(lines, line);) {
    if (tokens) {
      if (line.rfind("Tokenized:", 0) == 0 && k < out.size()) out[k++] = line;
      continue;
    }
    size_t err = line.find(": error CS");
    if (err == std::string::npos) continue;
    for (size_t i = 0; i < names.size(); ++i) {
      if (line.rfind(names[i] + "(", 0) == 0) out[i] += line.substr(err + 2, 13) + " ";
    }
  }
  return out;
}

void JudgeWithMcs(const PairJudge& judge) {
  std::vector<std::string> originals, patched;
  std::string orig_args, new_args;
  for (const auto& [a, b] : judge.pairs()) {
    originals.push_back(a);
    patched.push_back(b);
    orig_args += " '" + a + "'";
    new_args += " '" + b + "'";
  }
  size_t same = 0;
  std::vector<std::string> t0 = PerFile(Output("mcs --tokenize" + orig_args), originals, true);
  std::vector<std::string> t1 = PerFile(Output("mcs --tokenize" + new_args), patched, true);
  std::vector<std::string> e0 = PerFile(Output("mcs --parse" + orig_args), originals, false);
  std::vector<std::string> e1 = PerFile(Output("mcs --parse" + new_args), patched, false);
  for (size_t i = 0; i < originals.size(); ++i) {
    if (!t0[i].empty() && t0[i] == t1[i] && e0[i] == e1[i]) {
      ++same;
    } else {
      ADD_FAILURE() << originals[i] << ": mcs says '" << t0[i] << "' " << e0[i] << "before, '" << t1[i] << "' " << e1[i]
                    << "after";
    }
  }
  std::printf("[judge] mcs: %zu of %zu patched files have the same tokens and syntax errors\n", same, originals.size());
}

ParsedFile Cs(std::string text) { return Parse(LanguageNamed("csharp"), std::move(text)); }

const char* kSource =
    "// <copyright file=\"Shapes.cs\" company=\"Example\">\n"
    "// Copyright (c) Example. All rights reserved.\n"
    "// </copyright>\n"
    "using System;\n"
    "\n"
    "namespace Example.Geometry\n"
    "{\n"
    "    /// <summary>\n"
    "    /// Old summary.\n"
    "    /// </summary>\n"
    "    [Serializable]\n"
    "    [Obsolete(\"Use Shape2\")]\n"
    "    public abstract class Shape : IComparable<Shape>\n"
    "    {\n"
    "        public Shape(string name) => Name = name;\n"
    "\n"
    "        ~Shape() { }\n"
    "\n"
    "        public string Name { get; private set; }\n"
    "\n"
    "        public double this[int i] { get { return i; } set => throw new NotSupportedException(); }\n"
    "\n"
    "        public event EventHandler Changed;\n"
    "\n"
    "        public event EventHandler Moved { add { } remove { } }\n"
    "\n"
    "        public abstract double Area();\n"
    "\n"
    "        public int CompareTo(Shape other) => Area().CompareTo(other.Area());\n"
    "\n"
    "        public static Shape operator +(Shape a, Shape b) => a;\n"
    "\n"
    "        public static explicit operator double(Shape s) => s.Area();\n"
    "\n"
    "        public struct Point\n"
    "        {\n"
    "            public int X, Y;\n"
    "        }\n"
    "\n"
    "        protected enum Kind { Round, Square }\n"
    "    }\n"
    "\n"
    "    public delegate void Handler(object sender);\n"
    "\n"
    "    public interface IShape\n"
    "    {\n"
    "        double Area();\n"
    "    }\n"
    "\n"
    "    public record Circle(double R);\n"
    "\n"
    "    namespace Inner\n"
    "    {\n"
    "        internal static class Util\n"
    "        {\n"
    "            public static void Run()\n"
    "            {\n"
    "                void Local() { }\n"
    "                Local();\n"
    "            }\n"
    "        }\n"
    "    }\n"
    "}\n";

TEST(CSharp, TypesMembersAndNamespacesQualifyNames) {
  ParsedFile f = Cs(kSource);
  EXPECT_EQ(Names(f),
            (std::vector<std::string>{
                "class Example.Geometry.Shape", "constructor Example.Geometry.Shape.Shape",
                "finalizer Example.Geometry.Shape.~Shape", "property Example.Geometry.Shape.Name",
                "indexer Example.Geometry.Shape.this[]", "event Example.Geometry.Shape.Changed",
                "event Example.Geometry.Shape.Moved", "method Example.Geometry.Shape.Area",
                "method Example.Geometry.Shape.CompareTo", "operator Example.Geometry.Shape.operator+",
                "operator Example.Geometry.Shape.operator double", "struct Example.Geometry.Shape.Point",
                "enum Example.Geometry.Shape.Kind", "delegate Example.Geometry.Handler",
                "interface Example.Geometry.IShape", "method Example.Geometry.IShape.Area",
                "record Example.Geometry.Circle", "class Example.Geometry.Inner.Util",
                "method Example.Geometry.Inner.Util.Run"}));
  const Routine& shape = f.routines[0];
  EXPECT_TRUE(shape.has_comment);
  EXPECT_EQ(shape.existing_comment, "<summary>\nOld summary.\n</summary>");
  EXPECT_EQ(shape.signature, "[Serializable]\n    [Obsolete(\"Use Shape2\")]\n    public abstract class Shape : IComparable<Shape>");
  EXPECT_EQ(f.routines[3].signature, "public string Name { get; private set; }");
  EXPECT_EQ(f.routines[4].signature, "public double this[int i] { get { ... } set => ...; }");
  EXPECT_EQ(f.routines[6].signature, "public event EventHandler Moved { add { ... } remove { ... } }");
  EXPECT_EQ(f.routines[7].signature, "public abstract double Area();");
}

TEST(CSharp, DocLinesGoAboveAttributesAndReplaceOldOnes) {
  ParsedFile f = Cs(kSource);
  std::string out = Patch(f, {{"Example.Geometry.Shape", "<summary>\nA shape.\n</summary>"},
                              {"Example.Geometry.Shape.Name", "<summary>Gets the name.</summary>"},
                              {"Example.Geometry.Shape.CompareTo",
                               "<summary>Compares by area.</summary>\n<param name=\"other\">The other shape.</param>\n"
                               "<returns>The order.</returns>"},
                              {"Example.Geometry.Inner.Util.Run", "<summary>Runs.</summary>"}});
  EXPECT_EQ(out, Replaced(kSource, {{"    /// <summary>\n    /// Old summary.\n    /// </summary>\n",
                                     "    /// <summary>\n    /// A shape.\n    /// </summary>\n"},
                                    {"        public string Name", "        /// <summary>Gets the name.</summary>\n"
                                                                   "        public string Name"},
                                    {"        public int CompareTo",
                                     "        /// <summary>Compares by area.</summary>\n"
                                     "        /// <param name=\"other\">The other shape.</param>\n"
                                     "        /// <returns>The order.</returns>\n        public int CompareTo"},
                                    {"            public static void Run()",
                                     "            /// <summary>Runs.</summary>\n            public static void Run()"}}));
}

// The model writes the XML; the worker writes its text as it is (no escaping of `&` or `<`:
// that would turn the model's own `<see cref="..."/>` tags into text).
TEST(CSharp, TextIsWrittenVerbatimAndTheCopyrightHeaderStays) {
  const char* src =
      "// <copyright file=\"A.cs\">\n"
      "// (c) 2024 Example\n"
      "// </copyright>\n"
      "public class A { }\n";
  ParsedFile f = Cs(src);
  ASSERT_EQ(f.routines.size(), 1u);
  EXPECT_FALSE(f.routines[0].has_comment);
  EXPECT_EQ(Patch(f, {{"A", "<summary>Uses <see cref=\"B\"/> &amp; more.</summary>"}}),
            Replaced(src, {{"public class A", "/// <summary>Uses <see cref=\"B\"/> &amp; more.</summary>\npublic class A"}}));
}

TEST(CSharp, FileScopedNamespaceRegionsPragmasAndDirectives) {
  const char* src =
      "namespace Example.Tools;\n"
      "\n"
      "#pragma warning disable CS1591\n"
      "public class Tool\n"
      "{\n"
      "    #region Helpers\n"
      "    /// <summary>Old.</summary>\n"
      "    // ReSharper disable once UnusedMember.Global\n"
      "    public void Help() { }\n"
      "    #endregion\n"
      "\n"
      "    // ReSharper disable InconsistentNaming\n"
      "    public int count_ { get; set; }\n"
      "    public int A; public int B() => 1;\n"
      "}\n";
  ParsedFile f = Cs(src);
  EXPECT_EQ(Names(f), (std::vector<std::string>{"class Example.Tools.Tool", "method Example.Tools.Tool.Help",
                                                "property Example.Tools.Tool.count_", "method Example.Tools.Tool.B"}));
  EXPECT_EQ(f.routines[1].existing_comment, "<summary>Old.</summary>");
  EXPECT_EQ(f.routines[3].skip_reason, "shares its line with code before it");
  EXPECT_EQ(Patch(f, {{"Example.Tools.Tool", "<summary>A tool.</summary>"},
                      {"Example.Tools.Tool.Help", "<summary>Helps.</summary>"},
                      {"Example.Tools.Tool.count_", "<summary>The count.</summary>"}}),
            Replaced(src, {{"public class Tool", "/// <summary>A tool.</summary>\npublic class Tool"},
                           {"    /// <summary>Old.</summary>\n", "    /// <summary>Helps.</summary>\n"},
                           {"    public int count_", "    /// <summary>The count.</summary>\n    public int count_"}}));
}

TEST(CSharp, CrlfTabsAndBomAreKept) {
  const char* src = "\xEF\xBB\xBF" "class T\r\n{\r\n\t/// Old.\r\n\t[Obsolete]\r\n\tint F() => 1;\r\n}\r\n";
  ParsedFile f = Cs(src);
  EXPECT_EQ(Patch(f, {{"T", "<summary>T.</summary>"}, {"T.F", "<summary>\nOne.\n</summary>\n<returns>1</returns>"}}),
            Replaced(src, {{"class T", "/// <summary>T.</summary>\r\nclass T"},
                           {"\t/// Old.\r\n",
                            "\t/// <summary>\r\n\t/// One.\r\n\t/// </summary>\r\n\t/// <returns>1</returns>\r\n"}}));
}

TEST(CSharp, ConditionalMembersAndADocAmongAttributes) {
  const char* src =
      "class C\n"
      "{\n"
      "#if DEBUG\n"
      "    void Trace() { }\n"
      "#else\n"
      "    void Quiet() { }\n"
      "#endif\n"
      "\n"
      "    [Obsolete]\n"
      "    /// <summary>Misplaced.</summary>\n"
      "    [Pure]\n"
      "    int Late() => 1;\n"
      "    event EventHandler A, B;\n"
      "}\n";
  ParsedFile f = Cs(src);
  EXPECT_EQ(Names(f), (std::vector<std::string>{"class C", "method C.Trace", "method C.Quiet", "method C.Late", "event C.A,B"}));
  EXPECT_EQ(f.routines[3].skip_reason, "a doc comment sits among its attributes and modifiers");
  EXPECT_EQ(f.routines[4].skip_reason, "declares several names at once");
  EXPECT_EQ(Patch(f, {{"C.Trace", "<summary>Traces.</summary>"}, {"C.Quiet", "<summary>Quiet.</summary>"}}),
            Replaced(src, {{"    void Trace", "    /// <summary>Traces.</summary>\n    void Trace"},
                           {"    void Quiet", "    /// <summary>Quiet.</summary>\n    void Quiet"}}));
}

TEST(CSharp, GeneratedFilesAreSkipped) {
  const char* src =
      "//------------------------------------------------------------------------------\n"
      "// <auto-generated>\n"
      "//     This code was generated by a tool.\n"
      "// </auto-generated>\n"
      "//------------------------------------------------------------------------------\n"
      "namespace G\n"
      "{\n"
      "    public partial class Resources { }\n"
      "}\n";
  ParsedFile f = Cs(src);
  ASSERT_EQ(f.routines.size(), 1u);
  EXPECT_EQ(f.routines[0].skip_reason, "the file is generated (<auto-generated>)");
}

std::string CorpusRoot() {
#ifdef SCALE_CSHARP_CORPUS
  return SCALE_CSHARP_CORPUS;
#else
  const char* env = std::getenv("SCALE_CSHARP_CORPUS");  // a local run without the configured corpus
  return env ? env : "";
#endif
}

TEST(CSharp, RoundTripOverRealCode) {
  std::string root = CorpusRoot();
  if (root.empty()) GTEST_SKIP() << "SCALE_CSHARP_CORPUS not configured";
  std::vector<std::pair<std::filesystem::path, Language>> files;
  testing::Gather(root, {".cs"}, LanguageNamed("csharp"), files);
  ASSERT_FALSE(files.empty()) << root;
  bool have_mcs = std::system("command -v mcs >/dev/null 2>&1") == 0;
  PairJudge judge("csharp");
  testing::RunAll("csharp", files, have_mcs ? judge.Collect() : testing::Judge());
  if (!have_mcs) GTEST_SKIP() << "mcs (Debian: mono-mcs) not installed: no independent judge";
  JudgeWithMcs(judge);
}

}  // namespace
}  // namespace scale::languages
