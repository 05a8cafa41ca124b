// Golden tests for the Java worker (unit tests, no model): input + comments -> exact output.
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


ParsedFile J(std::string text) { return Parse(LanguageNamed("java"), std::move(text)); }

const char* kSource =
    "/*\n"
    " * Licensed to the Apache Software Foundation (ASF) under one\n"
    " */\n"
    "package org.example;\n"
    "\n"
    "import java.util.List;\n"
    "\n"
    "/**\n"
    " * Old class doc.\n"
    " */\n"
    "@SuppressWarnings(\"unchecked\")\n"
    "public final class Outer<T> extends Base implements Runnable {\n"
    "    private int count;\n"
    "\n"
    "    public Outer(int count) {\n"
    "        this.count = count;\n"
    "    }\n"
    "\n"
    "    // Runs it.\n"
    "    @Override\n"
    "    public void run() {\n"
    "        Runnable r = new Runnable() {\n"
    "            public void run() {}\n"
    "        };\n"
    "    }\n"
    "\n"
    "    static <E> List<E> copy(List<E> in) throws java.io.IOException {\n"
    "        return in;\n"
    "    }\n"
    "\n"
    "    abstract static class Inner {\n"
    "        abstract int size();\n"
    "    }\n"
    "\n"
    "    interface Shape {\n"
    "        double area();\n"
    "        default String label() { return \"shape\"; }\n"
    "    }\n"
    "\n"
    "    record Point(int x, int y) {\n"
    "        Point {\n"
    "            if (x < 0) throw new IllegalArgumentException();\n"
    "        }\n"
    "    }\n"
    "\n"
    "    enum Color {\n"
    "        RED { int code() { return 1; } },\n"
    "        GREEN;\n"
    "\n"
    "        int code() { return 0; }\n"
    "    }\n"
    "\n"
    "    @interface Tag {\n"
    "        String value() default \"\";\n"
    "    }\n"
    "}\n";

TEST(Java, TypesAndMembersNestAndAnonymousClassesAreLeftOut) {
  ParsedFile f = J(kSource);
  EXPECT_EQ(Names(f), (std::vector<std::string>{
                          "class Outer", "constructor Outer.Outer", "method Outer.run", "method Outer.copy",
                          "class Outer.Inner", "method Outer.Inner.size", "interface Outer.Shape",
                          "method Outer.Shape.area", "method Outer.Shape.label", "record Outer.Point",
                          "constructor Outer.Point.Point", "enum Outer.Color", "method Outer.Color.code",
                          "annotation Outer.Tag", "method Outer.Tag.value"}));
  const Routine& outer = f.routines[0];
  EXPECT_TRUE(outer.has_comment);
  EXPECT_EQ(outer.existing_comment, "Old class doc.");
  EXPECT_EQ(outer.signature, "@SuppressWarnings(\"unchecked\")\npublic final class Outer<T> extends Base implements Runnable");
  EXPECT_EQ(f.routines[2].existing_comment, "Runs it.");
  EXPECT_EQ(f.routines[3].signature, "static <E> List<E> copy(List<E> in) throws java.io.IOException");
  EXPECT_EQ(f.routines[5].signature, "abstract int size();");
}

TEST(Java, JavadocGoesAboveAnnotationsAndReplacesOldComments) {
  ParsedFile f = J(kSource);
  std::string out = Patch(f, {{"Outer", "The outer class.\n\n@param <T> the element type"},
                              {"Outer.run", "Runs the thing."},
                              {"Outer.copy", "Copies.\n\n@param in the list\n@return a copy\n@throws java.io.IOException never"},
                              {"Outer.Point.Point", "Checks the coordinates."},
                              {"Outer.Tag.value", "The tag's value."}});
  EXPECT_EQ(out, Replaced(kSource, {{"/**\n * Old class doc.\n */\n",
                                     "/**\n * The outer class.\n *\n * @param <T> the element type\n */\n"},
                                    {"    // Runs it.\n", "    /**\n     * Runs the thing.\n     */\n"},
                                    {"    static <E>", "    /**\n     * Copies.\n     *\n     * @param in the list\n"
                                                     "     * @return a copy\n     * @throws java.io.IOException never\n"
                                                     "     */\n    static <E>"},
                                    {"        Point {", "        /**\n         * Checks the coordinates.\n         */\n"
                                                      "        Point {"},
                                    {"        String value()", "        /**\n         * The tag's value.\n         */\n"
                                                             "        String value()"}}));
}

TEST(Java, LicenceHeaderStaysAndDirectivesAreKept) {
  const char* src =
      "/* Copyright 2020 Example Corp. */\n"
      "class A {\n"
      "    //CHECKSTYLE:OFF\n"
      "    void off() {}\n"
      "    //CHECKSTYLE:ON\n"
      "\n"
      "    /** Old. */\n"
      "    //noinspection unchecked\n"
      "    void raw() {}\n"
      "\n"
      "    // @formatter:off\n"
      "    void fmt() {}\n"
      "    // NOSONAR\n"
      "    void sonar() {}\n"
      "}\n";
  ParsedFile f = J(src);
  ASSERT_EQ(f.routines.size(), 5u);
  EXPECT_FALSE(f.routines[0].has_comment);  // the copyright is the file's
  EXPECT_FALSE(f.routines[1].has_comment);
  EXPECT_TRUE(f.routines[2].has_comment);   // above its next-line directive
  EXPECT_EQ(f.routines[2].existing_comment, "Old.");
  EXPECT_FALSE(f.routines[3].has_comment);
  EXPECT_EQ(Patch(f, {{"A", "A."}, {"A.off", "Off."}, {"A.raw", "Raw."}, {"A.fmt", "Fmt."}, {"A.sonar", "Sonar."}}),
            Replaced(src, {{"class A {", "/**\n * A.\n */\nclass A {"},
                           {"    void off", "    /**\n     * Off.\n     */\n    void off"},
                           {"    /** Old. */\n", "    /**\n     * Raw.\n     */\n"},
                           {"    void fmt", "    /**\n     * Fmt.\n     */\n    void fmt"},
                           {"    // NOSONAR\n", "    /**\n     * Sonar.\n     */\n    // NOSONAR\n"}}));
}

TEST(Java, CrlfTabsAndBomAreKept) {
  const char* src = "\xEF\xBB\xBF" "class T {\r\n\t/** x */\r\n\t@Deprecated\r\n\tint f() {\r\n\t\treturn 1;\r\n\t}\r\n}\r\n";
  ParsedFile f = J(src);
  EXPECT_EQ(f.eol, "\r\n");
  EXPECT_EQ(Patch(f, {{"T", "Tabs."}, {"T.f", "Returns one.\n\n@return 1"}}),
            Replaced(src, {{"class T", "/**\r\n * Tabs.\r\n */\r\nclass T"},
                           {"\t/** x */\r\n", "\t/**\r\n\t * Returns one.\r\n\t *\r\n\t * @return 1\r\n\t */\r\n"}}));
}

TEST(Java, SkipsADocAmongAnnotationsAndDeclarationsSharingALine) {
  const char* src =
      "class S {\n"
      "    @Deprecated\n"
      "    /** Misplaced. */\n"
      "    public void late() {}\n"
      "    int a; void same() {}\n"
      "    void esc() {}\n"
      "}\n";
  ParsedFile f = J(src);
  ASSERT_EQ(f.routines.size(), 4u);
  EXPECT_EQ(f.routines[1].skip_reason, "a /** comment sits among its annotations and modifiers");
  EXPECT_EQ(f.routines[2].skip_reason, "shares its line with code before it");
  EXPECT_EQ(Patch(f, {{"S.esc", "Ends */ early."}}),
            Replaced(src, {{"    void esc", "    /**\n     * Ends *\\/ early.\n     */\n    void esc"}}));
}

// The judge: javac's own scanner (com.sun.tools.javac.parser, the tokenizer the compiler uses)
// must give the same token stream for the original and the patched file (comments are not
// tokens). One JVM checks every pair at the end, so each file costs no JVM start.
const char* kTokensJava = R"(import com.sun.tools.javac.parser.ScannerFactory;
import com.sun.tools.javac.parser.Scanner;
import com.sun.tools.javac.parser.Tokens.Token;
import com.sun.tools.javac.parser.Tokens.TokenKind;
import com.sun.tools.javac.util.Context;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

public class JavacTokens {
  static List<String> tokens(String src) {
    Context ctx = new Context();
    com.sun.tools.javac.file.JavacFileManager.preRegister(ctx);
    Scanner s = ScannerFactory.instance(ctx).newScanner(src, false);
    List<String> out = new ArrayList<>();
    for (s.nextToken(); s.token().kind != TokenKind.EOF; s.nextToken()) {
      Token t = s.token();
      out.add(t.kind + " " + src.substring(t.pos, t.endPos));
    }
    return out;
  }
  public static void main(String[] args) throws Exception {
    for (String line : Files.readAllLines(Paths.get(args[0]))) {
      String[] p = line.split("\t");
      String a = new String(Files.readAllBytes(Paths.get(p[0])), StandardCharsets.UTF_8);
      String b = new String(Files.readAllBytes(Paths.get(p[1])), StandardCharsets.UTF_8);
      System.out.println((tokens(a).equals(tokens(b)) ? "same " : "DIFFERENT ") + p[2]);
    }
  }
}
)";

std::string CorpusRoot() {
#ifdef SCALE_JAVA_CORPUS
  return SCALE_JAVA_CORPUS;
#else
  const char* env = std::getenv("SCALE_JAVA_CORPUS");  // a local run without the configured corpus
  return env ? env : "";
#endif
}

TEST(Java, RoundTripOverRealCode) {
  std::string root = CorpusRoot();
  if (root.empty()) GTEST_SKIP() << "SCALE_JAVA_CORPUS not configured";
  std::vector<std::pair<std::filesystem::path, Language>> files;
  testing::Gather(root, {".java"}, LanguageNamed("java"), files);
  ASSERT_FALSE(files.empty()) << root;
  bool have_javac = std::system("command -v javac >/dev/null 2>&1") == 0;
  PairJudge pairs("java");
  testing::RunAll("java", files, have_javac ? pairs.Collect() : testing::Judge());
  if (!have_javac) GTEST_SKIP() << "javac not installed: no independent judge";
  std::string exports = " --add-exports jdk.compiler/com.sun.tools.javac.parser=ALL-UNNAMED"
                        " --add-exports jdk.compiler/com.sun.tools.javac.util=ALL-UNNAMED"
                        " --add-exports jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED";
  std::ofstream(pairs.dir() / "JavacTokens.java") << kTokensJava;
  std::string dir = pairs.dir().string();
  ASSERT_EQ(std::system(("javac" + exports + " -d '" + dir + "' '" + dir + "/JavacTokens.java'").c_str()), 0);
  pairs.Check("java" + exports + " -cp '" + dir + "' JavacTokens");
}

}  // namespace
}  // namespace scale::languages
