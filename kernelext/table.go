package kernelext

import (
	"fmt"
	"reflect"
)

// column is one table column: the field's index path and its format.
type column struct {
	index  []int
	format string
}

// columns lists the columns of struct type t; the fields of an embedded
// struct (without a table tag) become columns in its place.
func columns(t reflect.Type) (headers []string, cols []column) {
	for _, f := range reflect.VisibleFields(t) {
		name := f.Tag.Get("table")
		if !f.IsExported() || name == "-" || (f.Anonymous && f.Type.Kind() == reflect.Struct && name == "") {
			continue
		}
		if len(f.Index) > 1 && hidden(t, f.Index) {
			continue
		}
		if name == "" {
			name = f.Name
		}
		headers = append(headers, name)
		cols = append(cols, column{f.Index, f.Tag.Get("fmt")})
	}
	return headers, cols
}

// hidden reports whether a promoted field sits in an embedded struct that
// the outer struct tags `table:"-"`.
func hidden(t reflect.Type, index []int) bool {
	for i := 1; i < len(index); i++ {
		if t.FieldByIndex(index[:i]).Tag.Get("table") == "-" {
			return true
		}
	}
	return false
}

// Table turns rows, a slice of structs (or of pointers to structs), into
// headers and cells: one column per exported field, in field order. The tag
// `table:"header"` names a column (default: the field name) and `table:"-"`
// leaves a field out; `fmt:"%.3f"` formats its values with fmt.Sprintf
// (default: FormatCell). The fields of an embedded struct are columns of
// their own. A nil pointer row is an error.
func Table(rows any) ([]string, [][]any, error) {
	v := reflect.ValueOf(rows)
	if v.Kind() != reflect.Slice {
		return nil, nil, fmt.Errorf("kernelext: table rows are a %T; want a slice of structs", rows)
	}
	elem := v.Type().Elem()
	if elem.Kind() == reflect.Pointer {
		elem = elem.Elem()
	}
	if elem.Kind() != reflect.Struct {
		return nil, nil, fmt.Errorf("kernelext: table rows are a %T; want a slice of structs", rows)
	}
	headers, cols := columns(elem)
	cells := make([][]any, v.Len())
	for r := range cells {
		row := v.Index(r)
		if row.Kind() == reflect.Pointer {
			if row.IsNil() {
				return nil, nil, fmt.Errorf("kernelext: table row %d is a nil pointer", r)
			}
			row = row.Elem()
		}
		cells[r] = make([]any, len(cols))
		for c, col := range cols {
			x := row.FieldByIndex(col.index).Interface()
			if col.format != "" {
				x = fmt.Sprintf(col.format, x)
			}
			cells[r][c] = x
		}
	}
	return headers, cells, nil
}

// ShowTable displays rows, a slice of structs (see Table for the column
// tags): an HTML table in the notebook, aligned text outside. Rows that are
// not a slice of structs end the cell with a message saying so.
func ShowTable(rows any) {
	headers, cells, err := Table(rows)
	Check(err)
	emit(Payload{MIME: MIMEHTML, Data: TableHTML(headers, cells), Text: TableText(headers, cells)})
}
