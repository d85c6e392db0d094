package api

import (
	"net"
	"net/http"
	"sync"
	"time"
)

// Limits bound what clients can hold of the server. The API is public: a
// client that opens connections and keeps them idle, or sends its request a
// byte a minute, must not starve the others (nor the node it runs in, whose
// file descriptors it shares).
type Limits struct {
	// MaxConns caps open client connections. When a new client comes and
	// the cap is reached, the connection idle the longest is closed to make
	// room; if none is idle, the newcomer gets 503 and is closed.
	MaxConns int
	// ReadHeaderTimeout, ReadTimeout: a request must arrive in full within
	// these (slow-loris clients are cut off).
	ReadHeaderTimeout time.Duration
	ReadTimeout       time.Duration
	// WriteTimeout bounds one answer (a proof is built within 30 s).
	WriteTimeout time.Duration
	// IdleTimeout closes keep-alive connections left idle this long.
	IdleTimeout time.Duration
	// MaxHeaderBytes caps request headers.
	MaxHeaderBytes int
	// MaxExports caps the exports (?format=csv|jsonl) streaming at once:
	// each reads a whole list, so a newcomer beyond it gets 503.
	MaxExports int
}

// DefaultLimits are the limits Start uses unless Server.Limits is changed.
var DefaultLimits = Limits{
	MaxConns:          256,
	ReadHeaderTimeout: 5 * time.Second,
	ReadTimeout:       15 * time.Second,
	WriteTimeout:      60 * time.Second,
	IdleTimeout:       30 * time.Second,
	MaxHeaderBytes:    32 << 10,
	MaxExports:        4,
}

// connLimiter is a listener that keeps at most max connections open,
// closing the longest-idle one when a new client needs room. The server's
// ConnState hook tells it which connections are idle.
type connLimiter struct {
	net.Listener
	max int

	mu    sync.Mutex
	open  map[net.Conn]struct{}
	idle  map[net.Conn]time.Time
	stats LimiterStats
}

// LimiterStats count what the limiter did (for tests and logs).
type LimiterStats struct {
	Open, MaxOpen    int
	Evicted, Refused int
	Accepted         int
}

func newConnLimiter(ln net.Listener, max int) *connLimiter {
	return &connLimiter{Listener: ln, max: max, open: map[net.Conn]struct{}{}, idle: map[net.Conn]time.Time{}}
}

// busy is written to a client refused because every connection is busy.
const busy = "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\nConnection: close\r\nContent-Length: 60\r\n\r\n" +
	`{"error":"the server is busy: too many connections; retry"}` + "\n"

func (l *connLimiter) Accept() (net.Conn, error) {
	for {
		c, err := l.Listener.Accept()
		if err != nil {
			return nil, err
		}
		var evict net.Conn
		l.mu.Lock()
		if len(l.open) >= l.max {
			var victim net.Conn
			var since time.Time
			for ic, t := range l.idle {
				if victim == nil || t.Before(since) {
					victim, since = ic, t
				}
			}
			if victim == nil {
				l.stats.Refused++
				l.mu.Unlock()
				_ = c.SetWriteDeadline(time.Now().Add(time.Second))
				_, _ = c.Write([]byte(busy))
				c.Close()
				continue
			}
			delete(l.idle, victim)
			delete(l.open, victim)
			l.stats.Evicted++
			evict = victim
		}
		tc := &trackedConn{Conn: c, l: l}
		l.open[tc] = struct{}{}
		l.stats.Accepted++
		if len(l.open) > l.stats.MaxOpen {
			l.stats.MaxOpen = len(l.open)
		}
		l.mu.Unlock()
		if evict != nil {
			evict.Close() // its server goroutine ends on the closed connection
		}
		return tc, nil
	}
}

// connState is the server's ConnState hook.
func (l *connLimiter) connState(c net.Conn, st http.ConnState) {
	l.mu.Lock()
	defer l.mu.Unlock()
	switch st {
	case http.StateIdle:
		if _, ok := l.open[c]; ok {
			l.idle[c] = time.Now()
		}
	case http.StateActive, http.StateNew:
		delete(l.idle, c)
	case http.StateClosed, http.StateHijacked:
		delete(l.idle, c)
		delete(l.open, c)
	}
}

func (l *connLimiter) Stats() LimiterStats {
	l.mu.Lock()
	defer l.mu.Unlock()
	s := l.stats
	s.Open = len(l.open)
	return s
}

// trackedConn leaves the limiter's books when closed, whoever closes it.
type trackedConn struct {
	net.Conn
	l    *connLimiter
	once sync.Once
}

func (c *trackedConn) Close() error {
	c.once.Do(func() {
		c.l.mu.Lock()
		delete(c.l.idle, c)
		delete(c.l.open, c)
		c.l.mu.Unlock()
	})
	return c.Conn.Close()
}
