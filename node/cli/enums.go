package cli

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/ethereum/go-ethereum/common"
	"github.com/spf13/cobra"

	accountsv1 "github.com/jcredit/jcredit/proto/jcredit/accounts/v1"
	accountstypes "github.com/jcredit/jcredit/x/accounts/types"
)

// enumName turns "local government" / "local-government" into
// PREFIX_LOCAL_GOVERNMENT.
func enumName(prefix, s string) string {
	s = strings.ToUpper(strings.TrimSpace(s))
	s = strings.NewReplacer("-", "_", " ", "_").Replace(s)
	if !strings.HasPrefix(s, prefix) {
		s = prefix + s
	}
	return s
}

// enumChoices lists an enum's values the way users type them.
func enumChoices(prefix string, names map[int32]string) string {
	var out []string
	for n, name := range names {
		if n == 0 {
			continue
		}
		out = append(out, strings.ReplaceAll(strings.ToLower(strings.TrimPrefix(name, prefix)), "_", "-"))
	}
	sort.Strings(out)
	return strings.Join(out, ", ")
}

func parseKind(s string) (accountsv1.EntityKind, error) {
	v, ok := accountsv1.EntityKind_value[enumName("ENTITY_KIND_", s)]
	if !ok || v == 0 {
		return 0, fmt.Errorf("--kind %q: use one of %s", s, enumChoices("ENTITY_KIND_", accountsv1.EntityKind_name))
	}
	return accountsv1.EntityKind(v), nil
}

func parseRoles(list []string) ([]accountsv1.Role, error) {
	var out []accountsv1.Role
	for _, s := range list {
		if strings.TrimSpace(s) == "" {
			continue
		}
		v, ok := accountsv1.Role_value[enumName("ROLE_", s)]
		if !ok || v == 0 {
			return nil, fmt.Errorf("--roles: %q is not a role; use some of %s", s, enumChoices("ROLE_", accountsv1.Role_name))
		}
		out = append(out, accountsv1.Role(v))
	}
	return out, nil
}

// accountFlags are the flags describing an account (genesis add-account,
// tx accounts open).
type accountFlags struct {
	name, kind, country string
	roles               []string
	// Organisation details (issue 15).
	corporateNumber, registrationNumber, postalAddress, department string
}

func (f *accountFlags) register(cmd *cobra.Command) {
	cmd.Flags().StringVar(&f.name, "name", "", "legal name of the account holder (required)")
	cmd.Flags().StringVar(&f.kind, "kind", "corporation", "entity kind: "+enumChoices("ENTITY_KIND_", accountsv1.EntityKind_name))
	cmd.Flags().StringVar(&f.country, "country", "JP", "ISO 3166-1 alpha-2 country code")
	cmd.Flags().StringSliceVar(&f.roles, "roles", nil, "comma-separated roles: "+enumChoices("ROLE_", accountsv1.Role_name))
	cmd.Flags().StringVar(&f.corporateNumber, "corporate-number", "", "13-digit corporate number (法人番号) of a domestic corporation, government body or local government")
	cmd.Flags().StringVar(&f.registrationNumber, "registration-number", "", "a foreign entity's registration number in its home register (--country names it)")
	cmd.Flags().StringVar(&f.postalAddress, "postal-address", "", "registered address (served by the public API only with [api] public_holdings)")
	cmd.Flags().StringVar(&f.department, "department", "", "the department of the corporation this account is for (needs --corporate-number)")
	_ = cmd.MarkFlagRequired("name")
}

func (f *accountFlags) parse() (accountsv1.EntityKind, []accountsv1.Role, error) {
	kind, err := parseKind(f.kind)
	if err != nil {
		return 0, nil, err
	}
	roles, err := parseRoles(f.roles)
	return kind, roles, err
}

// resolveAddress accepts a 0x address or the name of a key in the home's
// key store.
func resolveAddress(cmd *cobra.Command, s string) (common.Address, error) {
	if strings.HasPrefix(s, "0x") {
		return accountstypes.ParseAddress(s)
	}
	if common.IsHexAddress(s) {
		return common.Address{}, fmt.Errorf("address %q: write it with the 0x prefix", s)
	}
	info, err := keyring(cmd).Show(s)
	if err != nil {
		return common.Address{}, fmt.Errorf("%q is neither a 0x address nor a key name: %w", s, err)
	}
	return info.Address, nil
}

// resolveAccount accepts what resolveAddress does, or an account number,
// and returns it as a query path names an account.
func resolveAccount(cmd *cobra.Command, s string) (string, error) {
	if n, err := strconv.ParseUint(s, 10, 64); err == nil && n > 0 && strconv.FormatUint(n, 10) == s {
		return s, nil
	}
	addr, err := resolveAddress(cmd, s)
	if err != nil {
		return "", err
	}
	return addr.Hex(), nil
}
