package shop

import "slices"

// Scope is the shops a request or a socket sees: every shop, or a set of them. Its zero value
// sees nothing, so that a scope forgotten on the way refuses rather than grants.
type Scope struct {
	all   bool
	shops []int64 // sorted, without duplicates
}

// Everything is the scope of platform staff who named no shop, and of the instance's own feed.
func Everything() Scope { return Scope{all: true} }

// Only is the scope of the given shops.
func Only(ids ...int64) Scope {
	s := slices.Clone(ids)
	slices.Sort(s)
	return Scope{shops: slices.Compact(s)}
}

// All reports whether the scope is every shop.
func (s Scope) All() bool { return s.all }

// Shops are the shops of a scope that is not All, in increasing order.
func (s Scope) Shops() []int64 { return slices.Clone(s.shops) }

// Includes reports whether the scope sees shop id.
func (s Scope) Includes(id int64) bool {
	if s.all {
		return true
	}
	_, found := slices.BinarySearch(s.shops, id)
	return found
}

// Narrow is the scope a caller of scope s gets when it names shops: every named shop must be in s
// (else ErrForbidden); naming none keeps s.
func (s Scope) Narrow(named []int64) (Scope, error) {
	if len(named) == 0 {
		return s, nil
	}
	for _, id := range named {
		if !s.Includes(id) {
			return Scope{}, ErrForbidden
		}
	}
	return Only(named...), nil
}
