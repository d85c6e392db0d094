// Package credits holds serialized credits as serial ranges: batches, issue,
// transfer, retire, cancel and retirement records. (Being built: see issue 5.)
package credits
