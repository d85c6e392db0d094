package store

import (
	"github.com/jcredit/jcredit/x/module"
)

// Metered wraps parent so that every access charges meter from
// module.Costs: reads and writes a flat cost plus a cost per byte of key
// and value, iterators a cost to open plus one per step and per byte they
// yield. A charge that passes the meter's limit panics with
// module.OutOfGas before the access is made (the per-byte part of a read
// is charged once the value is known). Charges depend only on the
// sequence of calls, so every validator charges the same.
func Metered(parent module.KVStore, meter *module.GasMeter) module.KVStore {
	return &meteredStore{parent: parent, meter: meter, costs: module.Costs}
}

type meteredStore struct {
	parent module.KVStore
	meter  *module.GasMeter
	costs  module.GasCosts
}

func (s *meteredStore) Get(key []byte) []byte {
	s.meter.Charge(s.costs.ReadFlat, "read")
	v := s.parent.Get(key)
	s.meter.Charge(s.costs.ReadPerByte*uint64(len(key)+len(v)), "read bytes")
	return v
}

func (s *meteredStore) Has(key []byte) bool { return s.Get(key) != nil }

func (s *meteredStore) Set(key, value []byte) {
	s.meter.Charge(s.costs.WriteFlat+s.costs.WritePerByte*uint64(len(key)+len(value)), "write")
	s.parent.Set(key, value)
}

func (s *meteredStore) Delete(key []byte) {
	s.meter.Charge(s.costs.WriteFlat+s.costs.WritePerByte*uint64(len(key)), "delete")
	s.parent.Delete(key)
}

func (s *meteredStore) Iterator(start, end []byte) module.Iterator {
	s.meter.Charge(s.costs.IterOpen, "iterator")
	return s.wrap(s.parent.Iterator(start, end))
}

func (s *meteredStore) ReverseIterator(start, end []byte) module.Iterator {
	s.meter.Charge(s.costs.IterOpen, "iterator")
	return s.wrap(s.parent.ReverseIterator(start, end))
}

func (s *meteredStore) wrap(it module.Iterator) module.Iterator {
	m := &meteredIterator{Iterator: it, s: s}
	m.chargeCurrent()
	return m
}

// meteredIterator charges IterStep for each Next and the bytes of each
// key it arrives at.
type meteredIterator struct {
	module.Iterator
	s *meteredStore
}

func (it *meteredIterator) chargeCurrent() {
	if it.Iterator.Valid() {
		it.s.meter.Charge(it.s.costs.ReadPerByte*uint64(len(it.Iterator.Key())+len(it.Iterator.Value())), "iterator bytes")
	}
}

func (it *meteredIterator) Next() {
	it.s.meter.Charge(it.s.costs.IterStep, "iterator step")
	it.Iterator.Next()
	it.chargeCurrent()
}

var _ module.KVStore = (*meteredStore)(nil)
