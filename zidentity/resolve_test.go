package zidentity

import (
	"errors"
	"testing"
)

func TestResolveTenant(t *testing.T) {
	tests := []struct {
		name, tenant, cloud string
		want                Tenant
	}{
		{"bare vanity, no cloud", "acme", "", Tenant{"acme", Production}},
		{"bare vanity, typed cloud", "acme", "Beta", Tenant{"acme", Beta}},
		{"address names the cloud", "https://acme-admin.zsloginbeta.net/#/home", "", Tenant{"acme", Beta}},
		{"address and cloud agree", "acme.zidentitygov.us", "govus", Tenant{"acme", GovUS}},
		{"production by either name", "acme.zslogin.net", "prod", Tenant{"acme", Production}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ResolveTenant(tt.tenant, tt.cloud)
			if err != nil || got != tt.want {
				t.Errorf("got %+v, %v; want %+v", got, err, tt.want)
			}
		})
	}
}

func TestResolveTenantErrors(t *testing.T) {
	t.Run("conflict", func(t *testing.T) {
		_, err := ResolveTenant("acme.zsloginbeta.net", "gov")
		var conflict *CloudConflictError
		if !errors.As(err, &conflict) || conflict.AddressCloud != Beta || conflict.Cloud != Gov || conflict.Host != "acme.zsloginbeta.net" {
			t.Fatalf("got %v; want a *CloudConflictError between beta and gov", err)
		}
		if want := "acme.zsloginbeta.net is in the beta cloud, not gov"; err.Error() != want {
			t.Errorf("got %q; want %q", err, want)
		}
	})
	for _, tt := range []struct {
		name, tenant, cloud string
		input               Input
	}{
		{"bad tenant", "http://acme", "", TenantInput},
		{"bad tenant and cloud", "10.0.0.1", "moon base", TenantInput},
		{"bad cloud", "acme", "moon base", CloudInput},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ResolveTenant(tt.tenant, tt.cloud)
			var in *InputError
			if !errors.As(err, &in) || in.Input != tt.input {
				t.Errorf("got %v; want an *InputError about input %v", err, tt.input)
			}
		})
	}
}
