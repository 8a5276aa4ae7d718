package queue

import (
	"fmt"
	"net"
	"path/filepath"
	"strconv"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"go.uber.org/zap"
)

// startEmbedded starts an in-process NATS server with JetStream, its file
// store under dataDir/jetstream. listen is "" to accept only in-process
// connections, or a host:port ("127.0.0.1:0" picks a free port) that must be
// a loopback address unless allowAnyListen is set.
func startEmbedded(dataDir, listen string, allowAnyListen bool, log *zap.Logger) (*server.Server, error) {
	opts := &server.Options{
		ServerName: "lurewatch-embedded",
		JetStream:  true,
		StoreDir:   filepath.Join(dataDir, "jetstream"),
		NoSigs:     true,
		// JetStream's own limits: the file store grows as needed; memory
		// is used for nothing but caches.
		JetStreamMaxMemory: 64 << 20,
	}
	if listen == "" {
		opts.DontListen = true
	} else {
		host, portStr, err := net.SplitHostPort(listen)
		if err != nil {
			return nil, fmt.Errorf("embedded nats listen address %q: %w", listen, err)
		}
		ip := net.ParseIP(host)
		if !allowAnyListen && (ip == nil || !ip.IsLoopback()) {
			return nil, fmt.Errorf("embedded nats listen address %q: only loopback addresses are allowed", listen)
		}
		port, err := strconv.Atoi(portStr)
		if err != nil {
			return nil, fmt.Errorf("embedded nats listen port %q: %w", portStr, err)
		}
		if port == 0 {
			port = server.RANDOM_PORT
		}
		opts.Host, opts.Port = host, port
	}
	srv, err := server.NewServer(opts)
	if err != nil {
		return nil, fmt.Errorf("embedded nats: %w", err)
	}
	srv.SetLoggerV2(natsLogger{log.Named("nats").WithOptions(zap.AddCallerSkip(1))}, false, false, false)
	go srv.Start()
	if !srv.ReadyForConnections(30 * time.Second) {
		srv.Shutdown()
		return nil, fmt.Errorf("embedded nats: not ready after 30s")
	}
	return srv, nil
}

// natsLogger sends nats-server's log lines to zap.
type natsLogger struct{ l *zap.Logger }

func (n natsLogger) Noticef(format string, v ...any) { n.l.Debug(fmt.Sprintf(format, v...)) }
func (n natsLogger) Warnf(format string, v ...any)   { n.l.Warn(fmt.Sprintf(format, v...)) }
func (n natsLogger) Fatalf(format string, v ...any)  { n.l.Error(fmt.Sprintf(format, v...)) }
func (n natsLogger) Errorf(format string, v ...any)  { n.l.Error(fmt.Sprintf(format, v...)) }
func (n natsLogger) Debugf(format string, v ...any)  { n.l.Debug(fmt.Sprintf(format, v...)) }
func (n natsLogger) Tracef(format string, v ...any)  { n.l.Debug(fmt.Sprintf(format, v...)) }
