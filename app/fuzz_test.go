package app_test

// Fuzz targets of the transaction path (issue 10). `make test` runs their
// seed corpora (real signed transactions of every message type, and the
// regression inputs in testdata/fuzz); `make fuzz` runs each for
// FUZZTIME; .ci/run for a few seconds each.
//
//	FuzzCheckTx     arbitrary bytes into CheckTx: never a panic, never a
//	                state change, and acceptance implies a canonical,
//	                correctly signed transaction.
//	FuzzBlocks      a program of signed transactions (every message type,
//	                several signers, nonces right and wrong, raw bytes) cut
//	                into blocks, through ProcessProposal and FinalizeBlock
//	                on two nodes: no panic, the same app hash on both, the
//	                credits invariants after every block.
//	FuzzInitChain   arbitrary genesis app_state: refused with an error, or
//	                a chain whose invariants hold and that makes a block.
//	FuzzSnapshot    a state-sync peer's snapshot chunk and metadata: never
//	                a panic; a restore either matches the trusted app hash
//	                or is rejected.

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"testing"

	abci "github.com/cometbft/cometbft/abci/types"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"

	"github.com/jcredit/jcredit/app"
	"github.com/jcredit/jcredit/app/apptest"
	"github.com/jcredit/jcredit/app/store"
	"github.com/jcredit/jcredit/app/tx"
	accountsv1 "github.com/jcredit/jcredit/proto/jcredit/accounts/v1"
	creditsv1 "github.com/jcredit/jcredit/proto/jcredit/credits/v1"
	projectsv1 "github.com/jcredit/jcredit/proto/jcredit/projects/v1"
	upgradev1 "github.com/jcredit/jcredit/proto/jcredit/upgrade/v1"
	"github.com/jcredit/jcredit/x/accounts"
	"github.com/jcredit/jcredit/x/credits"
	creditstypes "github.com/jcredit/jcredit/x/credits/types"
)

// fuzzSigners are the accounts of the fuzzing chain, by role.
var fuzzSigners = []string{"meti", "moe", "maff", "secretariat", "kyoto", "kiwa", "prov", "h1", "h2", "stranger"}

// fuzzGenesis: the administrators, a creator, a verifier, a provider, two
// holders (and "stranger", who has no account); batches 1 (renewable
// electricity, 2024) and 2 (forest, 2023) held by h1, h2 and prov; two
// methodologies.
func fuzzGenesis(tb testing.TB) app.GenesisState {
	accs := apptest.DefaultAccounts()
	add := func(name string, roles ...accountsv1.Role) {
		accs = append(accs, apptest.GenesisAccount{Name: name, Roles: roles})
	}
	add("kyoto", accountsv1.Role_ROLE_CREATOR)
	add("kiwa", accountsv1.Role_ROLE_VERIFIER)
	add("prov", accountsv1.Role_ROLE_PROVIDER)
	add("h1", accountsv1.Role_ROLE_HOLDER)
	add("h2", accountsv1.Role_ROLE_HOLDER)
	cg := &creditsv1.GenesisState{}
	for n, spec := range []struct {
		cat     creditsv1.Category
		vintage string
	}{{creditsv1.Category_CATEGORY_RENEWABLE_ELECTRICITY, "2024-04-01"}, {creditsv1.Category_CATEGORY_FOREST, "2023-04-01"}} {
		b := &creditsv1.Batch{Id: creditstypes.BatchID(uint64(n + 1)), Number: uint64(n + 1), ProjectId: "P", ReportId: fmt.Sprint("R", n),
			Methodology: "EN-S-001", Category: spec.cat, VintageStart: spec.vintage, VintageEnd: spec.vintage[:4] + "-12-31", Issued: 300}
		for i, h := range []string{"h1", "h2", "prov"} {
			cg.Ranges = append(cg.Ranges, &creditsv1.Range{BatchId: b.Id, Start: uint64(100*i + 1), End: uint64(100*i + 100),
				Owner: apptest.Addr(h).Hex(), Status: creditsv1.RangeStatus_RANGE_STATUS_ACTIVE})
		}
		cg.Batches = append(cg.Batches, b)
	}
	cj, err := protojson.Marshal(cg)
	if err != nil {
		tb.Fatal(err)
	}
	pj, err := protojson.Marshal(&projectsv1.GenesisState{Methodologies: []*projectsv1.Methodology{
		{Code: "EN-S-001", Title: "Boiler replacement", Category: creditsv1.Category_CATEGORY_ENERGY_SAVING},
		{Code: "FO-001", Title: "Forest management", Category: creditsv1.Category_CATEGORY_FOREST},
	}})
	if err != nil {
		tb.Fatal(err)
	}
	return app.GenesisState{"accounts": apptest.AccountsGenesis(accs), "credits": cj, "projects": pj}
}

// fuzzKinds is the number of message kinds fuzzMsg builds.
const fuzzKinds = 37

// fuzzMsg builds message kind k (every routed message type has one) with
// small arguments a and b, so that the fuzzer reaches both the rules'
// successes and their refusals.
func fuzzMsg(k, a, b byte) proto.Message {
	who := func(x byte) string { return apptest.Addr(fuzzSigners[int(x)%len(fuzzSigners)]).Hex() }
	ser := func(batch, x, y byte) string {
		s := creditstypes.Serial{Batch: uint64(batch%2 + 1), Start: uint64(x)%300 + 1}
		s.Category, s.VintageYear = creditsv1.Category_CATEGORY_RENEWABLE_ELECTRICITY, 2024
		if s.Batch == 2 {
			s.Category, s.VintageYear = creditsv1.Category_CATEGORY_FOREST, 2023
		}
		s.End = s.Start + uint64(y%8)
		return creditstypes.FormatSerial(s)
	}
	project := fmt.Sprintf("JCP-%06d", a%4+1)
	report := fmt.Sprintf("%s-R%03d", project, b%3+1)
	fy := 2023 + int(b%3)
	switch k % fuzzKinds {
	case 0:
		return &creditsv1.MsgTransfer{Recipient: who(a), Quantity: uint64(b % 50)}
	case 1:
		return &creditsv1.MsgTransfer{Recipient: who(a), Serials: []string{ser(a, b, a^b)}}
	case 2:
		return &creditsv1.MsgRetire{Quantity: uint64(b%20) + 1, Beneficiary: "Kyoto K.K.", Use: creditsv1.Use(a%10 + 1), FiscalYear: 2025, BeneficiaryAccount: []string{"", who(b)}[a%2]}
	case 3:
		return &creditsv1.MsgRetire{Serials: []string{ser(a, b, a)}, Beneficiary: "Osaka K.K.", Details: "FY2025 report", Use: creditsv1.Use_USE_CARBON_OFFSET, FiscalYear: 2025}
	case 4:
		return &creditsv1.MsgCancel{Serials: []string{ser(a, b, b)}, Reason: "double counting"}
	case 5:
		return &accountsv1.MsgOpenAccount{Address: apptest.Addr(fmt.Sprint("new", a%8)).Hex(), LegalName: "New Co.", EntityKind: accountsv1.EntityKind_ENTITY_KIND_CORPORATION, Country: "JP", Roles: []accountsv1.Role{accountsv1.Role(b%6 + 1)}}
	case 6:
		return &accountsv1.MsgUpdateRoles{Address: who(a), Roles: []accountsv1.Role{accountsv1.Role(b%6 + 1)}}
	case 7:
		return &accountsv1.MsgSuspendAccount{Address: who(a), Reason: "audit"}
	case 8:
		return &accountsv1.MsgReactivateAccount{Address: who(a), Reason: "audit done"}
	case 9:
		return &accountsv1.MsgCloseAccount{Address: who(a), Reason: "left the scheme"}
	case 10:
		from, to := fuzzSigners[int(a)%len(fuzzSigners)], fmt.Sprint("rotated", b%4)
		sig, _ := accounts.SignRotation(apptest.ChainID, apptest.Addr(from), apptest.Key(to))
		return &accountsv1.MsgRotateKey{NewAddress: apptest.Addr(to).Hex(), NewKeySignature: sig}
	case 11:
		node := fmt.Sprint("node", a%3)
		ch := &accountsv1.ValidatorChange{
			Kind: accountsv1.ValidatorChangeKind(b%3 + 1), PubKey: apptest.ConsensusKey(node), Power: int64(b % 20), Operator: who(a), Name: "node"}
		if b%4 != 0 { // mostly with the key's possession proof, sometimes without
			apptest.ProvePossession(node, ch)
		}
		return &accountsv1.MsgProposeValidatorChange{Change: ch}
	case 12:
		return &accountsv1.MsgProposeMinistryRole{Change: &accountsv1.MinistryRoleChange{Address: who(a), Grant: b%2 == 0}}
	case 13:
		return &accountsv1.MsgProposeUpgrade{Change: &accountsv1.UpgradeChange{Plan: &upgradev1.Plan{Name: "v9", Height: int64(b) + 1000}}}
	case 14:
		return &accountsv1.MsgApproveProposal{ProposalId: uint64(a%4) + 1}
	case 15:
		return &projectsv1.MsgAdoptMethodology{Code: fmt.Sprintf("EN-R-%03d", a%4), Title: "Solar", Category: creditsv1.Category_CATEGORY_RENEWABLE_ELECTRICITY}
	case 16:
		return project16(a, b)
	case 17:
		return &projectsv1.MsgValidateProject{ProjectId: project}
	case 18:
		return &projectsv1.MsgRegisterProject{ProjectId: project}
	case 19:
		return []proto.Message{&projectsv1.MsgRejectProject{ProjectId: project, Reason: "no additionality"},
			&projectsv1.MsgTerminateProject{ProjectId: project, Reason: "site closed"}}[b%2]
	case 20:
		return &projectsv1.MsgSubmitReport{ProjectId: project, PeriodStart: fmt.Sprintf("%d-04-01", fy), PeriodEnd: fmt.Sprintf("%d-03-31", fy+1),
			ClaimedTCo2: uint64(b) + 1, DocumentHash: "2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae"}
	case 21:
		return &projectsv1.MsgVerifyReport{ReportId: report, VerifiedTCo2: uint64(a) + 1}
	case 23:
		label := &creditsv1.Label{Kind: creditsv1.LabelKind_LABEL_KIND_CORSIA_ELIGIBLE, CorsiaPhase: creditsv1.CorsiaPhase(b%4 + 1)}
		return &creditsv1.MsgSetBatchLabel{BatchId: creditstypes.BatchID(uint64(a%2 + 1)), Label: label, Remove: b%5 == 0, Reason: "ICAO list"}
	case 24:
		start := 5001 + uint64(a%4)*100
		return &creditsv1.MsgImportLegacyBatch{
			SchemeSymbol: "JP", CreditType: "JRM", CertificationNumber: fmt.Sprint("JV-", a%4), OriginalProjectId: "J-VER-0042",
			ProjectName: "Kochi prefectural forest", Methodology: "R001", Category: creditsv1.Category_CATEGORY_FOREST,
			VintageStart: "2012-04-01", VintageEnd: "2013-03-31", Origin: &creditsv1.Location{PrefectureCode: "39", Municipality: "梼原町"},
			OriginalSerialStart: start, OriginalSerialEnd: start + uint64(b%100), OriginalSerials: "JP-39-0042-xxxx",
			Holder: who(b), Reason: "transfer from the J-VER registry",
		}
	case 25:
		table := credits.DefaultUseTable()
		if b%2 == 0 {
			table.Rules = table.Rules[:len(table.Rules)-1-int(a)%3]
		}
		return &accountsv1.MsgProposeUseTable{Change: &accountsv1.UseTableChange{Table: table}}
	case 26:
		return &creditsv1.MsgRetire{Quantity: uint64(b%20) + 1, Beneficiary: "Kyoto K.K.",
			Uses: []creditsv1.Use{creditsv1.Use_USE_CARBON_OFFSET, creditsv1.Use(a%12 + 1)}[:1+int(b%2)], FiscalYear: 2025,
			OffsetTarget: &creditsv1.OffsetTarget{Kind: creditsv1.OffsetKind_OFFSET_KIND_EVENT, Name: "Tokyo marathon",
				Location: &creditsv1.Location{PrefectureCode: []string{"13", "26"}[a%2]}}}
	case 27:
		lock := fmt.Sprintf("LK-%08d", a%3+1)
		return []proto.Message{
			&creditsv1.MsgLock{Serials: []string{ser(a, b, a)}, Agent: who(b), ExpiresHeight: int64(b%8) + 2},
			&creditsv1.MsgLock{Quantity: uint64(b%20) + 1, Agent: who(a), ExpiresHeight: int64(a%8) + 3, Reference: "TSE"},
			&creditsv1.MsgSettle{LockId: lock, Buyer: who(b)},
			&creditsv1.MsgRelease{LockId: lock}}[(a+b)%4]
	case 28:
		return []proto.Message{
			&accountsv1.MsgSetGxOperator{Address: who(a), CorporateNumber: "1180301018771", FiscalYear: uint32(fy), VerifiedTCo2: uint64(b) * 100,
				DocumentHash: "2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae"},
			&accountsv1.MsgProposeGxEtsCap{Change: &accountsv1.GxEtsCapChange{CapPercent: uint32(b%120) + 1}}}[a%2]
	case 29:
		return &accountsv1.MsgUpdateAccountDetails{Address: who(a), LegalName: fmt.Sprint("Renamed ", b%3, " K.K."), PostalAddress: "東京都千代田区", Reason: "商号変更"}
	case 30:
		return &accountsv1.MsgGrantDelegation{Agent: who(a), MaxQuantity: uint64(b % 40), ExpiresHeight: int64(b%8) + 2,
			Actions: []accountsv1.DelegatedAction{accountsv1.DelegatedAction(a%4 + 1)}}
	case 31:
		if b%2 == 0 {
			return &accountsv1.MsgRevokeDelegation{Agent: who(a)}
		}
		return &creditsv1.MsgRetire{Quantity: uint64(b%20) + 1, Beneficiary: "Kyoto K.K.", Use: creditsv1.Use_USE_GLOBAL_WARMING_ACT, FiscalYear: 2025, OnBehalfOf: who(a)}
	case 32:
		return &accountsv1.MsgUpdateTrustedRecipients{Add: []string{who(a)}, Remove: []string{who(b)}[:int(b%2)],
			Restriction: accountsv1.TrustedRestriction(a % 3)}
	case 33: // offers of credits for sale
		if b%3 == 0 {
			return &creditsv1.MsgWithdrawOffer{OfferId: fmt.Sprintf("OF-%08d", a%3+1)}
		}
		return &creditsv1.MsgPublishOffer{Filter: &creditsv1.Filter{BatchId: []string{"", "JC-00000001", "JC-00000002"}[a%3]},
			Quantity: uint64(b%50) + uint64(a%2), PriceYenPerT: uint64(b) * 100, Contact: "sales desk"}
	case 34: // two-step transfers (locks whose agent is the recipient)
		lock := fmt.Sprintf("LK-%08d", a%3+1)
		return []proto.Message{
			&creditsv1.MsgOfferTransfer{Serials: []string{ser(a, b, a)}, Recipient: who(b), ExpiresHeight: int64(b%8) * int64(a%2)},
			&creditsv1.MsgOfferTransfer{Quantity: uint64(b%20) + 1, Recipient: who(a)},
			&creditsv1.MsgAcceptTransfer{LockId: lock},
			&creditsv1.MsgCancelTransfer{LockId: lock}}[(a+b)%4]
	case 35: // member keys: fresh addresses, each role, or a removal
		ch := &accountsv1.MemberChange{Address: apptest.Addr(fmt.Sprint("member", a%4)).Hex(), Role: accountsv1.MemberRole(b%3 + 1), Remove: b%4 == 3}
		return &accountsv1.MsgUpdateMembers{Changes: []*accountsv1.MemberChange{ch}}
	case 36: // threshold policies and pending actions
		return []proto.Message{
			&accountsv1.MsgSetThresholdPolicy{Rules: []*accountsv1.ThresholdRule{{Class: accountsv1.ActionClass(a%4 + 1), Approvals: uint32(b%3) + 1,
				AboveQuantity: uint64(b%2) * 10 * uint64(a%4/3)}}},
			&accountsv1.MsgApproveAction{ActionId: uint64(a%4) + 1},
			&accountsv1.MsgCancelAction{ActionId: uint64(b%4) + 1, Reason: "withdrawn"}}[(a+b)%3]
	default:
		return []proto.Message{&projectsv1.MsgCertifyReport{ReportId: report, CorsiaEligible: a%2 == 0},
			&projectsv1.MsgRejectReport{ReportId: report, Reason: "missing invoices"}}[b%2]
	}
}

func project16(a, b byte) proto.Message {
	m := &projectsv1.MsgSubmitProject{
		Name: "Plant boiler replacement", Kind: projectsv1.ProjectKind_PROJECT_KIND_STANDARD,
		Methodology: []string{"EN-S-001", "FO-001"}[a%2], Prefecture: "JP-26", CreditingStart: "2023-04-01", CreditingEnd: "2031-03-31",
		ExpectedReductions: uint64(b) + 1, PlanHash: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
	}
	if b%3 == 0 {
		m.Kind = projectsv1.ProjectKind_PROJECT_KIND_PROGRAM
		m.Members = []*projectsv1.MemberSpec{
			{Name: "Farm A", Site: "Ayabe", Address: apptest.Addr("h1").Hex(), ShareBps: 6000},
			{Name: "Farm B", Site: "Nantan", Address: apptest.Addr("h2").Hex(), ShareBps: 4000},
		}
	}
	return m
}

// seedTxs are real signed transactions: one of every message kind.
func seedTxs(tb testing.TB) [][]byte {
	var out [][]byte
	for k := byte(0); k < fuzzKinds; k++ {
		body, err := tx.Build(apptest.ChainID, 0, "", fuzzMsg(k, k, 2*k))
		if err != nil {
			tb.Fatal(err)
		}
		raw, err := tx.Sign(body, apptest.Key(fuzzSigners[int(k)%len(fuzzSigners)]))
		if err != nil {
			tb.Fatal(err)
		}
		out = append(out, raw)
	}
	return out
}

func FuzzCheckTx(f *testing.F) {
	for _, raw := range seedTxs(f) {
		f.Add(raw)
	}
	f.Add([]byte{})
	f.Add([]byte{0x0a, 0x00, 0x12, 0x00})
	c := apptest.NewInMemory(f, fuzzGenesis(f))
	ctx := context.Background()
	hash := bytes.Clone(c.LastHash)
	f.Fuzz(func(t *testing.T, raw []byte) {
		res, err := c.App.CheckTx(ctx, &abci.CheckTxRequest{Tx: raw, Type: abci.CHECK_TX_TYPE_CHECK})
		if err != nil {
			t.Fatal(err)
		}
		if res.Code == 0 {
			d, err := tx.Decode(raw)
			if err != nil {
				t.Fatalf("CheckTx accepted what tx.Decode refuses: %v", err)
			}
			if res.GasWanted <= 0 || d.Body.ChainId != apptest.ChainID {
				t.Fatalf("accepted with gas %d, chain %q", res.GasWanted, d.Body.ChainId)
			}
			// Let the next input be judged on the committed nonce again.
			if _, err := c.App.Commit(ctx, &abci.CommitRequest{}); err == nil {
				c.Height++
			}
		} else if res.Log == "" || res.Codespace == "" {
			t.Fatalf("refusal without an explanation: %+v", res)
		}
		if info, _ := c.App.Info(ctx, &abci.InfoRequest{}); !bytes.Equal(info.LastBlockAppHash, hash) {
			t.Fatal("CheckTx changed the committed state")
		}
	})
}

// fuzzProgram turns data into blocks of transactions. Each 5-byte
// instruction is: signer, message kind, two arguments, and a nonce byte
// (mostly the signer's next nonce; sometimes one off, a repeat of the last
// transaction, or raw bytes from the input). Kind 0xFF ends the block.
func fuzzProgram(tb testing.TB, data []byte) [][][]byte {
	nonces := map[string]uint64{}
	var blocks [][][]byte
	var cur, prev [][]byte
	for i := 0; i+5 <= len(data) && len(blocks) < 8; i += 5 {
		in := data[i : i+5]
		if in[1] == 0xFF {
			blocks, cur = append(blocks, cur), nil
			continue
		}
		signer := fuzzSigners[int(in[0])%len(fuzzSigners)]
		n := nonces[signer]
		gas := uint64(0)
		switch in[4] % 16 {
		case 0:
			n++ // a gap
		case 1:
			if n > 0 {
				n-- // a replay of a spent nonce
			}
		case 2:
			if len(prev) > 0 {
				cur = append(cur, prev[len(prev)-1]) // the same bytes again
				continue
			}
		case 3:
			end := min(len(data), i+5+int(in[3]))
			cur = append(cur, data[i+5:end]) // raw bytes
			continue
		case 4:
			gas = 100_000 + uint64(in[3])*1_000 // a tight gas limit
		case 5:
			gas = app.MaxTxGas + 1
		}
		msgs := []proto.Message{fuzzMsg(in[1], in[2], in[3])}
		if in[4]%16 == 6 {
			msgs = append(msgs, fuzzMsg(in[2], in[3], in[1]))
		}
		body, err := tx.Body{ChainID: apptest.ChainID, Nonce: n, GasLimit: gas}.Build(msgs...)
		if err != nil {
			tb.Fatal(err)
		}
		raw, err := tx.Sign(body, apptest.Key(signer))
		if err != nil {
			tb.Fatal(err)
		}
		if n == nonces[signer] {
			nonces[signer] = n + 1
		}
		cur = append(cur, raw)
		prev = cur
	}
	if len(cur) > 0 {
		blocks = append(blocks, cur)
	}
	return blocks
}

func FuzzBlocks(f *testing.F) {
	// Seeds: every message kind from its natural signer, in one block and
	// one per block; the project lifecycle in order.
	var all, split []byte
	for k := byte(0); k < fuzzKinds; k++ {
		all = append(all, k, k, k, 2*k, 7)
		split = append(split, k, k, k+1, k, 7, 0, 0xFF, 0, 0, 0)
	}
	f.Add(all)
	f.Add(split)
	f.Add([]byte{
		4, 16, 0, 1, 7, 0, 0xFF, 0, 0, 0, // kyoto submits JCP-000001
		5, 17, 0, 0, 7, 0, 0xFF, 0, 0, 0, // kiwa validates
		0, 18, 0, 0, 7, 0, 0xFF, 0, 0, 0, // meti registers
		4, 20, 0, 0, 7, 0, 0xFF, 0, 0, 0, // kyoto reports FY2023
		5, 21, 200, 0, 7, 0, 0xFF, 0, 0, 0, // kiwa verifies
		1, 22, 0, 0, 7, // moe certifies: credits issued
		7, 0, 4, 30, 7, 7, 3, 3, 3, 1, // h1 transfers to kyoto, h1 retires
	})
	f.Add([]byte{7, 1, 8, 5, 2, 7, 1, 8, 5, 1, 7, 2, 1, 1, 0, 8, 3, 1, 1, 3, 1, 2, 3})
	f.Fuzz(func(t *testing.T, data []byte) {
		blocks := fuzzProgram(t, data)
		gen := fuzzGenesis(t)
		a, b := apptest.NewInMemory(t, gen), apptest.NewInMemory(t, gen)
		ctx := context.Background()
		for h, txs := range blocks {
			proc, err := a.App.ProcessProposal(ctx, &abci.ProcessProposalRequest{Txs: txs, Height: a.Height + 1})
			if err != nil {
				t.Fatal(err)
			}
			if proc.Status != abci.PROCESS_PROPOSAL_STATUS_ACCEPT {
				continue
			}
			ra, rb := a.BlockResponse(txs...), b.BlockResponse(txs...)
			if !bytes.Equal(ra.AppHash, rb.AppHash) {
				t.Fatalf("block %d: two nodes reached different app hashes", h)
			}
			var gas int64
			for i, r := range ra.TxResults {
				gas += r.GasWanted
				if r.GasUsed > r.GasWanted || r.Code != rb.TxResults[i].Code || r.GasUsed != rb.TxResults[i].GasUsed {
					t.Fatalf("block %d tx %d: results differ or gas used %d > wanted %d", h, i, r.GasUsed, r.GasWanted)
				}
				if r.Code == 0 != (len(r.Data) == 0) {
					t.Fatalf("block %d tx %d: code %d with data %x", h, i, r.Code, r.Data)
				}
			}
			if gas > a.MaxGas {
				t.Fatalf("block %d reserved %d gas, max %d", h, gas, a.MaxGas)
			}
			snap, err := a.App.Snapshot()
			if err != nil {
				t.Fatal(err)
			}
			if err := credits.CheckInvariants(snap); err != nil {
				t.Fatalf("after block %d: %v", h, err)
			}
		}
		a.ReplayAll()
	})
}

func FuzzInitChain(f *testing.F) {
	good, err := json.Marshal(fuzzGenesis(f))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(good)
	f.Add([]byte(`{}`))
	f.Add([]byte(`{"accounts":{}}`))
	f.Add([]byte(`{"credits":{"batches":[{"id":"JC-00000001","number":"1","issued":"5"}]}}`))
	f.Add([]byte(`[]`))
	f.Fuzz(func(t *testing.T, appState []byte) {
		tree, err := store.NewMemTree()
		if err != nil {
			t.Fatal(err)
		}
		a, err := app.NewWithTree(tree)
		if err != nil {
			t.Fatal(err)
		}
		defer a.Close()
		ctx := context.Background()
		_, err = a.InitChain(ctx, &abci.InitChainRequest{ChainId: apptest.ChainID, Time: apptest.GenesisTime, InitialHeight: 1, AppStateBytes: appState})
		if err != nil {
			return // refused, and said why
		}
		if _, err := a.FinalizeBlock(ctx, &abci.FinalizeBlockRequest{Height: 1, Time: apptest.GenesisTime}); err != nil {
			t.Fatalf("an accepted genesis cannot make its first block: %v", err)
		}
		if _, err := a.Commit(ctx, &abci.CommitRequest{}); err != nil {
			t.Fatal(err)
		}
		snap, err := a.Snapshot()
		if err != nil {
			t.Fatal(err)
		}
		if err := credits.CheckInvariants(snap); err != nil {
			t.Fatalf("an accepted genesis breaks the credits invariants: %v", err)
		}
	})
}

func FuzzSnapshot(f *testing.F) {
	// A real snapshot of a small chain, in one chunk, and its app hash.
	src := apptest.NewInMemory(f, fuzzGenesis(f))
	src.Block(seedTxs(f)...)
	src.App.SetSnapshotOptions(app.SnapshotOptions{Interval: 1, ChunkSize: 1 << 22})
	ctx := context.Background()
	list, err := src.App.ListSnapshots(ctx, &abci.ListSnapshotsRequest{})
	if err != nil || len(list.Snapshots) == 0 {
		f.Fatalf("no snapshot: %v", err)
	}
	snap := list.Snapshots[0]
	chunk, err := src.App.LoadSnapshotChunk(ctx, &abci.LoadSnapshotChunkRequest{Height: snap.Height, Format: snap.Format})
	if err != nil {
		f.Fatal(err)
	}
	trusted := bytes.Clone(src.LastHash)
	f.Add(chunk.Chunk, true)
	f.Add(chunk.Chunk[:3], true)
	f.Add(chunk.Chunk[:len(chunk.Chunk)/2], true)
	f.Add([]byte{}, false)
	f.Fuzz(func(t *testing.T, data []byte, consistent bool) {
		dst, err := app.NewWithTree(mustMemTree(t))
		if err != nil {
			t.Fatal(err)
		}
		defer dst.Close()
		sum := sha256.Sum256(data)
		offer := &abci.Snapshot{Height: snap.Height, Format: app.SnapshotFormat, Chunks: 1, Hash: sum[:], Metadata: app.SnapshotMetadata(uint64(len(data)), [][]byte{sum[:]})}
		if !consistent {
			offer.Metadata = append(offer.Metadata, data...) // a wrong chunk count
		}
		o, err := dst.OfferSnapshot(ctx, &abci.OfferSnapshotRequest{Snapshot: offer, AppHash: trusted})
		if err != nil {
			t.Fatal(err)
		}
		if o.Result != abci.OFFER_SNAPSHOT_RESULT_ACCEPT {
			return
		}
		res, err := dst.ApplySnapshotChunk(ctx, &abci.ApplySnapshotChunkRequest{Index: 0, Chunk: data, Sender: "peer"})
		if err != nil {
			t.Fatalf("a peer's chunk made ApplySnapshotChunk fail: %v", err)
		}
		if res.Result == abci.APPLY_SNAPSHOT_CHUNK_RESULT_ACCEPT {
			if info, _ := dst.Info(ctx, &abci.InfoRequest{}); !bytes.Equal(info.LastBlockAppHash, trusted) {
				t.Fatalf("a restored state hashes to %X, the trusted app hash is %X", info.LastBlockAppHash, trusted)
			}
		}
	})
}

func mustMemTree(t *testing.T) *store.Tree {
	tree, err := store.NewMemTree()
	if err != nil {
		t.Fatal(err)
	}
	return tree
}

// TestFuzzMsgCoversEveryMessage: the fuzz targets' message kinds include
// every message type the app routes, so that a new message is fuzzed too.
func TestFuzzMsgCoversEveryMessage(t *testing.T) {
	seen := map[string]bool{}
	for k := byte(0); k < fuzzKinds; k++ {
		for a := byte(0); a < 4; a++ {
			for b := byte(0); b < 4; b++ {
				seen[string(proto.MessageName(fuzzMsg(k, a, b)))] = true
			}
		}
	}
	for _, name := range apptest.NewInMemory(t, fuzzGenesis(t)).App.Router().Names() {
		if !seen[name] {
			t.Errorf("fuzzMsg builds no %s", name)
		}
	}
}
