// Golden facts of PHP routines (facts/php.cc): each line is every fact of one routine.
#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

#include "languages/language.h"

namespace scale::languages {
namespace {

const Routine& Named(const ParsedFile& file, std::string_view name) {
  for (const Routine& r : file.routines) {
    if (r.qualified_name == name) return r;
  }
  ADD_FAILURE() << "no routine named " << name;
  static const Routine none;
  return none;
}

std::string KnownText(Known k) { return k == Known::kYes ? "yes" : k == Known::kNo ? "no" : "unknown"; }

std::string Joined(const std::vector<std::string>& names) {
  std::string out;
  for (const std::string& n : names) out += (out.empty() ? "" : " ") + n;
  return out;
}

// Every fact on one line, so a test asserts all of them at once: parameters as `*rest` (variadic),
// `x=` (optional), `{a b}` (destructured), `p{x}` (named, with the names its pattern binds).
std::string Facts(const ParsedFile& file, std::string_view name) {
  const RoutineFacts& f = Named(file, name).facts;
  std::vector<std::string> params;
  for (const Parameter& p : f.parameters) {
    std::string s = p.kind == Parameter::kVariadic ? "*" : "";
    s += p.name;
    if (p.name.empty() || !p.members.empty()) s += "{" + Joined(p.members) + "}";
    if (p.optional) s += "=";
    params.push_back(s);
  }
  std::string out = f.has_parameters ? "params(" + Joined(params) + ")" : "no-params";
  if (!f.parameters_complete) out += " incomplete";
  if (!f.receivers.empty()) out += " recv(" + Joined(f.receivers) + ")";
  if (!f.type_parameters.empty()) out += " tparams(" + Joined(f.type_parameters) + ")";
  out += " returns=" + KnownText(f.returns_value);
  if (!f.return_type.empty()) out += " type=`" + f.return_type + "`";
  out += " gen=" + KnownText(f.generator) + " raises=" + KnownText(f.raises);
  if (!f.raised.empty()) out += " raised(" + Joined(f.raised) + ")";
  if (f.returns_result != Known::kUnknown) out += " result=" + KnownText(f.returns_result);
  if (f.async) out += " async";
  if (f.constructor) out += " ctor";
  return out;
}

ParsedFile ParsePhp(std::string text) { return Parse(LanguageNamed("php"), std::move(text)); }

TEST(PhpFacts, FunctionsWithClosures) {
  ParsedFile file = ParsePhp(R"(<?php
declare(strict_types=1);

namespace App\Util;

/**
 * Formats values.
 */
function format(int $width, ?string $pad = null, array &$out = [], string ...$values): ?string
{
    $each = function ($v) use ($pad) { return str_pad($v, 4, $pad); };
    $twice = fn($v) => throw new \LogicException('never');
    if ($width < 0) {
        throw new \InvalidArgumentException("width");
    }
    return implode('', array_map($each, $values));
}

function log_all(&...$messages)
{
    $emit = function ($m) {
        throw new Nested\Failure();
        return $m;
    };
    foreach ($messages as $m) {
        echo $m;
    }
    return;
}

function maybe($key)
{
    $value = $_GET[$key] ?? throw new Http\BadRequest();
    if ($value === '') {
        throw $error;
    }
    return null;
}

function lines($path)
{
    foreach (file($path) as $line) {
        yield trim($line);
    }
}
)");
  EXPECT_EQ(Facts(file, "format"),
            "params(width pad= out= *values) returns=yes type=`?string` gen=no raises=yes raised(InvalidArgumentException)");
  EXPECT_EQ(Facts(file, "log_all"), "params(*messages) returns=no gen=no raises=no");
  EXPECT_EQ(Facts(file, "maybe"), "params(key) returns=yes gen=no raises=yes raised(Http\\BadRequest)");
  EXPECT_EQ(Facts(file, "lines"), "params(path) returns=unknown gen=yes raises=no");
}

TEST(PhpFacts, ClassesAndMethods) {
  ParsedFile file = ParsePhp(R"(<?php
#[Attribute]
abstract class Repository extends Base implements Countable
{
    public function __construct(
        private readonly Connection $db,
        protected string $table = 'items',
        public bool $strict = false,
    ) {
        parent::__construct($db);
    }

    public function __destruct() { $this->db->close(); }

    abstract protected function find(int $id): ?static;

    abstract public function all();

    public static function create(array $rows): static
    {
        return new static($rows);
    }

    public function setName(string $name): void
    {
        $this->name = $name;
        return;
    }

    public function count(): int { return 0; }

    public function unsupported(): never { throw new \BadMethodCallException(); }

    protected function hook($event) { }

    public function stub($x) { throw new \LogicException('override ' . __METHOD__); }
}

interface Countable { public function count(): int; public function reset(); }

trait Loads { public function load(string|int $id): self|false { return false; } }

enum Suit: string
{
    case Hearts = 'H';
    public function label(): string { return ucfirst($this->name); }
}
)");
  EXPECT_EQ(Facts(file, "Repository"), "no-params returns=unknown gen=unknown raises=unknown");
  EXPECT_EQ(Facts(file, "Repository.__construct"), "params(db table= strict=) returns=no gen=no raises=no ctor");
  EXPECT_EQ(Facts(file, "Repository.__destruct"), "params() returns=no gen=no raises=no");
  EXPECT_EQ(Facts(file, "Repository.find"), "params(id) returns=yes type=`?static` gen=unknown raises=unknown");
  EXPECT_EQ(Facts(file, "Repository.all"), "params() returns=unknown gen=unknown raises=unknown");
  EXPECT_EQ(Facts(file, "Repository.create"), "params(rows) returns=yes type=`static` gen=no raises=no");
  EXPECT_EQ(Facts(file, "Repository.setName"), "params(name) returns=no type=`void` gen=no raises=no");
  EXPECT_EQ(Facts(file, "Repository.count"), "params() returns=yes type=`int` gen=no raises=no");
  EXPECT_EQ(Facts(file, "Repository.unsupported"),
            "params() returns=no type=`never` gen=no raises=yes raised(BadMethodCallException)");
  EXPECT_EQ(Facts(file, "Repository.hook"), "params(event) returns=no gen=no raises=no");
  // A body that only throws is a stub for overrides: what they return is not known.
  EXPECT_EQ(Facts(file, "Repository.stub"), "params(x) returns=unknown gen=no raises=yes raised(LogicException)");
  EXPECT_EQ(Facts(file, "Countable"), "no-params returns=unknown gen=unknown raises=unknown");
  EXPECT_EQ(Facts(file, "Countable.count"), "params() returns=yes type=`int` gen=unknown raises=unknown");
  EXPECT_EQ(Facts(file, "Countable.reset"), "params() returns=unknown gen=unknown raises=unknown");
  EXPECT_EQ(Facts(file, "Loads.load"), "params(id) returns=yes type=`self|false` gen=no raises=no");
  EXPECT_EQ(Facts(file, "Suit"), "no-params returns=unknown gen=unknown raises=unknown");
  EXPECT_EQ(Facts(file, "Suit.label"), "params() returns=yes type=`string` gen=no raises=no");
}

TEST(PhpFacts, CrlfAndConditionalDeclarations) {
  ParsedFile file = ParsePhp(
      "<?php\r\n"
      "if (!function_exists('env')) {\r\n"
      "\tfunction env($key, $default = null)\r\n"
      "\t{\r\n"
      "\t\t$value = getenv($key);\r\n"
      "\t\treturn $value === false ? $default : $value;\r\n"
      "\t}\r\n"
      "}\r\n"
      "function VoidUpper(): VOID { echo 1; }\r\n"
      "function generate(): Generator { yield from other(); }\r\n");
  EXPECT_EQ(Facts(file, "env"), "params(key default=) returns=yes gen=no raises=no");
  EXPECT_EQ(Facts(file, "VoidUpper"), "params() returns=no type=`VOID` gen=no raises=no");
  EXPECT_EQ(Facts(file, "generate"), "params() returns=yes type=`Generator` gen=yes raises=no");
}

}  // namespace
}  // namespace scale::languages
