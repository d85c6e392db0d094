package credits

import (
	"encoding/json"
	"strconv"
	"strings"

	"google.golang.org/protobuf/proto"

	creditsv1 "github.com/jcredit/jcredit/proto/jcredit/credits/v1"
	"github.com/jcredit/jcredit/x/credits/types"
	"github.com/jcredit/jcredit/x/module"
)

// queryRules answers the rule and label queries (see Query). Single
// records are provable: their answer names the key that backs them.
func (k *Keeper) queryRules(s module.KVStore, head, arg string) (module.QueryResult, error) {
	st := store(s)
	switch head {
	case "use-table":
		v := readSeq(st, types.SeqUseTable)
		if arg != "" {
			n, err := strconv.ParseUint(arg, 10, 64)
			if err != nil {
				return module.QueryResult{}, module.ErrBadQuery.Wrapf("use-table version %q is not a number", arg)
			}
			v = n
		}
		t, err := getUseTable(st, v)
		if err != nil {
			return module.QueryResult{}, err
		}
		if t == nil {
			return module.QueryResult{}, module.ErrNotFound.Wrapf("no use table version %d (the current is %d)", v, readSeq(st, types.SeqUseTable))
		}
		return result(protoJSON(t), types.UseTableStoreKey(v))
	case "use-tables":
		out := struct {
			Current uint64            `json:"current,string"`
			Tables  []json.RawMessage `json:"tables"`
		}{Current: readSeq(st, types.SeqUseTable), Tables: []json.RawMessage{}}
		err := module.Walk(st, types.UseTablePrefix, module.PrefixEnd(types.UseTablePrefix), migrateChunk, func(_, v []byte) error {
			t := &creditsv1.UseTable{}
			if err := proto.Unmarshal(v, t); err != nil {
				return module.ErrInternal.Wrapf("%v", err)
			}
			out.Tables = append(out.Tables, protoJSON(t))
			return nil
		})
		if err != nil {
			return module.QueryResult{}, err
		}
		return jsonResult(out, nil)
	case "label-change":
		id, num, _ := strings.Cut(arg, "/")
		bn, err := types.ParseBatchID(id)
		if err != nil {
			return module.QueryResult{}, module.ErrBadQuery.Wrapf("%v", err)
		}
		n, err := strconv.ParseUint(num, 10, 64)
		if err != nil || n == 0 {
			return module.QueryResult{}, module.ErrBadQuery.Wrapf("label-change/<batch id>/<change number from 1>")
		}
		c, err := getLabelChange(st, bn, n)
		if err != nil {
			return module.QueryResult{}, err
		}
		if c == nil {
			return module.QueryResult{}, module.ErrNotFound.Wrapf("batch %s has no label change %d", id, n)
		}
		return k.withAccounts(s, protoJSON(c), types.LabelChangeStoreKey(bn, n), c.MinistryAccount)
	case "label-changes":
		b, err := k.GetBatch(s, arg)
		if err != nil {
			return module.QueryResult{}, notFound(err)
		}
		out := struct {
			Batch   string            `json:"batch_id"`
			Labels  []json.RawMessage `json:"labels"`
			Changes []json.RawMessage `json:"changes"`
		}{Batch: b.Id, Labels: []json.RawMessage{}, Changes: []json.RawMessage{}}
		for _, l := range b.Labels {
			out.Labels = append(out.Labels, protoJSON(l))
		}
		var nums []uint64
		for n := uint64(1); n <= b.LabelChanges && n <= QueryLimit; n++ {
			c, err := getLabelChange(st, b.Number, n)
			if err != nil {
				return module.QueryResult{}, err
			}
			if c != nil {
				out.Changes = append(out.Changes, protoJSON(c))
				nums = append(nums, c.MinistryAccount)
			}
		}
		refs, err := k.refs(s, nums...)
		if err != nil {
			return module.QueryResult{}, err
		}
		return jsonResult(struct {
			Batch    string            `json:"batch_id"`
			Labels   []json.RawMessage `json:"labels"`
			Changes  []json.RawMessage `json:"changes"`
			Accounts any               `json:"accounts"`
		}{out.Batch, out.Labels, out.Changes, refs}, nil)
	}
	return module.QueryResult{}, module.ErrBadQuery.Wrapf("unknown credits query %q", head)
}
