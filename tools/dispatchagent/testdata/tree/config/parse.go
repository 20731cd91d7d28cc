package config

// ParseConfig reads the TOML file at path.
func ParseConfig(path string) error { return nil }
