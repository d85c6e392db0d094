package upgrade

// Event types the module emits.
const (
	EventScheduled = "upgrade.scheduled"
	EventCancelled = "upgrade.cancelled"
	EventApplied   = "upgrade.applied"
)
