package cli

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"

	"github.com/spf13/cobra"
	"google.golang.org/protobuf/encoding/protojson"

	accountsv1 "github.com/jcredit/jcredit/proto/jcredit/accounts/v1"
	creditsv1 "github.com/jcredit/jcredit/proto/jcredit/credits/v1"
	creditstypes "github.com/jcredit/jcredit/x/credits/types"
)

// The commands of the scheme's rules: batch labels, legacy imports, the
// use-table proposal, and the flags that give a batch its identifiers and
// a place its code.

// parseLabel reads a label as people write it: "corsia:first" (or
// pilot, second, third, fourth), "ca:requested", "ca:applied", "article6",
// "ccp".
func parseLabel(s string) (*creditsv1.Label, error) {
	kind, arg, _ := strings.Cut(strings.ToLower(strings.TrimSpace(s)), ":")
	switch kind {
	case "corsia":
		p, ok := creditsv1.CorsiaPhase_value[enumName("CORSIA_PHASE_", arg)]
		if !ok || p == 0 {
			return nil, fmt.Errorf("label %q: name the CORSIA phase, e.g. corsia:first (%s)", s, enumChoices("CORSIA_PHASE_", creditsv1.CorsiaPhase_name))
		}
		return &creditsv1.Label{Kind: creditsv1.LabelKind_LABEL_KIND_CORSIA_ELIGIBLE, CorsiaPhase: creditsv1.CorsiaPhase(p)}, nil
	case "ca", "corresponding-adjustment":
		a, ok := creditsv1.AdjustmentStatus_value[enumName("ADJUSTMENT_STATUS_", arg)]
		if !ok || a == 0 {
			return nil, fmt.Errorf("label %q: say ca:requested or ca:applied", s)
		}
		return &creditsv1.Label{Kind: creditsv1.LabelKind_LABEL_KIND_CORRESPONDING_ADJUSTMENT, Adjustment: creditsv1.AdjustmentStatus(a)}, nil
	case "article6", "article-6":
		return &creditsv1.Label{Kind: creditsv1.LabelKind_LABEL_KIND_ARTICLE6_AUTHORIZED}, nil
	case "ccp", "icvcm-ccp":
		return &creditsv1.Label{Kind: creditsv1.LabelKind_LABEL_KIND_ICVCM_CCP}, nil
	}
	return nil, fmt.Errorf("label %q: use corsia:<phase>, ca:requested, ca:applied, article6 or ccp", s)
}

func parseLabels(list []string) ([]*creditsv1.Label, error) {
	var out []*creditsv1.Label
	for _, s := range list {
		l, err := parseLabel(s)
		if err != nil {
			return nil, err
		}
		out = append(out, l)
	}
	return out, nil
}

// location holds the flags that name a place.
type location struct{ prefecture, municipality, municipalityCode string }

func (l *location) register(cmd *cobra.Command, prefix, what string) {
	f := cmd.Flags()
	f.StringVar(&l.prefecture, prefix+"prefecture", "", what+": prefecture, as a JIS X 0401 code (26), ISO code (JP-26) or name (京都府, Kyoto)")
	f.StringVar(&l.municipality, prefix+"municipality", "", what+": city, ward, town or village (optional)")
	f.StringVar(&l.municipalityCode, prefix+"municipality-code", "", what+": five-digit local government code, JIS X 0402 (optional)")
}

// value is the place, or nil if no flag was given.
func (l *location) value(flag string) (*creditsv1.Location, error) {
	if l.prefecture == "" && l.municipality == "" && l.municipalityCode == "" {
		return nil, nil
	}
	code := creditstypes.PrefectureCodeOf(l.prefecture)
	if code == "" {
		return nil, fmt.Errorf("--%s %q names no prefecture: give its JIS X 0401 code, 01 (Hokkaido) to 47 (Okinawa)", flag, l.prefecture)
	}
	return &creditsv1.Location{PrefectureCode: code, Municipality: l.municipality, MunicipalityCode: l.municipalityCode}, nil
}

// identifiers holds the flags of a batch's official identifiers and energy.
type identifiers struct {
	scheme, creditType, cert string
	kwh, mj                  uint64
	labels                   []string
}

func (i *identifiers) register(cmd *cobra.Command) {
	f := cmd.Flags()
	f.StringVar(&i.scheme, "scheme-symbol", "", "制度記号: JC or JCL (default JC)")
	f.StringVar(&i.creditType, "credit-type", "", "クレジット種別: ER, ERL or FM (default FM for forest, ERL under JCL, else ER)")
	f.StringVar(&i.cert, "certification-number", "", "クレジット認証番号 (default: the report id)")
	f.Uint64Var(&i.kwh, "electricity-kwh", 0, "renewable electricity the credits represent, kWh, from the verified report")
	f.Uint64Var(&i.mj, "heat-mj", 0, "renewable heat the credits represent, MJ, from the verified report")
	f.StringArrayVar(&i.labels, "label", nil, "a label the batch starts with: corsia:<phase>, ca:requested, ca:applied, article6, ccp (repeatable)")
}

func newTxCreditsLabelCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "label",
		Short: "Add, change or remove a batch's label, with a reason (signer: a ministry)",
		Long: `Labels record what ministries decide about a batch after issuance: CORSIA
eligibility for a phase (corsia:pilot|first|second|third|fourth), a
corresponding adjustment (ca:requested, then ca:applied), Article 6
authorisation (article6), the ICVCM CCP label (ccp). Retirements check the
labels as they stand at their height; every change is kept as a record
(q credits label-history).`,
	}
	var reason string
	mk := func(use string, remove bool) *cobra.Command {
		c := &cobra.Command{
			Use:     use + " <batch-id> <label>",
			Short:   map[bool]string{false: "Add a label (or change a corresponding adjustment's status)", true: "Remove a label"}[remove],
			Example: "  jcreditd tx credits label " + use + " JC-00000001 corsia:first --reason \"ICAO TAB decision\" --from meti",
			Args:    cobra.ExactArgs(2),
			RunE: func(cmd *cobra.Command, args []string) error {
				l, err := parseLabel(args[1])
				if err != nil {
					return err
				}
				return broadcastMsgs(cmd, &creditsv1.MsgSetBatchLabel{BatchId: args[0], Label: l, Remove: remove, Reason: reason})
			},
		}
		c.Flags().StringVar(&reason, "reason", "", "why (required)")
		_ = c.MarkFlagRequired("reason")
		return c
	}
	cmd.AddCommand(mk("add", false), mk("remove", true))
	return cmd
}

func newTxCreditsImportLegacyCmd() *cobra.Command {
	var (
		m     creditsv1.MsgImportLegacyBatch
		cat   string
		where location
		ls    []string
	)
	cmd := &cobra.Command{
		Use:   "import-legacy <holder>",
		Short: "Import a block of J-VER or 国内クレジット credits with their original identifiers and serials (signer: a ministry)",
		Long: `Bring credits issued under J-VER (scheme symbol JP) or 国内クレジット (KC, KCP)
into the registry as a batch held by <holder>, with their original credit
type, certification number and serials. A block of original serials of one
certification number can be imported once.`,
		Example: `  jcreditd tx credits import-legacy 0xAbC... --scheme-symbol JP --credit-type JRM \
    --certification-number JV-0123 --original-project J-VER-0042 --project-name "Kochi forest" \
    --methodology R001 --category forest --vintage-start 2012-04-01 --vintage-end 2013-03-31 \
    --prefecture 39 --original-start 5001 --original-end 5100 --reason "from the J-VER registry" --from meti`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			holder, err := resolveAddress(cmd, args[0])
			if err != nil {
				return err
			}
			if m.Category, err = parseCategory(cat); err != nil {
				return err
			}
			if m.Origin, err = where.value("prefecture"); err != nil {
				return err
			}
			if m.Labels, err = parseLabels(ls); err != nil {
				return err
			}
			m.Holder = holder.Hex()
			return broadcastMsgs(cmd, &m)
		},
	}
	f := cmd.Flags()
	f.StringVar(&m.SchemeSymbol, "scheme-symbol", "", "制度記号: JP (J-VER), KC or KCP (国内クレジット) (required)")
	f.StringVar(&m.CreditType, "credit-type", "", "クレジット種別 as the earlier scheme gave it, e.g. JRM, KRM, KC (required)")
	f.StringVar(&m.CertificationNumber, "certification-number", "", "クレジット認証番号 (required)")
	f.StringVar(&m.OriginalProjectId, "original-project", "", "the project's number in the earlier scheme (required)")
	f.StringVar(&m.ProjectName, "project-name", "", "the project's name")
	f.StringVar(&m.Methodology, "methodology", "", "the methodology as the earlier scheme named it (required)")
	f.StringVar(&cat, "category", "", "category: "+enumChoices("CATEGORY_", creditsv1.Category_name)+" (required)")
	f.StringVar(&m.VintageStart, "vintage-start", "", "first day of the monitoring period, YYYY-MM-DD (required)")
	f.StringVar(&m.VintageEnd, "vintage-end", "", "last day of the monitoring period, YYYY-MM-DD (required)")
	where.register(cmd, "", "where the credits were created")
	f.Uint64Var(&m.OriginalSerialStart, "original-start", 0, "first original serial of the block (required)")
	f.Uint64Var(&m.OriginalSerialEnd, "original-end", 0, "last original serial of the block (required)")
	f.StringVar(&m.OriginalSerials, "original-serials", "", "the block as the earlier registry wrote it (optional)")
	f.Uint64Var(&m.ElectricityKwh, "electricity-kwh", 0, "renewable electricity the credits represent, kWh")
	f.Uint64Var(&m.HeatMj, "heat-mj", 0, "renewable heat the credits represent, MJ")
	f.StringArrayVar(&ls, "label", nil, "a label: corsia:<phase>, ca:requested, ca:applied, article6, ccp (repeatable)")
	f.StringVar(&m.Reason, "reason", "", "why and from where (required)")
	for _, r := range []string{"scheme-symbol", "credit-type", "certification-number", "original-project", "methodology", "category",
		"vintage-start", "vintage-end", "prefecture", "original-start", "original-end", "reason"} {
		_ = cmd.MarkFlagRequired(r)
	}
	return cmd
}

func newTxAccountsProposeUseTableCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "propose-use-table <table.json>",
		Short: "Propose a new credits use table (the category-by-use rules); applies when the ministry quorum approves (signer: a ministry)",
		Long: `Propose the next version of the use table every retirement is checked
against. The file is a UseTable in JSON, as "jcreditd q credits use-table -o
json" prints one (its version, height, time and proposal id are set by the
registry). Other ministries approve with "tx accounts approve <proposal id>";
the approval that reaches the quorum puts it in force from that transaction.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			bz, err := os.ReadFile(args[0])
			if err != nil {
				return err
			}
			// A query's output wraps the table in "value".
			var wrapped struct {
				Value json.RawMessage `json:"value"`
			}
			if json.Unmarshal(bz, &wrapped) == nil && len(wrapped.Value) > 0 {
				bz = wrapped.Value
			}
			t := &creditsv1.UseTable{}
			if err := (protojson.UnmarshalOptions{DiscardUnknown: true}).Unmarshal(bz, t); err != nil {
				return fmt.Errorf("%s is not a use table in JSON: %w", args[0], err)
			}
			t.Version, t.Height, t.Time, t.ProposalId = 0, 0, nil, 0
			return broadcastMsgs(cmd, &accountsv1.MsgProposeUseTable{Change: &accountsv1.UseTableChange{Table: t}})
		},
	}
}
