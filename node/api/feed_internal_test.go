package api

// FeedTestClient subscribes a bare client to f (no HTTP), for tests of
// the fan-out.
func FeedTestClient(f *Feed) *TestClient {
	c, ok := f.subscribe()
	if !ok {
		panic("feed full")
	}
	return &TestClient{c: c}
}

// TestClient is a feed client read directly.
type TestClient struct{ c *feedClient }

// Events is the client's buffer.
func (t *TestClient) Events() <-chan FeedEvent { return t.c.ch }

// Dropped reports whether the feed dropped the client.
func (t *TestClient) Dropped() bool {
	select {
	case <-t.c.dropped:
		return true
	default:
		return false
	}
}

// Unsubscribe removes a client made by FeedTestClient.
func (f *Feed) Unsubscribe(t *TestClient) { f.unsubscribe(t.c) }
