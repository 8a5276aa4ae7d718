// Package yamlfile decodes YAML config and rules files strictly (unknown
// fields and duplicate keys are errors) and reports every problem with its
// position as "file:line:col: message", the form editors and CI annotate.
package yamlfile

import (
	"errors"
	"fmt"
	"reflect"
	"strings"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"

	"github.com/lurewatch/lurewatch"
)

// Pos is a position in a YAML file. Line and Col count from 1.
type Pos struct {
	File string
	Line int
	Col  int
}

// String formats the position as "file:line:col".
func (p Pos) String() string { return fmt.Sprintf("%s:%d:%d", p.File, p.Line, p.Col) }

// Error is one problem at one position of a file. It wraps
// lurewatch.ErrInvalid, so callers can test any config error with errors.Is.
type Error struct {
	Pos Pos
	Msg string
}

func (e *Error) Error() string { return e.Pos.String() + ": " + e.Msg }

// Unwrap makes every Error an lurewatch.ErrInvalid.
func (e *Error) Unwrap() error { return lurewatch.ErrInvalid }

// Errors is a list of problems found in one pass over a file.
type Errors []*Error

func (es Errors) Error() string {
	parts := make([]string, len(es))
	for i, e := range es {
		parts[i] = e.Error()
	}
	return strings.Join(parts, "\n")
}

// Unwrap exposes each problem to errors.Is and errors.As.
func (es Errors) Unwrap() []error {
	out := make([]error, len(es))
	for i, e := range es {
		out[i] = e
	}
	return out
}

// Err returns es as an error, or nil when es is empty.
func (es Errors) Err() error {
	if len(es) == 0 {
		return nil
	}
	return es
}

// Decode decodes data, the contents of the file named file, into v. Unknown
// fields, duplicate keys, type mismatches, bad time.Duration strings and
// syntax errors are reported as an *Error at their position. An empty
// document is an error.
//
// The YAML library can panic on some malformed input; Decode turns such a
// panic into an *Error at the top of the file, so hostile config never
// crashes the process.
func Decode(file string, data []byte, v any) (err error) {
	defer RecoverAsError(file, &err)
	if strings.TrimSpace(string(data)) == "" {
		return &Error{Pos: Pos{File: file, Line: 1, Col: 1}, Msg: "file is empty"}
	}
	// Durations first: the decoder reports a bad one without its position.
	if f, err := parser.ParseBytes(data, 0); err == nil {
		if errs := checkDurations(file, f, reflect.TypeOf(v)); len(errs) > 0 {
			return errs
		}
	}
	if err := yaml.UnmarshalWithOptions(data, v, yaml.Strict()); err != nil {
		return Wrap(file, err)
	}
	return nil
}

// Wrap turns an error from the goccy/go-yaml decoder into an *Error with the
// position of the offending token, where the decoder gives one.
func Wrap(file string, err error) error {
	var ye yaml.Error
	if errors.As(err, &ye) {
		pos := Pos{File: file, Line: 1, Col: 1}
		if tk := ye.GetToken(); tk != nil && tk.Position != nil {
			pos.Line, pos.Col = tk.Position.Line, tk.Position.Column
		}
		return &Error{Pos: pos, Msg: ye.GetMessage()}
	}
	return &Error{Pos: Pos{File: file, Line: 1, Col: 1}, Msg: err.Error()}
}

// Parse parses data into a YAML AST, for callers that walk the nodes to
// report several problems at once.
func Parse(file string, data []byte) (f *ast.File, err error) {
	defer RecoverAsError(file, &err)
	f, err = parser.ParseBytes(data, parser.ParseComments)
	if err != nil {
		return nil, Wrap(file, err)
	}
	return f, nil
}

// RecoverAsError, deferred by a function that calls the YAML library,
// turns a panic of the library into an *Error at the top of file, stored
// in *err.
func RecoverAsError(file string, err *error) {
	if r := recover(); r != nil {
		*err = &Error{Pos: Pos{File: file, Line: 1, Col: 1}, Msg: fmt.Sprintf("cannot parse the YAML: %v", r)}
	}
}

// NodeAt returns the node of a parsed file at a YAML path such as
// "$.sources[0].interval", or nil when there is none (or the path is not
// valid, or the node has no position).
func NodeAt(f *ast.File, path string) (n ast.Node) {
	defer func() {
		if recover() != nil { // the library's path filter can panic on odd trees
			n = nil
		}
	}()
	p, err := yaml.PathString(path)
	if err != nil {
		return nil
	}
	n, err = p.FilterFile(f)
	if err != nil || n == nil || n.GetToken() == nil || n.GetToken().Position == nil {
		return nil
	}
	return n
}

// NodePos returns the position of a node of a file parsed with Parse.
func NodePos(file string, n ast.Node) Pos {
	if n == nil || n.GetToken() == nil || n.GetToken().Position == nil {
		return Pos{File: file, Line: 1, Col: 1}
	}
	p := n.GetToken().Position
	return Pos{File: file, Line: p.Line, Col: p.Column}
}
