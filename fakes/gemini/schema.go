package fakegemini

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
)

// schemaFields are the keys of the OpenAPI-subset Schema that Vertex takes
// in FunctionDeclaration.parameters (genai.Schema).
var schemaFields = []string{
	"anyOf", "default", "description", "enum", "example", "format", "items",
	"maxItems", "maxLength", "maxProperties", "maximum", "minItems",
	"minLength", "minProperties", "minimum", "nullable", "pattern",
	"properties", "propertyOrdering", "required", "title", "type",
}

// schemaTypes are the values of Schema.type, compared case-insensitively.
var schemaTypes = []string{"STRING", "NUMBER", "INTEGER", "BOOLEAN", "ARRAY", "OBJECT", "NULL"}

// checkDeclarationSchema checks the schemas of one function declaration:
// parameters must hold only Schema keys (so JSON Schema keywords such as
// $schema, $ref, $defs, additionalProperties, const, exclusiveMinimum or
// exclusiveMaximum are refused), parametersJsonSchema must not hold $schema,
// and the two are mutually exclusive.
func checkDeclarationSchema(at string, fd *FunctionDeclaration) *Error {
	hasParams := len(fd.Parameters) > 0 && string(fd.Parameters) != "null"
	hasJSON := len(fd.ParametersJSONSchema) > 0 && string(fd.ParametersJSONSchema) != "null"
	if hasParams && hasJSON {
		return invalid("%s: parameters and parametersJsonSchema are mutually exclusive; set only one", at)
	}
	if hasParams {
		var v any
		if err := json.Unmarshal(fd.Parameters, &v); err != nil {
			return invalid("%s.parameters: %v", at, err)
		}
		return checkSchema(at+".parameters", v)
	}
	if hasJSON {
		var v any
		if err := json.Unmarshal(fd.ParametersJSONSchema, &v); err != nil {
			return invalid("%s.parametersJsonSchema: %v", at, err)
		}
		if path := findKey(v, "$schema", at+".parametersJsonSchema"); path != "" {
			return invalid("Invalid JSON payload received. \"$schema\" is not supported at '%s'. Remove it from parametersJsonSchema", path)
		}
	}
	return nil
}

// checkSchema walks an OpenAPI-subset schema and reports the first key
// Vertex would refuse, in Google's own wording.
func checkSchema(at string, v any) *Error {
	obj, ok := v.(map[string]any)
	if !ok {
		return invalid("Invalid value at '%s': a Schema must be an object, got %s", at, jsonKind(v))
	}
	for _, k := range sortedKeys(obj) {
		if !slices.Contains(schemaFields, k) {
			return invalid("Invalid JSON payload received. Unknown name %q at '%s': Cannot find field. (parameters takes the OpenAPI subset; use parametersJsonSchema for JSON Schema)", k, at)
		}
	}
	if t, ok := obj["type"]; ok {
		s, isString := t.(string)
		if !isString || !slices.Contains(schemaTypes, strings.ToUpper(s)) {
			return invalid("Invalid value at '%s.type' (type.googleapis.com/google.cloud.aiplatform.v1beta1.Type), %s", at, compact(t))
		}
	}
	if props, ok := obj["properties"]; ok {
		m, ok := props.(map[string]any)
		if !ok {
			return invalid("Invalid value at '%s.properties': must be an object", at)
		}
		for _, name := range sortedKeys(m) {
			if err := checkSchema(at+".properties."+name, m[name]); err != nil {
				return err
			}
		}
	}
	if items, ok := obj["items"]; ok {
		if err := checkSchema(at+".items", items); err != nil {
			return err
		}
	}
	if anyOf, ok := obj["anyOf"]; ok {
		list, ok := anyOf.([]any)
		if !ok {
			return invalid("Invalid value at '%s.anyOf': must be an array", at)
		}
		for i, s := range list {
			if err := checkSchema(fmt.Sprintf("%s.anyOf[%d]", at, i), s); err != nil {
				return err
			}
		}
	}
	return nil
}

// findKey returns the path of the first object key named key in v, or "".
func findKey(v any, key, at string) string {
	switch v := v.(type) {
	case map[string]any:
		if _, ok := v[key]; ok {
			return at
		}
		for _, k := range sortedKeys(v) {
			if p := findKey(v[k], key, at+"."+k); p != "" {
				return p
			}
		}
	case []any:
		for i, e := range v {
			if p := findKey(e, key, fmt.Sprintf("%s[%d]", at, i)); p != "" {
				return p
			}
		}
	}
	return ""
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

func jsonKind(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case []any:
		return "an array"
	case string:
		return "a string"
	case float64:
		return "a number"
	case bool:
		return "a boolean"
	}
	return "an object"
}

func compact(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}
