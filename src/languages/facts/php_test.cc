// Golden facts of PHP routines (facts/php.cc): each line is every fact of one routine.
#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

#include "languages/facts/facts_test_util.h"
#include "languages/language.h"

namespace scale::languages {
namespace {

using facts_test::Facts;

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
            "(width, pad?, out?, *values) returns=yes gen=no raises=yes raised=InvalidArgumentException type=?string");
  EXPECT_EQ(Facts(file, "log_all"), "(*messages) returns=no gen=no raises=no");
  EXPECT_EQ(Facts(file, "maybe"), "(key) returns=yes gen=no raises=yes raised=Http\\BadRequest");
  EXPECT_EQ(Facts(file, "lines"), "(path) returns=? gen=yes raises=no");
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
  EXPECT_EQ(Facts(file, "Repository"), "no-params returns=? gen=? raises=?");
  EXPECT_EQ(Facts(file, "Repository.__construct"), "(db, table?, strict?) returns=no gen=no raises=no ctor");
  EXPECT_EQ(Facts(file, "Repository.__destruct"), "() returns=no gen=no raises=no");
  EXPECT_EQ(Facts(file, "Repository.find"), "(id) returns=yes gen=? raises=? type=?static");
  EXPECT_EQ(Facts(file, "Repository.all"), "() returns=? gen=? raises=?");
  EXPECT_EQ(Facts(file, "Repository.create"), "(rows) returns=yes gen=no raises=no type=static");
  EXPECT_EQ(Facts(file, "Repository.setName"), "(name) returns=no gen=no raises=no type=void");
  EXPECT_EQ(Facts(file, "Repository.count"), "() returns=yes gen=no raises=no type=int");
  EXPECT_EQ(Facts(file, "Repository.unsupported"),
            "() returns=no gen=no raises=yes raised=BadMethodCallException type=never");
  EXPECT_EQ(Facts(file, "Repository.hook"), "(event) returns=no gen=no raises=no");
  // A body that only throws is a stub for overrides: what they return is not known.
  EXPECT_EQ(Facts(file, "Repository.stub"), "(x) returns=? gen=no raises=yes raised=LogicException");
  EXPECT_EQ(Facts(file, "Countable"), "no-params returns=? gen=? raises=?");
  EXPECT_EQ(Facts(file, "Countable.count"), "() returns=yes gen=? raises=? type=int");
  EXPECT_EQ(Facts(file, "Countable.reset"), "() returns=? gen=? raises=?");
  EXPECT_EQ(Facts(file, "Loads.load"), "(id) returns=yes gen=no raises=no type=self|false");
  EXPECT_EQ(Facts(file, "Suit"), "no-params returns=? gen=? raises=?");
  EXPECT_EQ(Facts(file, "Suit.label"), "() returns=yes gen=no raises=no type=string");
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
  EXPECT_EQ(Facts(file, "env"), "(key, default?) returns=yes gen=no raises=no");
  EXPECT_EQ(Facts(file, "VoidUpper"), "() returns=no gen=no raises=no type=VOID");
  EXPECT_EQ(Facts(file, "generate"), "() returns=yes gen=yes raises=no type=Generator");
}

}  // namespace
}  // namespace scale::languages
