package bootstrap

import (
	"fmt"
	"net/netip"
	"strings"
)

// CIDRs is a list of networks, written as ORDERALERT_TRUSTED_PROXIES takes it: comma-separated
// CIDRs ("127.0.0.0/8,::1/128"). A bare address is one host (/32 or /128).
type CIDRs []netip.Prefix

// UnmarshalText parses the comma-separated list; spaces around an entry are allowed.
func (c *CIDRs) UnmarshalText(text []byte) error {
	var list CIDRs
	for entry := range strings.SplitSeq(string(text), ",") {
		entry = strings.TrimSpace(entry)
		if entry == "" {
			continue
		}
		prefix, err := netip.ParsePrefix(entry)
		if err != nil {
			addr, addrErr := netip.ParseAddr(entry)
			if addrErr != nil || addr.Zone() != "" {
				return fmt.Errorf("%q is not a CIDR: write a network such as 10.0.0.0/8 or fd00::/8, or one address", entry)
			}
			prefix = netip.PrefixFrom(addr, addr.BitLen())
		}
		list = append(list, prefix.Masked())
	}
	*c = list
	return nil
}

// String writes the list as it is parsed.
func (c CIDRs) String() string {
	entries := make([]string, len(c))
	for i, p := range c {
		entries[i] = p.String()
	}
	return strings.Join(entries, ",")
}
