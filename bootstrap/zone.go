package bootstrap

import (
	"fmt"
	"time"

	// The zone database inside the binary: ORDERALERT_TIMEZONE must load on a machine or an
	// image without /usr/share/zoneinfo.
	_ "time/tzdata"
)

// Zone is a time zone by its IANA name, as ORDERALERT_TIMEZONE takes it ("Asia/Shanghai").
type Zone struct{ *time.Location }

// UnmarshalText loads the zone named text.
func (z *Zone) UnmarshalText(text []byte) error {
	loc, err := time.LoadLocation(string(text))
	if err != nil || string(text) == "" || string(text) == "Local" {
		return fmt.Errorf("%q is not a time zone: write an IANA name such as Asia/Shanghai", text)
	}
	z.Location = loc
	return nil
}

// String is the zone's name.
func (z Zone) String() string {
	if z.Location == nil {
		return ""
	}
	return z.Location.String()
}
