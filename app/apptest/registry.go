package apptest

import (
	"fmt"
	"math/rand"
	"time"

	"google.golang.org/protobuf/types/known/timestamppb"

	creditsv1 "github.com/jcredit/jcredit/proto/jcredit/credits/v1"
	creditstypes "github.com/jcredit/jcredit/x/credits/types"
)

// Registry is a large, varied credits genesis for tests and benchmarks of
// the read side: batches of every category over several projects, and
// retirements by several accounts for several beneficiaries, uses, fiscal
// years and dates, each retiring one serial (so a batch's ranges are its
// retired serials, one range each, then an active tail held by Holder).
// It is deterministic: the same sizes give the same state.
type Registry struct {
	Batches     []*creditsv1.Batch
	Ranges      []*creditsv1.Range
	Retirements []*creditsv1.Retirement
	// Cancellations: none unless a test adds them (with their ranges).
	Cancellations []*creditsv1.Cancellation
}

// Registry parameters: who retires, for whom, and what.
var (
	// RegistryRetirers are the genesis accounts (apptest names) that sign
	// the retirements, in turn; RegistryHolder holds every active credit.
	RegistryRetirers = []string{"meti", "moe", "maff", "secretariat"}
	RegistryHolder   = "meti"
	// RegistryBeneficiaries are the beneficiary names, in turn.
	RegistryBeneficiaries = []string{"株式会社みどり製作所", "京都ボイラー株式会社", "Kansai Paper K.K.", "東北電力ネットワーク", "Shizuoka Tea Co-op",
		"さくら食品", "Ōsaka Transit"}
	// RegistryProjects are the batches' projects, in turn.
	RegistryProjects = []string{"JCP-000001", "JCP-000002", "JCP-000003"}
	// RegistryStart is the first retirement's time; each is three hours
	// after the one before (10,000 retirements span four fiscal years).
	RegistryStart = time.Date(2023, 4, 1, 0, 0, 0, 0, time.UTC)
)

// registryUses are the retirements' uses, in turn: ones every category may
// take, so that the records are such as the chain could have written.
var registryUses = []creditsv1.Use{
	creditsv1.Use_USE_CARBON_OFFSET, creditsv1.Use_USE_GLOBAL_WARMING_ACT, creditsv1.Use_USE_OTHER,
}

// registryCategories are the batches' categories, in turn.
var registryCategories = []creditsv1.Category{
	creditsv1.Category_CATEGORY_ENERGY_SAVING, creditsv1.Category_CATEGORY_RENEWABLE_ELECTRICITY,
	creditsv1.Category_CATEGORY_FOREST, creditsv1.Category_CATEGORY_RENEWABLE_HEAT, creditsv1.Category_CATEGORY_AGRICULTURE,
}

// NewRegistry builds a registry of batches batches and retirements
// retirements, drawing each retirement's batch, accounts, beneficiary and
// use from a fixed-seed generator (so that filters combine in every way).
func NewRegistry(batches, retirements int) *Registry {
	r := &Registry{}
	rnd := rand.New(rand.NewSource(int64(batches)*1_000_003 + int64(retirements)))
	per := make([]uint64, batches) // serials retired so far per batch
	for i := 0; i < batches; i++ {
		n := uint64(i + 1)
		year := 2019 + i%6
		r.Batches = append(r.Batches, &creditsv1.Batch{
			Id: creditstypes.BatchID(n), Number: n, ProjectId: RegistryProjects[i%len(RegistryProjects)],
			ReportId: fmt.Sprintf("R-%06d", n), Methodology: "EN-S-001", Category: registryCategories[i%len(registryCategories)],
			VintageStart: fmt.Sprintf("%d-04-01", year), VintageEnd: fmt.Sprintf("%d-03-31", year+1),
			Issued: uint64(retirements/batches+2) * 20,
		})
	}
	for i := 0; i < retirements; i++ {
		n := uint64(i + 1)
		bi := rnd.Intn(batches)
		for per[bi]+1 >= r.Batches[bi].Issued { // full: the next one
			bi = (bi + 1) % batches
		}
		b := r.Batches[bi]
		per[bi]++
		serial := per[bi]
		id := creditstypes.RetirementID(n)
		when := RegistryStart.Add(time.Duration(i) * 3 * time.Hour)
		s := creditstypes.SerialOf(b, serial, serial)
		ret := &creditsv1.Retirement{
			Id: id, Account: Addr(RegistryRetirers[rnd.Intn(len(RegistryRetirers))]).Hex(),
			Beneficiary: RegistryBeneficiaries[rnd.Intn(len(RegistryBeneficiaries))], Uses: []creditsv1.Use{registryUses[rnd.Intn(len(registryUses))]},
			Details: fmt.Sprintf("report %d", i), FiscalYear: FiscalYear(when), Quantity: 1, Height: 1,
			Blocks: []*creditsv1.SerialBlock{{BatchId: b.Id, Start: serial, End: serial, Serials: creditstypes.FormatSerial(s)}},
			Time:   timestamppb.New(when),
		}
		if rnd.Intn(5) == 0 {
			ret.BeneficiaryAccount = Addr(RegistryRetirers[rnd.Intn(len(RegistryRetirers))]).Hex()
		}
		r.Retirements = append(r.Retirements, ret)
		r.Ranges = append(r.Ranges, &creditsv1.Range{BatchId: b.Id, Start: serial, End: serial, Owner: Addr(RegistryHolder).Hex(),
			Status: creditsv1.RangeStatus_RANGE_STATUS_RETIRED, RetirementId: id})
	}
	for i, b := range r.Batches {
		r.Ranges = append(r.Ranges, &creditsv1.Range{BatchId: b.Id, Start: per[i] + 1, End: b.Issued, Owner: Addr(RegistryHolder).Hex(),
			Status: creditsv1.RangeStatus_RANGE_STATUS_ACTIVE})
	}
	return r
}

// Genesis is the registry as the credits module's genesis.
func (r *Registry) Genesis() *creditsv1.GenesisState {
	return &creditsv1.GenesisState{Batches: r.Batches, Ranges: r.Ranges, Retirements: r.Retirements, Cancellations: r.Cancellations}
}

// jst is Japan Standard Time.
var jst = time.FixedZone("JST", 9*60*60)

// FiscalYear is the Japanese fiscal year (April to March, Japan time) of t.
func FiscalYear(t time.Time) uint32 {
	t = t.In(jst)
	if t.Month() < time.April {
		return uint32(t.Year() - 1)
	}
	return uint32(t.Year())
}
