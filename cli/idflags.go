package cli

import (
	"strings"

	"github.com/spf13/cobra"

	"github.com/zconn/zconn/manager"
	"github.com/zconn/zconn/store"
)

// idFlag is one optional ID of a connection as its flag gives it.
type idFlag struct {
	flag, help string
	check      func(string) error
	value      string
	// given is set once resolve found the flag on the command line.
	given bool
}

// idFlags are a connection's optional IDs: --zpa-customer-id,
// --zpa-microtenant-id and --partner-id. "none" (or "") leaves one out, or
// in edit clears it.
type idFlags struct {
	customer, microtenant, partner idFlag
}

func (ids *idFlags) all() []*idFlag { return []*idFlag{&ids.customer, &ids.microtenant, &ids.partner} }

// register adds the flags to c; clearing adds how to clear one, for edit.
func (ids *idFlags) register(c *cobra.Command, clearing string) {
	ids.customer = idFlag{flag: "zpa-customer-id", help: "the ZPA customer ID (digits), exported as ZPA_CUSTOMER_ID and ZSCALER_CUSTOMER_ID", check: store.ValidateZPACustomerID}
	ids.microtenant = idFlag{flag: "zpa-microtenant-id", help: "the ZPA microtenant ID (digits), exported as ZPA_MICROTENANT_ID and ZSCALER_MICROTENANT_ID", check: store.ValidateZPAMicrotenantID}
	ids.partner = idFlag{flag: "partner-id", help: "the partner ID, exported as ZSCALER_PARTNER_ID", check: store.ValidatePartnerID}
	for _, id := range ids.all() {
		c.Flags().StringVar(&id.value, id.flag, "", id.help+clearing)
	}
}

// resolve trims each ID given, reads "none" as no ID, and checks it,
// naming the flag at fault.
func (ids *idFlags) resolve(changed func(string) bool) error {
	for _, id := range ids.all() {
		id.given = changed(id.flag)
		id.value = strings.TrimSpace(id.value)
		if strings.EqualFold(id.value, "none") {
			id.value = ""
		}
		if err := id.check(id.value); err != nil {
			return usagef("--%s: %w", id.flag, err)
		}
	}
	return nil
}

// any reports whether any of the IDs was given.
func (ids *idFlags) any() bool {
	return ids.customer.given || ids.microtenant.given || ids.partner.given
}

// applyTo sets the IDs of a new connection.
func (ids *idFlags) applyTo(c *store.Connection) {
	c.ZPACustomerID, c.ZPAMicrotenantID, c.PartnerID = ids.customer.value, ids.microtenant.value, ids.partner.value
}

// changes sets or clears, in ch, the IDs that were given.
func (ids *idFlags) changes(ch *manager.Changes) {
	for id, dst := range map[*idFlag]**string{&ids.customer: &ch.ZPACustomerID, &ids.microtenant: &ch.ZPAMicrotenantID, &ids.partner: &ch.PartnerID} {
		if id.given {
			v := id.value
			*dst = &v
		}
	}
}
