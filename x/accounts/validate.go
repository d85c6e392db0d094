package accounts

import (
	"strings"

	accountsv1 "github.com/jcredit/jcredit/proto/jcredit/accounts/v1"
	"github.com/jcredit/jcredit/x/accounts/types"
	"github.com/jcredit/jcredit/x/module"
)

// normalizeRoles sorts roles and rejects unknown or repeated ones.
func normalizeRoles(roles []accountsv1.Role) ([]accountsv1.Role, error) {
	seen := map[accountsv1.Role]bool{}
	out := make([]accountsv1.Role, 0, len(roles))
	for _, r := range roles {
		if _, ok := accountsv1.Role_name[int32(r)]; !ok || r == accountsv1.Role_ROLE_UNSPECIFIED {
			return nil, ErrInvalidAccount.Wrapf("unknown role %d", r)
		}
		if seen[r] {
			return nil, ErrInvalidAccount.Wrapf("role %s given twice", r)
		}
		seen[r] = true
		out = append(out, r)
	}
	// Insertion sort: a handful of roles at most.
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && out[j] < out[j-1]; j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out, nil
}

func validateFields(legalName string, kind accountsv1.EntityKind, country string) error {
	if p := module.TextProblem(legalName, 256, true); p != "" {
		return ErrInvalidAccount.Wrapf("legal name %s", p)
	}
	if _, ok := accountsv1.EntityKind_name[int32(kind)]; !ok || kind == accountsv1.EntityKind_ENTITY_KIND_UNSPECIFIED {
		return ErrInvalidAccount.Wrapf("entity kind must be one of corporation, local government, individual, foreign entity, government")
	}
	return types.ValidateCountry(country)
}

// roleName is the lower-case name of a role ("ministry"), as people say it.
func roleName(r accountsv1.Role) string {
	return strings.ToLower(strings.TrimPrefix(r.String(), "ROLE_"))
}

// ParseRole accepts "provider", "PROVIDER" or "ROLE_PROVIDER".
func ParseRole(s string) (accountsv1.Role, error) {
	name := strings.ToUpper(strings.TrimSpace(s))
	if !strings.HasPrefix(name, "ROLE_") {
		name = "ROLE_" + name
	}
	v, ok := accountsv1.Role_value[name]
	if !ok || v == 0 {
		return 0, ErrInvalidAccount.Wrapf("unknown role %q; roles are ministry, secretariat, verifier, provider, creator, holder, settlement", s)
	}
	return accountsv1.Role(v), nil
}

// MaxReasonBytes bounds the reason given for a status change.
const MaxReasonBytes = 512

// validateReason requires a reason a later reader can understand.
func validateReason(reason string) error {
	if p := module.TextProblem(reason, MaxReasonBytes, true); p != "" {
		return ErrInvalidStatusReason.Wrapf("reason %s; give a reason of 1 to %d bytes of plain text (it is recorded on the account)", p, MaxReasonBytes)
	}
	return nil
}

// rolesString renders roles as "provider,holder" for events.
func rolesString(roles []accountsv1.Role) string {
	names := make([]string, len(roles))
	for i, r := range roles {
		names[i] = roleName(r)
	}
	return strings.Join(names, ",")
}

func sortStrings(s []string) {
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && s[j] < s[j-1]; j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
}
