package module

import (
	"bytes"
	"encoding/json"

	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"
)

// genesisJSON is the one encoding of exported genesis states: proto field
// names, enums by name, unset fields left out.
var genesisJSON = protojson.MarshalOptions{UseProtoNames: true}

// MarshalGenesis encodes a module's exported genesis state. protojson
// deliberately varies its whitespace between builds so that nobody relies
// on its bytes; the output is therefore compacted by encoding/json, which
// leaves exactly one spelling. With the records in store-key order (each
// ExportGenesis lists them so), the same state always gives the same bytes.
func MarshalGenesis(m proto.Message) (json.RawMessage, error) {
	bz, err := genesisJSON.Marshal(m)
	if err != nil {
		return nil, err
	}
	var out bytes.Buffer
	if err := json.Compact(&out, bz); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}

// Records calls f with the key (relative to prefix) and value of every
// entry of s under prefix, in key order; it stops at f's first error.
func Records(s KVStore, prefix []byte, f func(key, value []byte) error) error {
	it := s.Iterator(prefix, PrefixEnd(prefix))
	defer it.Close()
	for ; it.Valid(); it.Next() {
		if err := f(it.Key()[len(prefix):], it.Value()); err != nil {
			return err
		}
	}
	return nil
}
