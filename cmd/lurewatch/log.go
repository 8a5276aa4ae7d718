package main

import (
	"fmt"
	"io"
	"os"
	"sync"

	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
)

// newLogger returns a zap logger writing to w (the App's stderr): readable
// console lines when w is a terminal, JSON otherwise (format "auto"), or as
// format says.
func newLogger(w io.Writer, format, level string) (*zap.Logger, error) {
	lvl, err := parseLogLevel(level)
	if err != nil {
		return nil, err
	}
	if format == "" || format == "auto" {
		format = "json"
		if f, ok := w.(*os.File); ok && isTerminal(f) {
			format = "console"
		}
	}
	var enc zapcore.Encoder
	switch format {
	case "console":
		cfg := zap.NewDevelopmentEncoderConfig()
		cfg.EncodeTime = zapcore.TimeEncoderOfLayout("15:04:05.000")
		enc = zapcore.NewConsoleEncoder(cfg)
	case "json":
		cfg := zap.NewProductionEncoderConfig()
		cfg.EncodeTime = zapcore.ISO8601TimeEncoder
		enc = zapcore.NewJSONEncoder(cfg)
	default:
		return nil, fmt.Errorf("log format %q: want auto, console or json", format)
	}
	core := zapcore.NewCore(enc, zapcore.AddSync(&lockedWriter{w: w}), lvl)
	return zap.New(core, zap.AddCaller(), zap.ErrorOutput(zapcore.AddSync(&lockedWriter{w: w}))), nil
}

// lockedWriter serialises writes to a writer that is not safe for
// concurrent use (a test's buffer; os.File is, but the lock costs nothing
// next to a log line's encoding).
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
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
