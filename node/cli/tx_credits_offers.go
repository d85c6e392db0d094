package cli

import (
	"github.com/spf13/cobra"

	creditsv1 "github.com/jcredit/jcredit/proto/jcredit/credits/v1"
)

// Offers of credits for sale (売り出しクレジット一覧): a holder publishes and
// withdraws; anyone lists them with "q credits offers" or GET
// /api/v1/offers (x/credits offers.go).

func newTxCreditsPublishOfferCmd() *cobra.Command {
	var (
		sel     selection
		price   uint64
		contact string
	)
	cmd := &cobra.Command{
		Use:   "publish-offer",
		Short: "Publish an offer of credits you hold for sale (--quantity, optional --batch/--category/--vintage, --price, --contact)",
		Long: `Publish an offer of active credits you hold for sale: up to --quantity of
those matching --batch, --category and --vintage (unset: any), at --price yen
per t-CO2 (0 or unset: on request), with --contact (how buyers reach you).
Nothing is locked and no payment moves on chain: the list ("q credits offers",
GET /api/v1/offers) shows, with each offer, how many matching credits you hold
at the time it is read (at most the quantity); offers you can no longer
deliver are left out until you hold matching credits again. The offer's id
(OF-...) is in the transaction's events; "tx credits withdraw-offer" removes it.`,
		Example: `  jcreditd tx credits publish-offer --quantity 500 --category renewable-electricity --vintage 2024 --price 3200 --contact "sales@example.co.jp" --from seller`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			f, err := sel.filter()
			if err != nil {
				return err
			}
			return sendChecked(cmd, "", &creditsv1.MsgPublishOffer{Filter: f, Quantity: sel.quantity, PriceYenPerT: price, Contact: contact})
		},
	}
	fl := cmd.Flags()
	fl.Uint64Var(&sel.quantity, "quantity", 0, "the most credits offered (t-CO2; required)")
	fl.StringVar(&sel.batch, "batch", "", "offer only credits of this batch, e.g. JC-00000001")
	fl.StringVar(&sel.category, "category", "", "offer only credits of this category: "+enumChoices("CATEGORY_", creditsv1.Category_name))
	fl.Uint32Var(&sel.vintage, "vintage", 0, "offer only credits of batches whose vintage starts in this year")
	fl.Uint64Var(&price, "price", 0, "asking price in yen per t-CO2 (0: on request)")
	fl.StringVar(&contact, "contact", "", "how buyers reach you (required)")
	_ = cmd.MarkFlagRequired("quantity")
	_ = cmd.MarkFlagRequired("contact")
	addDryRunFlags(cmd, false)
	return cmd
}

func newTxCreditsWithdrawOfferCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "withdraw-offer <offer-id>",
		Short: "Withdraw an offer you published, e.g. OF-00000001: it leaves the list",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return sendChecked(cmd, "", &creditsv1.MsgWithdrawOffer{OfferId: args[0]})
		},
	}
	addDryRunFlags(cmd, false)
	return cmd
}
