package server

import (
	"log/slog"
	"net"
	"sync"
	"sync/atomic"
	"time"
)

// limitConnections caps the connections open at once on l. A connection
// past the cap is closed as soon as it is accepted: the client learns at
// once, rather than waiting in the kernel's queue for a slot.
func limitConnections(l net.Listener, max int, logger *slog.Logger) net.Listener {
	return &limitListener{Listener: l, slots: make(chan struct{}, max), logger: logger}
}

type limitListener struct {
	net.Listener
	slots  chan struct{}
	logger *slog.Logger

	refused atomic.Int64
	warned  atomic.Int64 // unix seconds of the last warning
}

func (l *limitListener) Accept() (net.Conn, error) {
	for {
		c, err := l.Listener.Accept()
		if err != nil {
			return nil, err
		}
		select {
		case l.slots <- struct{}{}:
			return &slotConn{Conn: c, free: sync.OnceFunc(func() { <-l.slots })}, nil
		default:
			c.Close()
			l.refused.Add(1)
			// One warning every ten seconds at most: a flood of connections
			// must not become a flood of log lines.
			now, last := time.Now().Unix(), l.warned.Load()
			if now-last >= 10 && l.warned.CompareAndSwap(last, now) {
				l.logger.Warn("refusing connections: too many open (-max-conns)", "max", cap(l.slots), "refused", l.refused.Load())
			}
		}
	}
}

// slotConn gives its slot back when closed.
type slotConn struct {
	net.Conn
	free func()
}

func (c *slotConn) Close() error {
	err := c.Conn.Close()
	c.free()
	return err
}
