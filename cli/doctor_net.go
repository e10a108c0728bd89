package cli

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"net"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/zconn/zconn/manager"
	"github.com/zconn/zconn/store"
)

// maxClockSkew is how far the local clock may be from ZIdentity's.
const maxClockSkew = 5 * time.Minute

// checkNetwork checks the proxy and TLS settings, then each token host:
// its name resolves, a TLS handshake completes, and a request without
// credentials (HEAD of the host's root) answers with a Date close to the
// local clock.
func (f *factory) checkNetwork(ctx context.Context, r *report, conns []store.Connection, timeout time.Duration) {
	proxied := f.checkProxy(r)
	f.checkCertFiles(r)
	base, err := f.baseURL()
	if err != nil {
		r.fail("%v", err)
		return
	}
	var targets []*url.URL
	if base != "" {
		u, _ := url.Parse(base)
		r.note("ZCONN_ZIDENTITY_URL is set: every identity request goes to %s instead of the tenant's host", base)
		targets = append(targets, u)
	} else {
		for _, c := range conns {
			u := &url.URL{Scheme: "https", Host: manager.Tenant(c).Host()}
			if !slices.ContainsFunc(targets, func(t *url.URL) bool { return t.Host == u.Host }) {
				targets = append(targets, u)
			}
		}
	}
	targets = f.usersTargets(r, conns, base, targets)
	if len(targets) == 0 {
		r.note("no connections, so no token host to reach: add one with zconn new or zconn add")
		return
	}
	hc := f.httpClient()
	clockChecked := false
	for _, u := range targets {
		// A failure explains the checks after it; skip them.
		if !f.checkResolve(ctx, r, u, proxied, timeout) || !f.checkHandshake(ctx, r, u, hc, proxied, timeout) {
			continue
		}
		date, err := headDate(ctx, hc, u, timeout)
		if err != nil {
			r.fail("request to %s (no credentials sent): %v: check your network, firewall and HTTPS_PROXY", u.Host, err)
			continue
		}
		if !clockChecked && !date.IsZero() {
			clockChecked = true
			f.checkClock(r, u, date)
		}
	}
	if !clockChecked {
		r.note("clock not checked: no server answered with a Date")
	}
}

// checkProxy reports the proxy variables in effect, and whether requests
// to ZIdentity go through a proxy.
func (f *factory) checkProxy(r *report) (proxied bool) {
	anySet := false
	for _, name := range []string{"HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "NO_PROXY", "no_proxy", "ALL_PROXY", "all_proxy"} {
		v := f.sys.Getenv(name)
		if v == "" {
			continue
		}
		anySet = true
		switch name {
		case "HTTPS_PROXY", "https_proxy":
			proxied = true
			r.note("%s=%s is in effect: requests to ZIdentity go through that proxy", name, redactProxy(v))
		case "HTTP_PROXY", "http_proxy":
			r.note("%s=%s is set but not used: ZIdentity is reached over https, which uses HTTPS_PROXY", name, redactProxy(v))
		case "NO_PROXY", "no_proxy":
			r.note("%s=%s is in effect: these hosts are reached directly", name, v)
		default:
			r.note("%s is set but zconn does not read it: set HTTPS_PROXY to use a proxy", name)
		}
	}
	if !anySet {
		r.ok("no proxy variables set: ZIdentity is reached directly")
	}
	return proxied
}

// redactProxy hides a password in a proxy URL, read as net/http reads the
// variable: a value without a scheme (user:pass@host:port) is an http://
// URL. What does not parse either way loses everything up to its last @.
func redactProxy(v string) string {
	u, err := url.Parse(v)
	if err != nil || u.Scheme == "" || u.Host == "" {
		u, err = url.Parse("http://" + v)
	}
	switch {
	case err == nil && u.User != nil:
		return u.Redacted()
	case err == nil:
		return v
	}
	if i := strings.LastIndex(v, "@"); i >= 0 {
		return "…" + v[i:]
	}
	return v
}

// checkCertFiles reports SSL_CERT_FILE and SSL_CERT_DIR when set.
func (f *factory) checkCertFiles(r *report) {
	for _, name := range []string{"SSL_CERT_FILE", "SSL_CERT_DIR"} {
		v := f.sys.Getenv(name)
		if v == "" {
			continue
		}
		if _, err := os.Stat(v); err != nil {
			r.fail("%s=%s cannot be read: fix the path, or unset it", name, v)
			continue
		}
		r.ok("%s=%s is in effect for the certificates zconn trusts", name, v)
	}
}

// checkResolve looks the host's name up, and reports whether the checks
// after it can go on. Behind a proxy, a name that does not resolve here is
// only a note: the proxy resolves it.
func (f *factory) checkResolve(ctx context.Context, r *report, u *url.URL, proxied bool, timeout time.Duration) bool {
	host := u.Hostname()
	if net.ParseIP(host) != nil {
		return true
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	addrs, err := net.DefaultResolver.LookupHost(ctx, host)
	switch {
	case err == nil:
		r.ok("%s resolves (%s)", host, plural(len(addrs), "address", "addresses"))
	case proxied:
		r.note("%s does not resolve here (%v); the proxy resolves it", host, shortNetError(err))
	default:
		r.fail("%s does not resolve (%v): check the tenant's vanity domain and cloud, and your DNS", host, shortNetError(err))
		return false
	}
	return true
}

// checkHandshake completes a TLS handshake with the host directly, trusting
// what zconn's HTTP client trusts, and reports whether the checks after it
// can go on. Nothing is sent after the handshake.
func (f *factory) checkHandshake(ctx context.Context, r *report, u *url.URL, hc *http.Client, proxied bool, timeout time.Duration) bool {
	addr := u.Host
	if u.Port() == "" {
		addr = net.JoinHostPort(u.Hostname(), "443")
	}
	cfg := &tls.Config{}
	if tr, ok := hc.Transport.(*http.Transport); ok && tr.TLSClientConfig != nil {
		cfg = tr.TLSClientConfig.Clone()
	}
	cfg.ServerName = u.Hostname()
	dialer := &tls.Dialer{NetDialer: &net.Dialer{Timeout: timeout}, Config: cfg}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	conn, err := dialer.DialContext(ctx, "tcp", addr)
	if err != nil {
		if proxied {
			r.note("no direct TLS connection to %s (%v); zconn goes through the proxy instead", addr, shortNetError(err))
			return true
		}
		r.fail("TLS handshake with %s: %v: %s", addr, shortNetError(err), handshakeFix(err))
		return false
	}
	defer conn.Close()
	state := conn.(*tls.Conn).ConnectionState()
	r.ok("TLS handshake with %s (%s, certificate trusted)", addr, tls.VersionName(state.Version))
	return true
}

// handshakeFix names the fix for a failed handshake.
func handshakeFix(err error) string {
	var (
		unknown x509.UnknownAuthorityError
		host    x509.HostnameError
		verify  *tls.CertificateVerificationError
	)
	if errors.As(err, &unknown) || errors.As(err, &verify) {
		return "TLS inspection on your network may be the cause: point SSL_CERT_FILE at a PEM file that holds its root CA"
	}
	if errors.As(err, &host) {
		return "the certificate is for another host: check the tenant and cloud, or ZCONN_ZIDENTITY_URL"
	}
	return "check your network, firewall and HTTPS_PROXY"
}

// shortNetError keeps the innermost part of a network error.
func shortNetError(err error) error {
	var dnsErr *net.DNSError
	if errors.As(err, &dnsErr) {
		return errors.New(dnsErr.Err)
	}
	var opErr *net.OpError
	if errors.As(err, &opErr) && opErr.Err != nil {
		return opErr.Err
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return errors.New("timed out")
	}
	return err
}

// headDate sends HEAD to the host's root, without credentials, and
// returns the Date the server answered (zero if none).
func headDate(ctx context.Context, hc *http.Client, u *url.URL, timeout time.Duration) (time.Time, error) {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	root := &url.URL{Scheme: u.Scheme, Host: u.Host, Path: "/"}
	req, err := http.NewRequestWithContext(ctx, http.MethodHead, root.String(), nil)
	if err != nil {
		return time.Time{}, err
	}
	req.Header.Set("User-Agent", "zconn")
	noRedirects := *hc
	noRedirects.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	resp, err := noRedirects.Do(req)
	if err != nil {
		var uerr *url.Error
		if errors.As(err, &uerr) {
			err = uerr.Err
		}
		return time.Time{}, shortNetError(err)
	}
	resp.Body.Close()
	date, err := http.ParseTime(resp.Header.Get("Date"))
	if err != nil {
		return time.Time{}, nil
	}
	return date, nil
}

// checkClock compares the local clock with a server's Date.
func (f *factory) checkClock(r *report, u *url.URL, date time.Time) {
	skew := f.sys.Now().Sub(date)
	abs := skew.Abs().Round(time.Second)
	if abs <= maxClockSkew {
		r.ok("clock agrees with %s (%s apart; at most %s is fine)", u.Host, abs, shortDuration(maxClockSkew))
		return
	}
	way := "ahead of"
	if skew < 0 {
		way = "behind"
	}
	// A Date header has whole seconds: say the skew in minutes.
	r.fail("clock is %s %s %s: set the system clock, or turn on network time (NTP)", shortDuration(abs.Round(time.Minute)), way, u.Host)
}

// shortDuration writes a duration without trailing zero units: "5m",
// "1h", "1h30m".
func shortDuration(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}
