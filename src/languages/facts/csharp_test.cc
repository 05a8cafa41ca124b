// Golden facts of C# members (facts/csharp.cc): parameters (`params`, defaults), generics, declared
// results (async Task / Task<T>), throw statements and expressions in the member's own code.
#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

#include "languages/facts/facts_test_util.h"
#include "languages/language.h"

namespace scale::languages {
namespace {

using facts_test::Named;

ParsedFile Cs(std::string text) { return Parse(LanguageNamed("csharp"), std::move(text)); }

// "name", "name=" (optional), "*name" (params array).
std::vector<std::string> Params(const RoutineFacts& f) {
  std::vector<std::string> out;
  for (const Parameter& p : f.parameters) {
    out.push_back((p.kind == Parameter::kVariadic ? "*" : "") + p.name + (p.optional ? "=" : ""));
  }
  return out;
}

using V = std::vector<std::string>;

const char* kRepo =
    "namespace Shop.Data;\n"
    "\n"
    "public class Repo<T> : Base where T : class\n"
    "{\n"
    "    private string _name;\n"
    "\n"
    "    public Repo(string name) : base(name)\n"
    "    {\n"
    "        _name = name ?? throw new ArgumentNullException(nameof(name));\n"
    "    }\n"
    "\n"
    "    ~Repo() { }\n"
    "\n"
    "    public async Task SaveAsync(T item, CancellationToken ct = default)\n"
    "    {\n"
    "        await Task.Delay(1, ct);\n"
    "    }\n"
    "\n"
    "    public async Task<int> CountAsync() => await Task.FromResult(1);\n"
    "\n"
    "    public ValueTask<T> GetAsync(int id) => throw new NotImplementedException();\n"
    "\n"
    "    public static int Sum(int first, params int[] rest)\n"
    "    {\n"
    "        int Local(int a) { throw new InvalidOperationException(); }\n"
    "        Func<int, int> f = x => throw new ArgumentException();\n"
    "        return first;\n"
    "    }\n"
    "\n"
    "    public void Log<TArg>(string format, [Optional] TArg arg) { Console.WriteLine(format); }\n"
    "\n"
    "    public IEnumerable<T> Items() { yield return default; }\n"
    "\n"
    "    public void Fail() { try { Run(); } catch (IOException) { throw; } }\n"
    "\n"
    "    public static Repo<T> operator +(Repo<T> a, Repo<T> b) => a;\n"
    "}\n";

TEST(CSharpFacts, ConstructorAndFinalizer) {
  ParsedFile f = Cs(kRepo);
  const RoutineFacts& ctor = Named(f, "Shop.Data.Repo.Repo").facts;
  EXPECT_TRUE(ctor.has_parameters);
  EXPECT_TRUE(ctor.constructor);
  EXPECT_EQ(Params(ctor), (V{"name"}));
  EXPECT_EQ(ctor.returns_value, Known::kNo);
  EXPECT_EQ(ctor.raises, Known::kYes);
  EXPECT_EQ(ctor.raised, (V{"ArgumentNullException"}));
  const RoutineFacts& fin = Named(f, "Shop.Data.Repo.~Repo").facts;
  EXPECT_TRUE(fin.has_parameters);
  EXPECT_FALSE(fin.constructor);
  EXPECT_EQ(fin.returns_value, Known::kNo);
  EXPECT_EQ(fin.raises, Known::kNo);
}

TEST(CSharpFacts, AsyncTasks) {
  ParsedFile f = Cs(kRepo);
  const RoutineFacts& save = Named(f, "Shop.Data.Repo.SaveAsync").facts;
  EXPECT_TRUE(save.async);
  EXPECT_EQ(Params(save), (V{"item", "ct="}));
  EXPECT_EQ(save.return_type, "Task");
  EXPECT_EQ(save.returns_value, Known::kUnknown);  // a bare Task: the handle may be documented
  EXPECT_EQ(save.raises, Known::kNo);
  const RoutineFacts& count = Named(f, "Shop.Data.Repo.CountAsync").facts;
  EXPECT_TRUE(count.async);
  EXPECT_EQ(count.return_type, "Task<int>");
  EXPECT_EQ(count.returns_value, Known::kYes);
  EXPECT_EQ(count.generator, Known::kNo);
}

TEST(CSharpFacts, ExpressionBodiedThrow) {
  ParsedFile f = Cs(kRepo);
  const RoutineFacts& get = Named(f, "Shop.Data.Repo.GetAsync").facts;
  EXPECT_FALSE(get.async);
  EXPECT_EQ(get.returns_value, Known::kYes);
  EXPECT_EQ(get.return_type, "ValueTask<T>");
  EXPECT_EQ(get.raises, Known::kYes);
  EXPECT_EQ(get.raised, (V{"NotImplementedException"}));
}

TEST(CSharpFacts, ParamsArrayAndNestedFunctions) {
  ParsedFile f = Cs(kRepo);
  const RoutineFacts& sum = Named(f, "Shop.Data.Repo.Sum").facts;
  EXPECT_EQ(Params(sum), (V{"first", "*rest"}));
  EXPECT_EQ(sum.returns_value, Known::kYes);
  EXPECT_EQ(sum.raises, Known::kNo);  // the local function's and the lambda's throws are theirs
  EXPECT_TRUE(sum.raised.empty());
}

TEST(CSharpFacts, GenericsOptionalAttributeAndVoid) {
  ParsedFile f = Cs(kRepo);
  const RoutineFacts& log = Named(f, "Shop.Data.Repo.Log").facts;
  EXPECT_EQ(log.type_parameters, (V{"TArg"}));
  EXPECT_EQ(Params(log), (V{"format", "arg="}));
  EXPECT_EQ(log.returns_value, Known::kNo);
  EXPECT_EQ(log.return_type, "void");
  const RoutineFacts& repo = Named(f, "Shop.Data.Repo").facts;
  EXPECT_FALSE(repo.has_parameters);
  EXPECT_EQ(repo.type_parameters, (V{"T"}));
}

TEST(CSharpFacts, IteratorRethrowAndOperator) {
  ParsedFile f = Cs(kRepo);
  EXPECT_EQ(Named(f, "Shop.Data.Repo.Items").facts.generator, Known::kYes);
  EXPECT_EQ(Named(f, "Shop.Data.Repo.Items").facts.returns_value, Known::kYes);
  const RoutineFacts& fail = Named(f, "Shop.Data.Repo.Fail").facts;
  EXPECT_EQ(fail.raises, Known::kYes);
  EXPECT_TRUE(fail.raised.empty());
  const RoutineFacts& plus = Named(f, "Shop.Data.Repo.operator+").facts;
  EXPECT_EQ(Params(plus), (V{"a", "b"}));
  EXPECT_EQ(plus.return_type, "Repo<T>");
  EXPECT_EQ(plus.returns_value, Known::kYes);
}

TEST(CSharpFacts, MembersWithoutBody) {
  ParsedFile f = Cs(
      "public interface IShape\n"
      "{\n"
      "    double Area(double scale = 1.0);\n"
      "    void Draw();\n"
      "    Task RenderAsync();\n"
      "    ValueTask FlushAsync();\n"
      "}\n"
      "public class View { public async void OnClick(object sender, EventArgs e) { await Task.Yield(); } }\n"
      "public abstract class Base { public abstract int Size(); }\n"
      "public delegate bool Filter<T>(T item);\n");
  const RoutineFacts& area = Named(f, "IShape.Area").facts;
  EXPECT_EQ(Params(area), (V{"scale="}));
  EXPECT_EQ(area.returns_value, Known::kYes);
  EXPECT_EQ(area.raises, Known::kUnknown);
  EXPECT_EQ(area.generator, Known::kUnknown);
  EXPECT_EQ(Named(f, "IShape.Draw").facts.returns_value, Known::kNo);
  EXPECT_EQ(Named(f, "IShape.RenderAsync").facts.returns_value, Known::kUnknown);
  EXPECT_EQ(Named(f, "IShape.FlushAsync").facts.returns_value, Known::kUnknown);
  const RoutineFacts& click = Named(f, "View.OnClick").facts;
  EXPECT_TRUE(click.async);
  EXPECT_EQ(click.returns_value, Known::kNo);  // async void: nothing to await either
  EXPECT_EQ(Params(click), (V{"sender", "e"}));
  EXPECT_EQ(Named(f, "Base.Size").facts.raises, Known::kUnknown);
  const RoutineFacts& filter = Named(f, "Filter").facts;
  EXPECT_TRUE(filter.has_parameters);
  EXPECT_EQ(Params(filter), (V{"item"}));
  EXPECT_EQ(filter.type_parameters, (V{"T"}));
  EXPECT_EQ(filter.returns_value, Known::kYes);
  EXPECT_FALSE(Named(f, "IShape").facts.has_parameters);
}

TEST(CSharpFacts, PropertiesAndIndexers) {
  ParsedFile f = Cs(
      "class Bag\n"
      "{\n"
      "    public string Name { get => _n; set => _n = value ?? throw new ArgumentNullException(nameof(value)); }\n"
      "    public int Count { get; private set; }\n"
      "    public int this[int index, string key = \"\"] { get { return 0; } }\n"
      "}\n");
  const RoutineFacts& name = Named(f, "Bag.Name").facts;
  EXPECT_FALSE(name.has_parameters);
  EXPECT_EQ(name.raises, Known::kYes);
  EXPECT_EQ(name.raised, (V{"ArgumentNullException"}));
  EXPECT_EQ(name.return_type, "string");
  EXPECT_FALSE(Named(f, "Bag.Count").facts.has_parameters);
  EXPECT_EQ(Named(f, "Bag.Count").facts.raises, Known::kNo);
  const RoutineFacts& indexer = Named(f, "Bag.this[]").facts;
  EXPECT_TRUE(indexer.has_parameters);
  EXPECT_EQ(Params(indexer), (V{"index", "key="}));
  EXPECT_EQ(indexer.returns_value, Known::kYes);
  EXPECT_EQ(indexer.raises, Known::kNo);
}

TEST(CSharpFacts, RecordsAndExtensionMethods) {
  ParsedFile f = Cs(
      "public record Point(int X, int Y = 0);\n"
      "public class Service(ILogger logger, int retries = 3) : Base(logger) { }\n"
      "public static class Ext\n"
      "{\n"
      "    public static bool TryParse(this string s, out int v) { v = 0; return true; }\n"
      "}\n");
  const RoutineFacts& point = Named(f, "Point").facts;
  EXPECT_TRUE(point.has_parameters);
  EXPECT_EQ(Params(point), (V{"X", "Y="}));
  const RoutineFacts& parse = Named(f, "Ext.TryParse").facts;
  EXPECT_EQ(Params(parse), (V{"s", "v"}));  // an extension's `this` parameter is documented
  EXPECT_TRUE(parse.receivers.empty());
  EXPECT_FALSE(Named(f, "Ext").facts.has_parameters);
  const RoutineFacts& service = Named(f, "Service").facts;  // a primary constructor's parameters
  EXPECT_TRUE(service.has_parameters);
  EXPECT_EQ(Params(service), (V{"logger", "retries="}));
}

// Every prefix of a real file (unfinished code, syntax errors): the reader neither crashes nor
// reports a parameter without a name.
TEST(CSharpFacts, TruncatedSourcesKeepFactsSane) {
  std::string source = kRepo;
  for (size_t n = 0; n <= source.size(); n += 3) {
    ParsedFile f = Cs(source.substr(0, n));
    for (const Routine& r : f.routines) {
      for (const Parameter& p : r.facts.parameters) EXPECT_FALSE(p.name.empty()) << r.name << " at " << n;
      for (const std::string& t : r.facts.type_parameters) EXPECT_FALSE(t.empty()) << r.name << " at " << n;
    }
  }
}

}  // namespace
}  // namespace scale::languages
