package yamlfile

import (
	"fmt"
	"reflect"
	"strings"
	"time"

	"github.com/goccy/go-yaml/ast"
)

var durationType = reflect.TypeFor[time.Duration]()

// checkDurations walks the document alongside the type it decodes into and
// reports every time.Duration field whose value does not parse, at the
// value's position: the decoder itself reports these without one.
func checkDurations(file string, f *ast.File, t reflect.Type) Errors {
	var errs Errors
	for _, doc := range f.Docs {
		if doc.Body != nil {
			walkDurations(file, "", doc.Body, t, &errs)
		}
	}
	return errs
}

func walkDurations(file, key string, n ast.Node, t reflect.Type, errs *Errors) {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t == durationType {
		if s, ok := n.(*ast.StringNode); ok {
			if _, err := time.ParseDuration(s.Value); err != nil {
				*errs = append(*errs, &Error{Pos: NodePos(file, n),
					Msg: fmt.Sprintf("%s: bad duration %q (want for example 500ms, 30s or 6h)", key, s.Value)})
			}
		}
		return
	}
	switch t.Kind() {
	case reflect.Struct:
		fields := yamlFields(t)
		for _, mv := range mappingValues(n) {
			name := mv.Key.GetToken().Value
			if ft, ok := fields[name]; ok {
				walkDurations(file, name, mv.Value, ft, errs)
			}
		}
	case reflect.Slice, reflect.Array:
		if seq, ok := n.(*ast.SequenceNode); ok {
			for _, v := range seq.Values {
				walkDurations(file, key, v, t.Elem(), errs)
			}
		}
	case reflect.Map:
		for _, mv := range mappingValues(n) {
			walkDurations(file, mv.Key.GetToken().Value, mv.Value, t.Elem(), errs)
		}
	}
}

// mappingValues returns the key/value pairs of a mapping node, or none.
func mappingValues(n ast.Node) []*ast.MappingValueNode {
	switch m := n.(type) {
	case *ast.MappingNode:
		return m.Values
	case *ast.MappingValueNode:
		return []*ast.MappingValueNode{m}
	case *ast.TagNode:
		return mappingValues(m.Value)
	}
	return nil
}

// yamlFields maps the YAML keys of struct type t to the fields' types,
// following inlined structs.
func yamlFields(t reflect.Type) map[string]reflect.Type {
	out := map[string]reflect.Type{}
	for i := range t.NumField() {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		tag := f.Tag.Get("yaml")
		name, opts, _ := strings.Cut(tag, ",")
		if name == "-" {
			continue
		}
		if strings.Contains(opts, "inline") {
			ft := f.Type
			for ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			if ft.Kind() == reflect.Struct {
				for k, v := range yamlFields(ft) {
					out[k] = v
				}
			}
			continue
		}
		if name == "" {
			name = strings.ToLower(f.Name)
		}
		out[name] = f.Type
	}
	return out
}
