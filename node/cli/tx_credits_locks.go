package cli

import (
	"github.com/spf13/cobra"

	creditsv1 "github.com/jcredit/jcredit/proto/jcredit/credits/v1"
)

// Settlement locks (escrow): the seller locks, the agent settles or
// releases (x/credits locks.go).

func newTxCreditsLockCmd() *cobra.Command {
	var (
		sel       selection
		until     int64
		reference string
	)
	cmd := &cobra.Command{
		Use:   "lock <agent>",
		Short: "Lock credits you hold for a settlement agent until a height (by --quantity or --serials)",
		Long: `Lock credits you hold for a settlement agent (an account with the settlement
role: an exchange's or a provider's settlement account) until --until (a block
height). While locked you cannot transfer, retire or lock them again; the agent
settles them to the buyer it names ("tx credits settle") or releases them
("tx credits release"); if it does neither they return to you at the end of
block --until. The lock's id (LK-...) is in the transaction's events; a buyer
can prove the lock before paying with "jcreditd proof serial <serial>".`,
		Example: `  jcreditd tx credits lock tse-settlement --serials JC-00000001-RE-2024-0000000001-0000000100 --until 120000 --reference "TSE 2026-0412-001" --from seller`,
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			agent, err := resolveAddress(cmd, args[0])
			if err != nil {
				return err
			}
			f, err := sel.filter()
			if err != nil {
				return err
			}
			return sendChecked(cmd, "", &creditsv1.MsgLock{Agent: agent.Hex(), Quantity: sel.quantity, Filter: f, Serials: sel.serials,
				ExpiresHeight: until, Reference: reference})
		},
	}
	sel.register(cmd)
	cmd.Flags().Int64Var(&until, "until", 0, "the last height at which the agent may settle (required)")
	cmd.Flags().StringVar(&reference, "reference", "", "the trade's reference at the agent")
	_ = cmd.MarkFlagRequired("until")
	addDryRunFlags(cmd, false)
	return cmd
}

func newTxCreditsSettleCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "settle <lock-id> <buyer>",
		Short: "Transfer a lock's credits to the buyer (signer: the lock's settlement agent)",
		Args:  cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			buyer, err := resolveAddress(cmd, args[1])
			if err != nil {
				return err
			}
			return sendChecked(cmd, "", &creditsv1.MsgSettle{LockId: args[0], Buyer: buyer.Hex()})
		},
	}
	addDryRunFlags(cmd, false)
	return cmd
}

func newTxCreditsReleaseCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "release <lock-id>",
		Short: "Return a lock's credits to the holder: the trade failed (signer: the lock's settlement agent)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return sendChecked(cmd, "", &creditsv1.MsgRelease{LockId: args[0]})
		},
	}
	addDryRunFlags(cmd, false)
	return cmd
}
