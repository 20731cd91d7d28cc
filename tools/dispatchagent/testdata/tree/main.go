package main

func main() { config.ParseConfig("app.toml") }
