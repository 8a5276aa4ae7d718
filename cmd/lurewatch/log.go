package main

import (
	"fmt"
	"os"

	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
)

// newLogger returns a zap logger writing to stderr: readable console lines
// on a terminal, JSON otherwise (format "auto"), or as format says.
func newLogger(format, level string) (*zap.Logger, error) {
	lvl, err := parseLogLevel(level)
	if err != nil {
		return nil, err
	}
	if format == "" || format == "auto" {
		format = "json"
		if isTerminal(os.Stderr) {
			format = "console"
		}
	}
	var cfg zap.Config
	switch format {
	case "console":
		cfg = zap.NewDevelopmentConfig()
		cfg.DisableStacktrace = true
		cfg.EncoderConfig.EncodeTime = zapcore.TimeEncoderOfLayout("15:04:05.000")
	case "json":
		cfg = zap.NewProductionConfig()
		cfg.EncoderConfig.EncodeTime = zapcore.ISO8601TimeEncoder
		cfg.Sampling = nil
	default:
		return nil, fmt.Errorf("log format %q: want auto, console or json", format)
	}
	cfg.Level = zap.NewAtomicLevelAt(lvl)
	cfg.OutputPaths = []string{"stderr"}
	cfg.ErrorOutputPaths = []string{"stderr"}
	return cfg.Build()
}

func parseLogLevel(s string) (zapcore.Level, error) {
	lvl, err := zapcore.ParseLevel(s)
	if err != nil {
		return lvl, fmt.Errorf("log level %q: want debug, info, warn or error", s)
	}
	return lvl, nil
}

func isTerminal(f *os.File) bool {
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}
