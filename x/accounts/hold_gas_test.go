package accounts_test

import (
	"testing"

	"google.golang.org/protobuf/proto"

	"github.com/jcredit/jcredit/app/apptest"
	"github.com/jcredit/jcredit/app/store"
	"github.com/jcredit/jcredit/x/accounts"
	"github.com/jcredit/jcredit/x/accounts/types"
	"github.com/jcredit/jcredit/x/module"
)

// TestHoldCostsOneReadWithoutPolicy: what thresholds add to the
// transaction of an account without a policy is one metered read of its
// absent po/ key, and no write.
func TestHoldCostsOneReadWithoutPolicy(t *testing.T) {
	c := apptest.New(t, withCredits(t, "alice"))
	snap, err := c.App.Snapshot()
	if err != nil {
		t.Fatal(err)
	}
	meter := module.NewGasMeter(1 << 30)
	buf := store.NewCache(snap)
	ctx := module.NewContext(store.Metered(buf, meter), apptest.ChainID, c.Height+1, c.Time)
	ctx.Gas, ctx.Account = meter, c.AccountNumber("alice")
	held, err := accounts.NewKeeper().Hold(ctx, apptest.Addr("alice"), []proto.Message{retireMsg(1)}, nil)
	if err != nil || held {
		t.Fatalf("held %v, %v", held, err)
	}
	key := len(types.StorePrefix) + len(types.PolicyKey(ctx.Account))
	if want := module.Costs.ReadFlat + module.Costs.ReadPerByte*uint64(key); meter.Used() != want {
		t.Fatalf("Hold used %d gas, want one read of a %d-byte key: %d", meter.Used(), key, want)
	}
	t.Logf("a transaction of an account without a policy pays %d gas for the policy lookup", meter.Used())
}
