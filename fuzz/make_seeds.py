#!/usr/bin/env python3
"""Writes the seed corpus fuzz/corpus/<target>/ (run from the repository root; deterministic).

Seeds are small hand-made inputs in each target's input layout (see the comment at the top of
fuzz/fuzz_<target>.cc) plus a few real files from the repository (golden test files, the sample)
and the header of the shared stories260K model. Re-run after changing a layout; keep the total
under ~1 MB (it prints the size).
"""
import hashlib, os, struct, sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "fuzz", "corpus")

def read(rel):
    with open(os.path.join(ROOT, rel), "rb") as f:
        return f.read()

def write(target, name, data):
    if isinstance(data, str):
        data = data.encode("utf-8")
    d = os.path.join(OUT, target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)

SEP, SEPH, CSEP = "\n=====\n", "\n=====H\n", "\n-----\n"

COMMENTS = [
    "Doc for this routine.",
    "Summary line.\n\nMore text with \"\"\" and ''' and */ and /* and \\ inside.",
    "",
    "Line one.\r\nLine two with CRLF.\r\n",
    "Ünïcödé — 中文 😀 text.",
    "    indented\n\tand tabbed\n",
    "*/ int evil(void) { return 0; } /*",
    "\"\"\"\nimport os\nos.system('x')\n\"\"\"",
    "x" * 300,
    "@param a the first\n@returns something",
    "\\",
    "\"",
    "end with quote\"",
    "\x00nul\x00byte",
]

def comments(*idx):
    return CSEP.join(COMMENTS[i] for i in idx)

# --- languages ------------------------------------------------------------------------------
PY = {
    "golden": read("src/annotate/testdata/golden_in.py").decode(),
    "sample": read("samples/sample.py").decode(),
    "fstring": "def f():\n    f\"{print('x')}\"\n    return 1\n\ndef g():\n    b'bytes'\n    return 2\n",
    "decorated": "import functools\n\n@functools.lru_cache(maxsize=None)\n@staticmethod\ndef cached(x):\n    return x\n\nasync def run(a, *, b=1, **kw):\n    await a\n",
    "nested": "class A:\n    '''Old.'''\n    class B:\n        def m(self):\n            def inner():\n                pass\n            return inner\n    x = 1\n",
    "crlf": "def f(a):\r\n    return a\r\n\r\nclass C:\r\n    def g(self):\r\n        pass\r\n",
    "tabs": "class T:\n\tdef f(self):\n\t\t\"\"\"Doc.\"\"\"\n\t\treturn 1\n",
    "bom_coding": "\ufeff# -*- coding: utf-8 -*-\ndef f():\n    return 'é'\n",
    "ascii_coding": "# -*- coding: ascii -*-\ndef f():\n    return 1\n",
    "oneline": "def f(): return 1\nclass K: pass\ndef g():\n    return 2\n",
    "syntax_error": "def f(:\n    return 1\n\ndef g():\n    return 2\n",
    "directives": "def f():  # noqa\n    # type: ignore\n    return 1  # pragma: no cover\n",
    "multi_docstring": "def f():\n    \"Doc one.\"\n    \"Doc two.\"\n    r'''raw'''\n    return 1\n",
    "empty_body_comment": "def f():\n    # only a comment\n    pass\n",
}
for i, (name, src) in enumerate(sorted(PY.items())):
    write("python", name, src + SEP + comments(i % 14, (i + 1) % 14, (i + 5) % 14))
write("python", "no_comments", PY["nested"])

C = {
    "golden": read("src/annotate/testdata/golden_in.c").decode(),
    "knr": "int add(a, b)\nint a;\nint b;\n{\n    return a + b;\n}\n",
    "types": "struct point { int x, y; };\nenum color { RED, GREEN };\nunion u { int i; float f; };\n",
    "ifdef": "#ifdef X\n/* Old doc. */\nstatic int f(void) { return 1; }\n#else\nint f(void)\n{\n    return 2;\n}\n#endif\n",
    "externc": "extern \"C\" {\n// one\n// two\nvoid g(int *p) { *p = 0; }\n}\n",
    "directives": "// NOLINTNEXTLINE(readability)\n/* clang-format off */\nint h(void){return 0;}\n/* SPDX-License-Identifier: MIT */\n\nint k(void) { return 1; }\n",
    "blank_gap": "/*\n * What it does.\n */\n\nint api(void)\n{\n    return 0;\n}\n",
    "macro": "#define F(x) ((x) + 1)\nint use(int y) { return F(y); }\n",
    "crlf": "int f(void)\r\n{\r\n\treturn 0;\r\n}\r\n",
    "error": "int f( {\n  return;\n}\nint g(void) { return 1; }\n",
}
for i, (name, src) in enumerate(sorted(C.items())):
    write("c", name, src + SEP + comments(i % 14, (i + 6) % 14))
write("c", "header", "typedef struct s s_t;\nint proto(int a);\nstruct s { int a; };\n" + SEPH + comments(0, 1, 6))

JS = {
    "golden": read("src/annotate/testdata/golden_in.js").decode(),
    "classes": "class A extends B {\n  static s() {}\n  get g() { return 1; }\n  set g(v) {}\n  #p() {}\n  field = () => 1;\n}\n",
    "bindings": "const f = () => 1;\nlet g = function named() {};\nobj.h = function () {};\nconst o = { m() {}, n: () => 2, 'q': function () {} };\n",
    "export": "export default function () {}\nexport const x = async (a) => { await a; };\nexport class E {}\n",
    "decorators": "@dec\nclass D {\n  @m method() {}\n}\n",
    "directives": "// eslint-disable-next-line no-unused-vars\nfunction f() {}\n/* @ngInject */\nfunction g($http) {}\n// @ts-ignore\nfunction h() {}\n",
    "generator": "function* gen() { yield 1; }\nasync function* agen() {}\n",
    "jsx_like": "function C() { return <div>{x}</div>; }\n",
    "oneline": "function a() {} function b() {}\nclass X { m() {} n() {} }\n",
    "template": "function t() { return `a ${b} */ c`; }\n",
}
for i, (name, src) in enumerate(sorted(JS.items())):
    write("javascript", name, src + SEP + comments(i % 14, (i + 3) % 14, (i + 6) % 14))

# --- sanitize: flags byte, huge-line byte, SIGNATURE \n=====\n ANSWER -----------------------------
ANSWERS = [
    "Returns the sum of a and b.",
    "```python\n\"\"\"Adds two numbers.\n\nArgs:\n    a: first\n\"\"\"\n```",
    "Sure! Here is the docstring:\n\n\"\"\"Adds.\"\"\"",
    "**Updated comment:** Parses the file.",
    "/**\n * Frees the buffer.\n * @param p the buffer\n */",
    "// Line one.\n// Line two.",
    "def add(a, b):\n    return a + b",
    "Docstring:",
    "\"Quoted answer.\"",
    "Computes things. It also does more things and then it stops mid",
    "EXAMPLE 4\nRoutine: foo",
    "Here's the comment: Does X.",
    "",
    "\t  \n  ",
    "int main(void) {\n  return 0;\n}",
    "Ünïcödé prose with emoji 😀.",
]
FLAGS = [0x30, 0x31, 0x32, 0x34, 0x35, 0x36]  # (flags & 0x38) == 0x30: no huge line
for i, a in enumerate(ANSWERS):
    f = FLAGS[i % len(FLAGS)]
    sig = ["def add(a, b):", "int add(int a, int b)", "function add(a, b)"][f % 3]
    write("sanitize", "answer%02d" % i, bytes([f, 0]) + (sig + SEP + a).encode())
# Huge single lines ((flags & 0x38) == 0x08, 256 << (byte1 % 9) bytes): "Sure" + x repeated to
# 64 KiB (issue 11 item 12: a 50K-character line starting with "Sure"), prose, a label.
write("sanitize", "huge_sure", bytes([0x48, 8]) + b"Sure" + b"x" * 60)
write("sanitize", "huge_prose", bytes([0x49, 7]) + b"word ")
write("sanitize", "huge_label", bytes([0x4A, 6]) + b"Docstring: " + b"a " * 20)
write("sanitize", "huge_truncated", bytes([0x4C, 5]) + b"Sentence one. Sentence two")

# --- gitignore: ROOT_RULES \n=====\n PATHS [\n=====\n RULES_OF_a] ---------------------------
GI = {
    "basic": ("*.o\nbuild/\n!keep.o\n# comment\n/root_only\n", "x.o\nkeep.o\nbuild/\nsrc/build/\nroot_only\nsub/root_only\n"),
    "doublestar": ("**/node_modules\nlogs/**\na/**/b\n**/*.min.js\n", "node_modules/\nx/node_modules/\nlogs/a/b\na/b\na/x/y/b\nj/q.min.js\n"),
    "classes": ("[a-c]*.txt\n[!x]?.md\n[]].c\n\\#hash\n\\!bang\n", "a.txt\nd.txt\ny1.md\nx1.md\n].c\n#hash\n!bang\n"),
    "trailing": ("foo\\ \nbar   \n\r\nbaz\r\n", "foo \nbar\nbaz\n"),
    "nested": ("*.log\n", "a/x.log\na/keep.log\na/sub/\nb/y.log\n", "!keep.log\nsub/\n"),
    "exponential": ("*a*a*a*a*a*a*a*a*a*a*b\n", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n"),
    "bom": ("\ufeff*.tmp\n", "x.tmp\n"),
    "simple_oracle": ("src/*.c\n?b\n*.*\na/*/c\n", "src/x.c\nsrc/y/x.c\nab\na/b\nx.y\na/b/c\na/b/d/c\n"),
    "named_classes": ("[[:alpha:]]*.[[:digit:]]\n[[:bogus:]]\n[a-\n\\\n*.[Cc]\n", "abc.1\n1bc.1\nx.C\n"),
    "ignore_case": ("ABC/\n*.TXT\n", "abc/\nx.txt\nX.TXT\n"),
    "head_generated": ("*.c\n", "gen/x.pb.go\nvendor/a.js\nx.min.js\n", "", "// Code generated by protoc. DO NOT EDIT.\npackage x\n"),
    "head_binary": ("\n", "a.bin\n", "", "ELF\x00\x01\x02"),
    "head_bad_utf8": ("\n", "a.txt\n", "", "ok \xc0\xaf overlong \xed\xa0\x80 surrogate \xf4\x90\x80\x80 big"),
    "head_minified": ("\n", "a.js\n", "", "var a=1;" * 200),
}
for name, parts in GI.items():
    text = SEP.join(parts)
    # head_b*: raw bytes (binary, malformed UTF-8) written as is.
    write("gitignore", name, text.encode("latin-1") if name.startswith("head_b") else text)
try:
    write("gitignore", "repo_gitignore", read(".gitignore").decode() + SEP + "build/\nsrc/x.cc\nnode_modules/\n")
except FileNotFoundError:
    pass

# --- gguf ------------------------------------------------------------------------------------
def gguf_string(s):
    b = s.encode()
    return struct.pack("<Q", len(b)) + b

def gguf_kv(key, typ, payload):
    return gguf_string(key) + struct.pack("<I", typ) + payload

U32, I32, STR, ARR, U64, F32, BOOL = 4, 5, 8, 9, 10, 6, 7

def gguf(kvs, tensors=(), version=3, data=b"", align=32):
    out = b"GGUF" + struct.pack("<IQQ", version, len(tensors), len(kvs))
    for k in kvs:
        out += k
    for name, dims, typ, off in tensors:
        out += gguf_string(name) + struct.pack("<I", len(dims)) + b"".join(struct.pack("<Q", d) for d in dims)
        out += struct.pack("<IQ", typ, off)
    out += b"\x00" * ((-len(out)) % align)
    return out + data

arch = gguf_kv("general.architecture", STR, gguf_string("llama"))
shape = [gguf_kv("llama.block_count", U32, struct.pack("<I", 2)),
         gguf_kv("llama.embedding_length", U32, struct.pack("<I", 8)),
         gguf_kv("llama.attention.head_count", U32, struct.pack("<I", 2)),
         gguf_kv("llama.attention.head_count_kv", ARR, struct.pack("<IQ", I32, 2) + struct.pack("<ii", 1, 2)),
         gguf_kv("llama.context_length", U64, struct.pack("<Q", 128)),
         gguf_kv("general.name", STR, gguf_string("tiny")),
         gguf_kv("tokenizer.chat_template", STR, gguf_string("{{ x }}")),
         gguf_kv("some.float", F32, struct.pack("<f", 1.5)),
         gguf_kv("some.bool", BOOL, b"\x01")]
tensor = [("t", [4, 2], 0, 0)]  # F32 4x2 = 32 bytes
write("gguf", "minimal_valid", gguf([arch] + shape, tensor, data=b"\x00" * 32))
write("gguf", "truncated_data", gguf([arch] + shape, tensor, data=b"\x00" * 8))
write("gguf", "no_arch", gguf(shape))
write("gguf", "header_only", gguf([arch]))
write("gguf", "bad_version", gguf([arch], version=99))
write("gguf", "magic_only", b"GGUF")
write("gguf", "not_gguf", b"PK\x03\x04 this is a zip")
write("gguf", "huge_counts", b"GGUF" + struct.pack("<IQQ", 3, 2**62, 2**62))
write("gguf", "huge_string", b"GGUF" + struct.pack("<IQQ", 3, 0, 1) + struct.pack("<Q", 2**63))
# The real test model's header (metadata + tensor table), without its tensor data.
model = os.path.join(ROOT, "..", "shared", "models", "stories260K.gguf")
if os.path.exists(model):
    with open(model, "rb") as f:
        head = f.read(64 * 1024)
    write("gguf", "stories260K_head64k", head)

# --- undo manifest ---------------------------------------------------------------------------
H = "0" * 64
write("undo_manifest", "valid", '{\n  "run_id": "20240101-120000-42",\n  "created": "2024-01-01 12:00:00",\n  "created_ns": 1704110400000000000,\n  "restored": false,\n  "files": [\n    {"path": "/tmp/a.py", "original_sha256": "%s", "new_sha256": "%s", "backup": "0001.orig"}\n  ]\n}\n' % (H, H))
write("undo_manifest", "empty_files", '{"run_id": "r", "files": []}')
write("undo_manifest", "relative_path", '{"run_id": "r", "files": [{"path": "a.py", "original_sha256": "", "new_sha256": "", "backup": "0001.orig"}]}')
write("undo_manifest", "escape_backup", '{"run_id": "r", "files": [{"path": "/a", "original_sha256": "", "new_sha256": "", "backup": "../../etc/passwd"}]}')
write("undo_manifest", "dot_backup", '{"run_id": "r", "files": [{"path": "/a", "original_sha256": "", "new_sha256": "", "backup": ".."}]}')
write("undo_manifest", "wrong_types", '{"run_id": 5, "created_ns": "x", "restored": "yes", "files": [{"path": null}]}')
write("undo_manifest", "not_object", '[1, 2, {"files": []}]')
write("undo_manifest", "deep", "[" * 2000 + "]" * 2000)
write("undo_manifest", "unicode_escapes", '{"run_id": "\\ud800", "files": [{"path": "/\\u0000x", "original_sha256": "a", "new_sha256": "b", "backup": "0\\u00001"}]}')

# --- dataset (first byte = options) -----------------------------------------------------------
ruby = os.path.join(ROOT, "..", "shared", "data", "codexglue-ruby", "test.jsonl")
pysub = os.path.join(ROOT, "..", "shared", "data", "codexglue-python-subset", "test.jsonl")
def first_lines(path, n):
    with open(path, "rb") as f:
        return b"".join(f.readline() for _ in range(n))
row = '{"code": "def f():\\n    return 1", "docstring": "Returns one.\\n\\nArgs:\\n  none", "language": "Python", "func_name": "f"}'
write("dataset", "basic", "\x00" + row + "\n\n" + '{"code": "x", "docstring_tokens": ["a", "b"], "language": "ruby"}\n')
write("dataset", "fields", "\x04" + '{"src": "x = 1", "summary": "Sets x."}\n')
write("dataset", "forced_language_limit", "\x03" + '{"code": "a"}\n{"code": "b"}\n{"code": "c"}\n')
write("dataset", "bad_line", "\x00" + row + "\nnot json\n")
write("dataset", "missing_code", "\x00" + '{"docstring": "x", "language": "c"}\n')
write("dataset", "no_language", "\x00" + '{"code": "x"}\n')
write("dataset", "wrong_types", "\x00" + '{"code": 1, "docstring": [1], "docstring_tokens": [1, null, "a"], "language": {}}\n')
write("dataset", "crlf", "\x01" + '{"code": "x", "docstring": "a\\r\\n\\r\\nb"}\r\n{"code": "y"}\r\n')
if os.path.exists(ruby):
    write("dataset", "codexglue_ruby_2rows", b"\x00" + first_lines(ruby, 2))
if os.path.exists(pysub):
    write("dataset", "codexglue_python_2rows", b"\x00" + first_lines(pysub, 2))

# --- score: the whole input as JSONL, and PREDICTIONS \n=====\n GOLD as TXT ---------------------
write("score", "jsonl", '{"id": "1", "prediction": "Returns the sum.", "reference": "Return the sum of a and b."}\n'
                        '{"id": 2, "prediction": "", "references": ["x", "y", 3]}\n')
write("score", "jsonl_bad", '{"prediction": 1, "reference": "x"}\n')
write("score", "txt_pairs", "0\tReturns the sum .\n1\tOpens a file\n2\n" + SEP + "0\tReturn the sum of a and b .\n1\tOpen the file .\n1\tOpens a file .\n3\tunused\n")
write("score", "txt_bad_gold", "0\tx\n" + SEP + "0 no tab\n")
write("score", "long_tokens", '{"prediction": "' + "a " * 500 + '", "reference": "' + "a b " * 300 + '"}\n')
write("score", "unicode", '{"prediction": "Ünï 中文 😀 — x", "reference": "Ünï 中文"}\n' + SEP + "0\t\xff\xfe bad utf8\n")
ruby_txt = os.path.join(ROOT, "..", "shared", "data", "codexglue-ruby", "test.txt")
if os.path.exists(ruby_txt):
    gold = first_lines(ruby_txt, 5)
    write("score", "codexglue_ruby_txt", gold + SEP.encode() + gold)

# --- consistency (first byte: the language's registry index) ----------------------------------
CONSISTENCY = [
    (0, "python_google", "def put(self, key, value=None, *args, **kwargs):\n    return key\n",
     ["Store.\n\nArgs:\n    value: V.\n    key: K.\n    timeout: T.\n\nReturns:\n    K.\n\nRaises:\n    ValueError: never.",
      "Store.\n\nParameters\n----------\nkey : str\n    K.\n\nYields\n------\nint\n    x."]),
    (0, "python_sphinx", "def lines(path):\n    for l in open(path):\n        yield l\n",
     [":param path: P.\n:type path: str\n:param x: X.\n:returns: R.\n:raises IOError: E."]),
    (1, "c_doxygen", "int add(a, b)\n  int a;\n  int b;\n{\n  return a + b;\n}\nvoid logf(const char *fmt, ...) {}\n",
     ["Adds.\n@param[in] a First.\n\\param c Second.\n@return The sum.\n@throws Error never."]),
    (2, "js_destructured", "function connect({ host, port = 80 }, ...rest) {\n  return open(host, port, rest);\n}\n",
     ["Connects.\n@param {Object} options - Where.\n@param {string} options.host - H.\n@param {number} [options.port=80] - P.\n@returns {void}"]),
    (6, "java_throws", "class A {\n  void set(int x) throws IOException {\n    this.x = x;\n  }\n}\n",
     ["Sets.\n@param <T> type\n@param x The value.\n@return old.\n@throws {@link IOException} if bad."]),
    (7, "go_name", "package p\n\nfunc Sum(xs ...int) int {\n\treturn 0\n}\n", ["Adds the numbers.", ""]),
    (8, "rust_markdown", "fn clamp(i: usize, len: usize) -> usize {\n    i.min(len)\n}\n",
     ["Clamps.\n\n# Arguments\n\n* `i` - I.\n* `n` - N.\n\n# Errors\n\n```\n# not a heading\n```\nNever."]),
    (9, "ruby_yard", "class A\n  def fetch(url, retries: 3, &block)\n    raise ArgumentError if url.nil?\n  end\nend\n",
     ["Fetches.\n@param url [String] U.\n@param [Integer] retries R.\n@yield [x] each\n@raise [ArgumentError] if nil."]),
    (10, "csharp_xml", "class A {\n  public int Twice(int x, params int[] more) {\n    return 2 * x;\n  }\n}\n",
     ["<summary>Doubles.</summary>\n<param name=\"y\">Y.\n more</param>\n<returns>2x</returns>\n<exception cref=\"T:System.IO.IOException\">E</exception>"]),
    (11, "php_sigils", "<?php\nfunction page(array $rows, int $page, int $size = 10): array {\n  return [];\n}\n",
     ["Page.\n@param array $rows R.\n@param int $size S.\n@return array P."]),
    (12, "lua_ldoc", "local M = {}\nfunction M:send(msg, ...)\n  return true\nend\nreturn M\n",
     ["Sends.\n@param self table S\n@tparam string msg M\n@param ... any\n@treturn boolean ok"]),
    (13, "bash_shell", "greet() {\n  echo \"$1 $2\"\n  shift\n}\n", ["Greets.\n\nArguments:\n  $1: who\n  $3: x\nReturns:\n  0"]),
]
for lang, name, src, docs in CONSISTENCY:
    write("consistency", name, bytes([lang]) + (src + SEP + CSEP.join(docs)).encode())

total = 0
for dirpath, _, files in os.walk(OUT):
    for f in files:
        total += os.path.getsize(os.path.join(dirpath, f))
print("seed corpus: %d bytes in %s" % (total, OUT))
