// The independent judge of the Go round trip (go_test.cc): `go_judge ORIGINAL PATCHED` exits 0
// when go/scanner reads the same tokens from both files (comments aside), go/parser accepts the
// patched file if it accepted the original, and every comment group holding "Doc for X." is the
// doc go/ast attaches to a declaration named X (a func, method, type spec or interface method).
package main

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/scanner"
	"go/token"
	"os"
	"regexp"
)

func tokens(src []byte) []string {
	var s scanner.Scanner
	fset := token.NewFileSet()
	file := fset.AddFile("x.go", -1, len(src))
	s.Init(file, src, nil, 0)
	var out []string
	for {
		_, tok, lit := s.Scan()
		if tok == token.EOF {
			return out
		}
		out = append(out, tok.String()+" "+lit)
	}
}

var docFor = regexp.MustCompile(`Doc for ([^ .]+)\.`)

// Every doc group go/ast attached, with the name it documents.
func attached(f *ast.File) map[*ast.CommentGroup]string {
	docs := map[*ast.CommentGroup]string{}
	for _, d := range f.Decls {
		switch d := d.(type) {
		case *ast.FuncDecl:
			if d.Doc != nil {
				docs[d.Doc] = d.Name.Name
			}
		case *ast.GenDecl:
			for _, s := range d.Specs {
				ts, ok := s.(*ast.TypeSpec)
				if !ok {
					continue
				}
				if ts.Doc != nil {
					docs[ts.Doc] = ts.Name.Name
				}
				if d.Doc != nil && !d.Lparen.IsValid() {
					docs[d.Doc] = ts.Name.Name
				}
				if it, ok := ts.Type.(*ast.InterfaceType); ok {
					for _, m := range it.Methods.List {
						if m.Doc != nil && len(m.Names) == 1 {
							docs[m.Doc] = m.Names[0].Name
						}
					}
				}
			}
		}
	}
	return docs
}

func judge(original, patched string) string {
	a, err := os.ReadFile(original)
	if err != nil {
		return err.Error()
	}
	b, err := os.ReadFile(patched)
	if err != nil {
		return err.Error()
	}
	ta, tb := tokens(a), tokens(b)
	for i := 0; i < len(ta) || i < len(tb); i++ {
		if i >= len(ta) || i >= len(tb) || ta[i] != tb[i] {
			return fmt.Sprintf("go/scanner tokens differ at token %d", i)
		}
	}
	fset := token.NewFileSet()
	if _, err := parser.ParseFile(fset, original, a, parser.ParseComments); err != nil {
		return "" // go/parser refuses the original: the tokens are all that can be compared
	}
	f, err := parser.ParseFile(fset, patched, b, parser.ParseComments)
	if err != nil {
		return "go/parser: " + err.Error()
	}
	docs := attached(f)
	for _, g := range f.Comments {
		m := docFor.FindStringSubmatch(g.Text())
		if m == nil {
			continue
		}
		if name, ok := docs[g]; !ok || name != m[1] {
			return fmt.Sprintf("%s: go/ast attaches %q to %q", fset.Position(g.Pos()), m[0], name)
		}
	}
	return ""
}

func main() {
	if problem := judge(os.Args[1], os.Args[2]); problem != "" {
		fmt.Println(problem)
		os.Exit(1)
	}
}
