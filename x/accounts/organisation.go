package accounts

import (
	"google.golang.org/protobuf/proto"

	accountsv1 "github.com/jcredit/jcredit/proto/jcredit/accounts/v1"
	"github.com/jcredit/jcredit/x/accounts/types"
	"github.com/jcredit/jcredit/x/module"
)

// Bounds of the organisation fields (bytes).
const (
	MaxPostalAddressBytes      = 512
	MaxDepartmentBytes         = 256
	MaxRegistrationNumberBytes = 64
)

// validateOrganisation checks the organisation details an account is
// opened with (MsgOpenAccount, genesis): a corporate number only for a
// domestic body that the National Tax Agency numbers (corporation,
// government, local government; country JP), with its check digit right; a
// registration number only for a foreign entity, whose country must then
// not be JP; a department only under a corporate number (it is what links
// department accounts); plain text everywhere.
func validateOrganisation(kind accountsv1.EntityKind, country, corporateNumber, registrationNumber, postalAddress, department string) error {
	if corporateNumber != "" {
		if err := types.ValidateCorporateNumber(corporateNumber); err != nil {
			return err
		}
		switch kind {
		case accountsv1.EntityKind_ENTITY_KIND_CORPORATION, accountsv1.EntityKind_ENTITY_KIND_GOVERNMENT, accountsv1.EntityKind_ENTITY_KIND_LOCAL_GOVERNMENT:
		default:
			return ErrInvalidDetails.Wrapf("a corporate number belongs to a corporation, government body or local government, not to a %s account; a foreign entity gives registration_number instead", kindName(kind))
		}
		if country != "JP" {
			return ErrInvalidDetails.Wrapf("a corporate number (法人番号) is Japanese: the account's country must be JP, not %s (a foreign entity gives registration_number)", country)
		}
	}
	if registrationNumber != "" {
		if kind != accountsv1.EntityKind_ENTITY_KIND_FOREIGN_ENTITY {
			return ErrInvalidDetails.Wrapf("registration_number is for foreign entities; a %s account gives its corporate number (法人番号)", kindName(kind))
		}
		if country == "JP" {
			return ErrInvalidDetails.Wrapf("a foreign entity's country is that of its home register, not JP")
		}
		if p := module.TextProblem(registrationNumber, MaxRegistrationNumberBytes, true); p != "" {
			return ErrInvalidDetails.Wrapf("registration number %s", p)
		}
	}
	if department != "" && corporateNumber == "" {
		return ErrInvalidDetails.Wrapf("a department account names its corporation's corporate number, which links it to the corporation's other accounts")
	}
	return validateDetails(postalAddress, department)
}

// validateDetails checks the free-text details the secretariat may change.
func validateDetails(postalAddress, department string) error {
	if p := module.TextProblem(postalAddress, MaxPostalAddressBytes, false); p != "" {
		return ErrInvalidDetails.Wrapf("postal address %s", p)
	}
	if p := module.TextProblem(department, MaxDepartmentBytes, false); p != "" {
		return ErrInvalidDetails.Wrapf("department %s", p)
	}
	return nil
}

func kindName(k accountsv1.EntityKind) string {
	switch k {
	case accountsv1.EntityKind_ENTITY_KIND_INDIVIDUAL:
		return "individual"
	case accountsv1.EntityKind_ENTITY_KIND_FOREIGN_ENTITY:
		return "foreign entity"
	default:
		return k.String()
	}
}

// DetailsHistory returns version v of account n's replaced details, or nil.
func (k *Keeper) DetailsHistory(s module.KVStore, n, v uint64) (*accountsv1.AccountDetails, error) {
	bz := k.store(s).Get(types.DetailsHistoryKey(n, v))
	if bz == nil {
		return nil, nil
	}
	d := &accountsv1.AccountDetails{}
	if err := proto.Unmarshal(bz, d); err != nil {
		return nil, module.ErrInternal.Wrapf("details %d/%d: %v", n, v, err)
	}
	return d, nil
}

func (k *Keeper) setDetailsHistory(s module.KVStore, d *accountsv1.AccountDetails) {
	k.store(s).Set(types.DetailsHistoryKey(d.Account, d.Version), marshal(d))
}
