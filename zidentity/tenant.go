package zidentity

import (
	"errors"
	"fmt"
	"net/netip"
	"net/url"
	"slices"
	"strings"
)

// Cloud names the ZIdentity cloud a tenant lives in. The empty Cloud and
// Production both mean the production cloud (zslogin.net).
type Cloud string

// The clouds zconn knows by name. Any other lower-case name n is a cloud
// reached at zslogin<n>.net, as Zscaler's SDKs build it; since anyone may
// own such a domain, a token request refuses those clouds unless the caller
// allows it (Credentials.AllowUnknownCloud).
const (
	Production Cloud = "production"
	Beta       Cloud = "beta"
	Gov        Cloud = "gov"
	GovUS      Cloud = "govus"
)

// IsProduction reports whether c is the production cloud.
func (c Cloud) IsProduction() bool { return c == "" || c == Production }

// Known reports whether c is one of the clouds zconn knows (KnownClouds,
// or empty for production). Only those are reached without asking.
func (c Cloud) Known() bool {
	return c.IsProduction() || slices.Contains(KnownClouds(), c)
}

// KnownClouds returns the clouds zconn knows, production first.
func KnownClouds() []Cloud { return []Cloud{Production, Beta, Gov, GovUS} }

// KnownCloudList names the clouds zconn knows for a message, separated by
// commas and by last before the final one: KnownCloudList(", ") is
// "production, beta, gov, govus", KnownCloudList(" and ") is "production,
// beta, gov and govus".
func KnownCloudList(last string) string {
	clouds := KnownClouds()
	names := make([]string, len(clouds))
	for i, c := range clouds {
		names[i] = string(c)
	}
	n := len(names) - 1
	return strings.Join(names[:n], ", ") + last + names[n]
}

// String returns the cloud's name, "production" for the empty Cloud.
func (c Cloud) String() string {
	if c.IsProduction() {
		return string(Production)
	}
	return string(c)
}

// Same reports whether two clouds are one: the empty Cloud is production.
func (c Cloud) Same(o Cloud) bool { return c.String() == o.String() }

// Domain returns the DNS domain of the cloud's token hosts.
func (c Cloud) Domain() string {
	switch {
	case c.IsProduction():
		return "zslogin.net"
	case c == Gov:
		return "zidentitygov.net"
	case c == GovUS:
		return "zidentitygov.us"
	default:
		return "zslogin" + string(c) + ".net"
	}
}

// ParseCloud turns a cloud name as a person types it ("", "production",
// "Beta", "govus") into a Cloud. A name that is not Known is accepted here
// and refused only when a token request would go there.
func ParseCloud(s string) (Cloud, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	switch s {
	case "", "production", "prod", "zslogin", "zslogin.net":
		return Production, nil
	}
	if len(s) > 20 || !isAlnum(s) {
		return "", fmt.Errorf("unknown cloud %q: use %s or the name after zslogin in your tenant's address", s, KnownCloudList(", "))
	}
	return Cloud(s), nil
}

// Tenant is a ZIdentity tenant: its vanity domain (the first label of
// <vanity>.zslogin.net) and its cloud.
type Tenant struct {
	Vanity string
	// Cloud is empty when the tenant was given as a bare vanity domain, so
	// the caller decides; an empty Cloud means production.
	Cloud Cloud
}

// Host returns the token host, such as acme.zslogin.net.
func (t Tenant) Host() string { return t.Vanity + "." + t.Cloud.Domain() }

// String returns the tenant's token host.
func (t Tenant) String() string { return t.Host() }

// ParseTenant turns what an admin pastes (a vanity domain, a host name or
// any URL of the tenant's portal or token endpoint) into a Tenant. The cloud
// is read from the host's domain; a bare vanity domain leaves it empty.
func ParseTenant(s string) (Tenant, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return Tenant{}, errors.New("enter the tenant: the vanity domain, such as acme for acme.zslogin.net")
	}
	host, err := hostOf(s)
	if err != nil {
		return Tenant{}, err
	}
	if _, err := netip.ParseAddr(strings.Trim(host, "[]")); err == nil {
		return Tenant{}, fmt.Errorf("%s is an IP address, not a tenant: enter the vanity domain, such as acme for acme.zslogin.net", host)
	}
	host = strings.TrimSuffix(strings.ToLower(host), ".")
	labels := strings.Split(host, ".")
	for _, l := range labels {
		if !isLabel(l) {
			return Tenant{}, fmt.Errorf("%q cannot be a tenant: a vanity domain holds only letters, digits and inner hyphens", s)
		}
	}
	// The admin portal lives at <vanity>-admin.<domain>.
	vanity := strings.TrimSuffix(labels[0], "-admin")
	if !isLabel(vanity) {
		return Tenant{}, fmt.Errorf("%q cannot be a tenant: a vanity domain holds only letters, digits and inner hyphens", s)
	}
	if len(labels) == 1 {
		return Tenant{Vanity: vanity}, nil
	}
	domain := strings.Join(labels[1:], ".")
	cloud, ok := cloudOfDomain(domain)
	if !ok {
		if isZIADomain(labels) {
			return Tenant{}, fmt.Errorf("%s is a ZIA cloud, not ZIdentity: enter the vanity domain of your ZIdentity portal, such as acme for acme.zslogin.net", domain)
		}
		return Tenant{}, fmt.Errorf("%s is not a ZIdentity domain: enter the vanity domain, such as acme for acme.zslogin.net", host)
	}
	return Tenant{Vanity: vanity, Cloud: cloud}, nil
}

// hostOf returns the host part of a URL or host name, refusing URLs that are
// not https.
func hostOf(s string) (string, error) {
	if i := strings.Index(s, "://"); i >= 0 {
		scheme := strings.ToLower(s[:i])
		if scheme != "https" {
			return "", fmt.Errorf("%s:// is not accepted: ZIdentity is reached over https, so paste the https:// address or just the vanity domain", scheme)
		}
	} else {
		s = "https://" + s
	}
	u, err := url.Parse(s)
	if err != nil || u.Hostname() == "" {
		return "", fmt.Errorf("%q is not a tenant address: enter the vanity domain, such as acme for acme.zslogin.net", withoutUser(strings.TrimPrefix(s, "https://")))
	}
	if u.User != nil {
		return "", errors.New("the tenant address holds a user name or password: paste only the host, such as acme.zslogin.net")
	}
	return u.Hostname(), nil
}

// cloudOfDomain maps a ZIdentity token domain to its cloud.
func cloudOfDomain(domain string) (Cloud, bool) {
	switch domain {
	case "zslogin.net":
		return Production, true
	case "zidentitygov.net":
		return Gov, true
	case "zidentitygov.us":
		return GovUS, true
	}
	name, ok := strings.CutPrefix(domain, "zslogin")
	if !ok {
		return "", false
	}
	name, ok = strings.CutSuffix(name, ".net")
	if !ok || name == "" || len(name) > 20 || !isAlnum(name) {
		return "", false
	}
	return Cloud(name), true
}

// isZIADomain reports whether the host lies in one of ZIA's clouds
// (zscaler.net, zscalerone.net, zscloud.net, zscalergov.net, ...), which
// admins often paste by mistake.
func isZIADomain(labels []string) bool {
	if len(labels) < 2 {
		return false
	}
	sld, tld := labels[len(labels)-2], labels[len(labels)-1]
	if tld != "net" && tld != "us" {
		return false
	}
	return sld == "zscloud" || strings.HasPrefix(sld, "zscaler")
}

// isLabel reports whether s can be one DNS label.
func isLabel(s string) bool {
	if s == "" || len(s) > 63 || s[0] == '-' || s[len(s)-1] == '-' {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !isAlnumByte(c) && c != '-' {
			return false
		}
	}
	return true
}

func isAlnum(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; (c < 'a' || c > 'z') && (c < '0' || c > '9') {
			return false
		}
	}
	return true
}

// ParseBaseURL checks a base URL that replaces https://<vanity>.<domain> for
// every identity request (ZCONN_ZIDENTITY_URL): it must be an absolute https
// URL without a query.
func ParseBaseURL(s string) (*url.URL, error) {
	return parseOverride("ZCONN_ZIDENTITY_URL", "the secret", s)
}

// ParseAPIBaseURL checks a base URL that replaces the API base of the
// cloud for the users check (ZCONN_API_URL), as ParseBaseURL does.
func ParseAPIBaseURL(s string) (*url.URL, error) {
	return parseOverride("ZCONN_API_URL", "the token", s)
}

// parseOverride checks the base URL in the variable name, which carries
// what: an absolute https URL without a query, fragment or user.
// withoutUser returns an address that did not parse without what may be
// a user name and password before its last @, for messages.
func withoutUser(s string) string {
	if i := strings.LastIndex(s, "@"); i >= 0 {
		return "…" + s[i:]
	}
	return s
}

func parseOverride(name, what, s string) (*url.URL, error) {
	u, err := url.Parse(strings.TrimSpace(s))
	if err != nil || u.Host == "" {
		// The value is not quoted: it may hold a password.
		return nil, fmt.Errorf("%s is not a URL: set it to an https:// base URL or unset it", name)
	}
	if u.Scheme != "https" {
		return nil, fmt.Errorf("%s must start with https:// so %s is never sent in clear: fix it or unset it", name, what)
	}
	if u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		return nil, fmt.Errorf("%s holds a query, fragment or user: give only https://host[:port][/path]", name)
	}
	u.Path = strings.TrimSuffix(u.Path, "/")
	return u, nil
}
