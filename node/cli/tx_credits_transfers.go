package cli

import (
	"github.com/spf13/cobra"

	creditsv1 "github.com/jcredit/jcredit/proto/jcredit/credits/v1"
)

// Two-step transfers: the sender offers, the recipient accepts, the sender
// may cancel until then (x/credits msg_offer_transfer.go). An open offer
// is a lock whose agent is the recipient: "q credits locks --agent <me>
// --status open" lists those offered to an account.

func newTxCreditsOfferCmd() *cobra.Command {
	var (
		sel   selection
		until int64
	)
	cmd := &cobra.Command{
		Use:   "offer <recipient>",
		Short: "Offer credits to a recipient who must accept them (a two-step transfer; by --quantity or --serials)",
		Long: `Offer active credits you hold to a recipient, who must accept them ("tx credits
accept LK-...") before they move: for counterparties that must not receive
unreviewed credits. Until then the credits are held (LOCKED, for the recipient)
and you may take them back ("tx credits cancel-offer LK-..."); if nobody acts
they return to you at the end of block --until (default: the longest a lock may
last). The offer's id (LK-...) is in the transaction's events; the recipient
lists what it is offered with "q credits locks --agent <recipient> --status open".`,
		Example: `  jcreditd tx credits offer buyer --serials JC-00000001-RE-2024-0000000001-0000000100 --from seller`,
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			to, err := resolveAddress(cmd, args[0])
			if err != nil {
				return err
			}
			f, err := sel.filter()
			if err != nil {
				return err
			}
			return sendChecked(cmd, "", &creditsv1.MsgOfferTransfer{Recipient: to.Hex(), Quantity: sel.quantity, Filter: f, Serials: sel.serials, ExpiresHeight: until})
		},
	}
	sel.register(cmd)
	cmd.Flags().Int64Var(&until, "until", 0, "the last height at which the recipient may accept (0: the longest a lock may last)")
	addDryRunFlags(cmd, false)
	return cmd
}

func newTxCreditsAcceptCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "accept <transfer-id>",
		Short: "Accept credits offered to you, e.g. LK-00000001: they become yours (signer: the recipient)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return sendChecked(cmd, "", &creditsv1.MsgAcceptTransfer{LockId: args[0]})
		},
	}
	addDryRunFlags(cmd, false)
	return cmd
}

func newTxCreditsCancelOfferCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "cancel-offer <transfer-id>",
		Short: "Take back credits you offered that are not yet accepted (signer: the sender)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return sendChecked(cmd, "", &creditsv1.MsgCancelTransfer{LockId: args[0]})
		},
	}
	addDryRunFlags(cmd, false)
	return cmd
}
