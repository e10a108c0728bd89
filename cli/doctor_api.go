package cli

import (
	"net/url"
	"slices"
	"strings"

	"github.com/zconn/zconn/store"
)

// usersTargets says where the users check goes (ZCONN_API_URL, else
// ZCONN_ZIDENTITY_URL, else each connection's cloud API) and returns
// targets with those hosts added, each host once, for the network checks.
// base is ZCONN_ZIDENTITY_URL, checked.
func (f *factory) usersTargets(r *report, conns []store.Connection, base string, targets []*url.URL) []*url.URL {
	add := func(u *url.URL) {
		if !slices.ContainsFunc(targets, func(t *url.URL) bool { return t.Host == u.Host }) {
			targets = append(targets, u)
		}
	}
	api, err := f.apiURL()
	switch {
	case err != nil:
		r.fail("%v", err)
		return targets
	case api != "":
		u, _ := url.Parse(api)
		r.note("ZCONN_API_URL is set: the users check goes to %s instead of the cloud's API", api)
		add(u)
		return targets
	case base != "":
		r.note("ZCONN_API_URL is not set: the users check goes to ZCONN_ZIDENTITY_URL too")
		return targets
	}
	// The connections of each API host, in the order first met.
	var hosts []*url.URL
	names := map[string][]string{}
	for _, c := range conns {
		u, err := f.usersURL(c)
		if err != nil {
			continue
		}
		root := &url.URL{Scheme: u.Scheme, Host: u.Host}
		if _, seen := names[root.Host]; !seen {
			hosts = append(hosts, root)
		}
		names[root.Host] = append(names[root.Host], shellArg(c.Name))
	}
	for _, u := range hosts {
		r.note("the users check of %s goes to %s", strings.Join(names[u.Host], ", "), u.Host)
		add(u)
	}
	return targets
}
