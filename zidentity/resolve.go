package zidentity

import "fmt"

// Input names one of the two things an admin gives for a tenant.
type Input int

// The inputs ResolveTenant reads.
const (
	// TenantInput is the vanity domain or an address of the tenant.
	TenantInput Input = iota
	// CloudInput is the cloud's name.
	CloudInput
)

// InputError is a tenant or a cloud that does not parse.
type InputError struct {
	// Input says which of the two is at fault.
	Input Input
	Err   error
}

// Error returns the parse error's message.
func (e *InputError) Error() string { return e.Err.Error() }

// Unwrap returns the parse error.
func (e *InputError) Unwrap() error { return e.Err }

// CloudConflictError means the tenant was given as an address in one cloud
// while the cloud given names another.
type CloudConflictError struct {
	// Host is the tenant's token host, as the address names it.
	Host string
	// AddressCloud is the cloud of the address; Cloud the one given.
	AddressCloud Cloud
	Cloud        Cloud
}

// Error says both clouds.
func (e *CloudConflictError) Error() string {
	return fmt.Sprintf("%s is in the %s cloud, not %s", e.Host, e.AddressCloud, e.Cloud)
}

// ResolveTenant turns what an admin gave into one Tenant: tenant is a vanity
// domain or any address of the tenant (see ParseTenant), cloud a cloud's
// name (see ParseCloud), empty when none was given. The cloud comes from
// cloud when given, else from the address, else it is Production. When the
// address names a cloud and cloud names another, the error is a
// *CloudConflictError; an input that does not parse gives an *InputError.
func ResolveTenant(tenant, cloud string) (Tenant, error) {
	t, err := ParseTenant(tenant)
	if err != nil {
		return Tenant{}, &InputError{Input: TenantInput, Err: err}
	}
	if cloud == "" {
		if t.Cloud == "" {
			t.Cloud = Production
		}
		return t, nil
	}
	c, err := ParseCloud(cloud)
	if err != nil {
		return Tenant{}, &InputError{Input: CloudInput, Err: err}
	}
	if t.Cloud != "" && !t.Cloud.Same(c) {
		return Tenant{}, &CloudConflictError{Host: t.Host(), AddressCloud: t.Cloud, Cloud: c}
	}
	t.Cloud = c
	return t, nil
}
