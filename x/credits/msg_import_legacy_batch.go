package credits

import (
	"encoding/binary"
	"fmt"

	accountsv1 "github.com/jcredit/jcredit/proto/jcredit/accounts/v1"
	creditsv1 "github.com/jcredit/jcredit/proto/jcredit/credits/v1"
	"github.com/jcredit/jcredit/x/credits/types"
	"github.com/jcredit/jcredit/x/module"
)

// validateImportLegacyBatch checks MsgImportLegacyBatch without state.
func validateImportLegacyBatch(m *creditsv1.MsgImportLegacyBatch) error {
	if !types.Legacy(m.SchemeSymbol) {
		return ErrInvalidIdentifier.Wrapf("scheme symbol %q: import J-VER (JP) or 国内クレジット (KC, KCP) credits; J-Credits are issued by certification", m.SchemeSymbol)
	}
	if m.OriginalSerialStart == 0 || m.OriginalSerialEnd < m.OriginalSerialStart {
		return ErrInvalidMsg.Wrapf("original serials %d-%d: give the first and last serial of the block (from 1, inclusive)", m.OriginalSerialStart, m.OriginalSerialEnd)
	}
	qty := m.OriginalSerialEnd - m.OriginalSerialStart + 1
	if qty > MaxBatchQuantity {
		return ErrInvalidMsg.Wrapf("a batch holds at most %d credits", uint64(MaxBatchQuantity))
	}
	if _, ok := parseAddress(m.Holder); !ok {
		return ErrInvalidMsg.Wrapf("holder %q is not a 0x-prefixed address with a valid checksum", m.Holder)
	}
	if p := module.TextProblem(m.OriginalProjectId, 64, true); p != "" {
		return ErrInvalidMsg.Wrapf("give the original project id (1 to 64 bytes of plain text); it %s", p)
	}
	if p := module.TextProblem(m.Methodology, 32, true); p != "" {
		return ErrInvalidMsg.Wrapf("give the methodology as the earlier scheme named it (1 to 32 bytes of plain text); it %s", p)
	}
	if types.CategoryCode(m.Category) == "" {
		return ErrInvalidMsg.Wrapf("unknown category %s", m.Category)
	}
	vs, err := parseDate(m.VintageStart)
	if err != nil {
		return ErrInvalidMsg.Wrapf("vintage start: %v", err)
	}
	ve, err := parseDate(m.VintageEnd)
	if err != nil {
		return ErrInvalidMsg.Wrapf("vintage end: %v", err)
	}
	if ve.Before(vs) {
		return ErrInvalidMsg.Wrapf("vintage ends (%s) before it starts (%s)", m.VintageEnd, m.VintageStart)
	}
	if p := module.TextProblem(m.OriginalSerials, MaxNameLen, false); p != "" {
		return ErrInvalidMsg.Wrapf("the original serials (at most %d bytes of plain text) %s", MaxNameLen, p)
	}
	if p := module.TextProblem(m.Reason, MaxDetailsLen, true); p != "" {
		return ErrInvalidMsg.Wrapf("an import needs a reason of 1 to %d bytes of plain text; this reason %s", MaxDetailsLen, p)
	}
	if m.Origin == nil {
		return ErrInvalidMsg.Wrapf("give the place the credits were created (prefecture code)")
	}
	return checkBatchFacts(m.SchemeSymbol, m.CreditType, m.CertificationNumber, m.Category, m.ElectricityKwh, m.HeatMj, m.ProjectName, m.Origin, m.Labels)
}

// ImportLegacyBatch lets a ministry bring credits issued under J-VER or
// 国内クレジット into the registry, at any height (not only at genesis),
// with their original identifiers: scheme symbol, credit type,
// certification number and serials. They become a batch of their own,
// held by one active account, with serials 1..n in the registry's format;
// the batch records the original block, and every retirement of its
// credits names the original serials too. A block of original serials of
// one scheme symbol and certification number can be imported once: a
// request overlapping an earlier import is refused, naming it.
func (k *Keeper) ImportLegacyBatch(ctx module.Context, m *creditsv1.MsgImportLegacyBatch) error {
	if !k.accounts.HasRole(ctx.Store, ctx.Account, accountsv1.Role_ROLE_MINISTRY) {
		return ErrUnauthorized.Wrapf("importing credits requires the ministry role; %s does not hold it", ctx.Signer.Hex())
	}
	addr, _ := parseAddress(m.Holder)
	holder, err := k.accountOf(ctx.Store, addr, "holder")
	if err != nil {
		return err
	}
	if !k.accounts.IsActive(ctx.Store, holder) {
		return ErrRecipientInactive.Wrapf("%s is not an active account; the secretariat must open or reinstate it first", k.accounts.Describe(ctx.Store, holder))
	}
	st := store(ctx.Store)
	if prev, err := importedOverlap(st, m.SchemeSymbol, m.CertificationNumber, m.OriginalSerialStart, m.OriginalSerialEnd); err != nil {
		return err
	} else if prev != "" {
		return ErrAlreadyImported.Wrapf("%s %s serials %d-%d overlap %s", m.SchemeSymbol, m.CertificationNumber, m.OriginalSerialStart, m.OriginalSerialEnd, prev)
	}
	qty := m.OriginalSerialEnd - m.OriginalSerialStart + 1
	b := &creditsv1.Batch{
		ProjectId: m.OriginalProjectId, Methodology: m.Methodology, Category: m.Category,
		VintageStart: m.VintageStart, VintageEnd: m.VintageEnd,
		SchemeSymbol: m.SchemeSymbol, CreditType: m.CreditType, CertificationNumber: m.CertificationNumber,
		ElectricityKwh: m.ElectricityKwh, HeatMj: m.HeatMj, ProjectName: m.ProjectName, Origin: m.Origin,
		Legacy: &creditsv1.LegacyOrigin{
			OriginalProjectId: m.OriginalProjectId, OriginalSerialStart: m.OriginalSerialStart,
			OriginalSerialEnd: m.OriginalSerialEnd, OriginalSerials: m.OriginalSerials,
		},
	}
	b, err = k.createBatch(ctx, b, qty, []*creditsv1.Allocation{{Account: holder, Quantity: qty}}, m.Labels, "labelled at import: "+m.Reason)
	if err != nil {
		return err
	}
	st.Set(types.LegacyKey(m.SchemeSymbol, m.CertificationNumber, m.OriginalSerialStart), types.LegacyValue(m.OriginalSerialEnd, b.Number))
	ctx.Emit(EventImport,
		module.Indexed("batch", b.Id),
		module.Indexed("scheme", m.SchemeSymbol),
		module.Indexed("certification_number", m.CertificationNumber),
		module.Plain("original_serials", fmt.Sprintf("%d-%d", m.OriginalSerialStart, m.OriginalSerialEnd)),
		module.Plain("holder", addr.Hex()),
		module.Plain("reason", m.Reason))
	return nil
}

// importedOverlap names the earlier import overlapping original serials
// [start, end] of scheme and cert ("" if none). Imported blocks never
// overlap one another, so the block starting last at or before end is the
// only candidate.
func importedOverlap(st module.KVStore, scheme, cert string, start, end uint64) (string, error) {
	p := types.LegacyCertPrefix(scheme, cert)
	hi := module.PrefixEnd(p)
	if end < ^uint64(0) {
		hi = types.LegacyKey(scheme, cert, end+1)
	}
	it := st.ReverseIterator(p, hi)
	defer it.Close()
	if !it.Valid() {
		return "", nil
	}
	k := it.Key()
	prevStart := binary.BigEndian.Uint64(k[len(k)-8:])
	prevEnd, batch, ok := types.ParseLegacyValue(it.Value())
	if !ok {
		return "", module.ErrInternal.Wrapf("malformed import entry %x", k)
	}
	if prevEnd < start {
		return "", nil
	}
	return fmt.Sprintf("serials %d-%d, imported as batch %s", prevStart, prevEnd, types.BatchID(batch)), nil
}
