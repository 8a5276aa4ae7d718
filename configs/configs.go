// Package configs holds lurewatch's default configuration files and builds
// the default rules file into the binary, so `lurewatch scan` and
// `lurewatch demo` work from any directory.
package configs

import _ "embed"

// DefaultRules is configs/rules/lures.yaml as built into the binary.
//
//go:embed rules/lures.yaml
var DefaultRules []byte

// DefaultRulesName names DefaultRules in error messages.
const DefaultRulesName = "configs/rules/lures.yaml"
