package pictures

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/creack/pty"

	"github.com/zconn/zconn/internal/screentest"
	"github.com/zconn/zconn/store"
	"github.com/zconn/zconn/zidentity/zidentitytest"
)

var (
	update = flag.Bool("update", false, "write the pictures into docs/images")
	outDir = flag.String("out", "", "write the pictures into this folder instead")
	size   = flag.String("size", "100x24", "the terminal's size, COLSxROWS")
)

// canary starts every client secret the pictures use; it must show in no
// picture and no file.
const canary = "zconn-canary-pictures-5e1f"

const (
	enter = "\r"
	tab   = "\t"
	ctrlS = "\x13"
	ctrlC = "\x03"
)

func paste(s string) string { return "\x1b[200~" + s + "\x1b[201~" }

// seed is a connection saved before the app starts, so that the
// Connections page shows connections in every state. zconn test records
// its verification, as a person would.
type seed struct {
	conn     store.Connection
	expires  time.Time // zero: none
	services []zidentitytest.Service
	// test runs zconn test NAME once it is saved; reject makes the fake
	// ZIdentity reject the client first, as after its secret was deleted
	// in the portal.
	test, reject bool
	// users is what the users API answers that test (such as 403 for a
	// role without user management); 0 is the fake's own answer.
	users int
}

func seeds(today time.Time) []seed {
	return []seed{
		{conn: store.Connection{Name: "lab", Description: "Lab tenant, read-only", Vanity: "acme", ClientID: "0oa2lab9xq7tn4"},
			services: []zidentitytest.Service{{Product: "ZIA", Role: "Read Only Admin"}}, test: true},
		{conn: store.Connection{Name: "eu-beta", Description: "Beta cloud trial", Vanity: "acme", Cloud: "beta", ClientID: "0oa5eub3t4k8wz"},
			expires: today.AddDate(0, 0, 5), test: true},
		{conn: store.Connection{Name: "audit", Description: "Audit log export", Vanity: "acme", ClientID: "0oa7aud2r8n5fq"},
			test: true, users: 403},
		{conn: store.Connection{Name: "staging", Description: "Staging user sync", Vanity: "acme", ClientID: "0oa3stg6m2pc1r"},
			expires: today.AddDate(0, 8, 0), test: true, reject: true},
		{conn: store.Connection{Name: "dr-site", Description: "Disaster recovery, not yet tested", Vanity: "acme", ClientID: "0oa4drs8v5hb2j"}},
	}
}

// step types keys into the app, then waits for text to show on the screen.
type step struct {
	keys string
	want string
}

// shot is one picture: the steps that lead to it from the screen the one
// before left, and the file it is drawn to. To follow a change of the UI,
// change the keys and the text each step waits for.
type shot struct {
	file  string
	title string
	steps []step
}

// session is every picture, in the order one run of the app takes them.
func session(today time.Time) []shot {
	expires := today.AddDate(0, 11, 0).Format(time.DateOnly)
	return []shot{
		{file: "import-offer.svg", title: "zconn: Before you begin, offering the credentials found in ~/.zscaler/zscaler.yaml", steps: []step{
			{want: "dr-site"}, // the Connections page
			{keys: "n", want: "1  Import from ~/.zscaler/zscaler.yaml"},
		}},
		{file: "new-connection.svg", title: "zconn: the New Connection form, filled in", steps: []step{
			{keys: enter, want: "Secret expires"}, // the form
			{keys: "prod" + tab + "Production user sync" + tab + paste("https://acme-admin.zslogin.net/#/home"),
				want: "https://acme.zslogin.net/oauth2/v1/token"},
			// Past the Authentication row, which stays on Secret.
			{keys: tab + tab + "0oa1prd5kq2x7v" + tab + tab + paste(canary+"-prod") + tab + expires, want: expires},
		}},
		{file: "verified.svg", title: "zconn: the credentials work, with the token's products and roles", steps: []step{
			{keys: ctrlS, want: "The credentials work"},
		}},
		{file: "connections.svg", title: "zconn: the Connections page", steps: []step{
			{keys: enter, want: "Created prod"},
		}},
		{file: "details.svg", title: "zconn: a connection's details", steps: []step{
			{keys: enter, want: "Token URL"},
		}},
	}
}

// TestPictures makes the README's pictures from the real zconn, and checks
// each is a well-formed SVG without a secret. With -update it writes them
// into docs/images.
func TestPictures(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs zconn")
	}
	var cols, rows int
	if _, err := fmt.Sscanf(*size, "%dx%d", &cols, &rows); err != nil || cols < 80 || rows < 24 {
		t.Fatalf("-size %q; want COLSxROWS of at least 80x24", *size)
	}
	out := *outDir
	if out == "" && *update {
		out = filepath.Join("..", "..", "docs", "images")
	}
	if out == "" {
		out = t.TempDir()
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		t.Fatal(err)
	}
	today := time.Now()
	// Each picture checked below is one this run drew.
	for _, s := range session(today) {
		if err := os.Remove(filepath.Join(out, s.file)); err != nil && !errors.Is(err, os.ErrNotExist) {
			t.Fatal(err)
		}
	}
	// The config folder is the usual one in the home folder, which the
	// pages show as ~/.config/zconn. The home folder holds the SDKs' file
	// with a secret in plain text, as an admin's often does, for Before
	// you begin to offer; the app runs in an empty working folder.
	home := t.TempDir()
	dir := filepath.Join(home, ".config", "zconn")
	start := time.Now()
	g := newGenerator(t, dir, home, t.TempDir())
	t.Logf("built in %s", time.Since(start))
	start = time.Now()
	g.seed(seeds(today))
	t.Logf("seeded in %s", time.Since(start))
	start = time.Now()
	raw := g.run(session(today), cols, rows, out)
	t.Logf("pictures in %s", time.Since(start))

	if strings.Contains(raw, canary) {
		t.Error("a secret reached the terminal")
	}
	for _, s := range session(today) {
		path := filepath.Join(out, s.file)
		b, err := os.ReadFile(path)
		if err != nil {
			t.Errorf("picture %s: %v", s.file, err)
			continue
		}
		if err := checkSVG(b); err != nil {
			t.Errorf("picture %s: %v", s.file, err)
		}
		for _, bad := range []string{canary, zidentitytest.UserCanary, "127.0.0.1", "ZCONN_ZIDENTITY_URL"} {
			if bytes.Contains(b, []byte(bad)) {
				t.Errorf("picture %s shows %q", s.file, bad)
			}
		}
		t.Logf("%s: %d bytes", path, len(b))
	}
	// Nothing zconn wrote holds a secret in the clear.
	err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if bytes.Contains(b, []byte(canary)) {
			t.Errorf("%s holds a secret", path)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// checkSVG reports whether b is well-formed XML whose root is an SVG
// element with a size and some text.
func checkSVG(b []byte) error {
	d := xml.NewDecoder(bytes.NewReader(b))
	var root *xml.StartElement
	texts := 0
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return fmt.Errorf("not well-formed XML: %w", err)
		}
		if se, ok := tok.(xml.StartElement); ok {
			if root == nil {
				root = &se
			}
			if se.Name.Local == "text" {
				texts++
			}
		}
	}
	if root == nil || root.Name.Local != "svg" || root.Name.Space != "http://www.w3.org/2000/svg" {
		return fmt.Errorf("root element %v; want svg in the SVG namespace", root)
	}
	attrs := map[string]string{}
	for _, a := range root.Attr {
		attrs[a.Name.Local] = a.Value
	}
	for _, k := range []string{"width", "height", "viewBox"} {
		if attrs[k] == "" || attrs[k] == "0" {
			return fmt.Errorf("svg %s = %q; want a size", k, attrs[k])
		}
	}
	if texts < 10 {
		return fmt.Errorf("%d text elements; want a screen's worth", texts)
	}
	return nil
}

// generator runs zconn against the fake ZIdentity, through the proxy.
type generator struct {
	t      *testing.T
	bin    string
	srv    *zidentitytest.Server
	config string
	// home is the home folder, cwd the working folder zconn runs in.
	home, cwd string
	env       []string
}

const passphrase = "pictures passphrase"

// newGenerator builds zconn and starts the fake ZIdentity and the proxy;
// zconn's files go into dir, and it runs in cwd with home as its home
// folder. Nothing of the environment it runs in reaches it: no ZSCALER_*
// variable, and no SDK file but the one seed writes.
func newGenerator(t *testing.T, dir, home, cwd string) *generator {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "zconn")
	build := exec.Command("go", "build", "-o", bin, "github.com/zconn/zconn")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	srv := zidentitytest.New(t)
	proxy, err := StartProxy(srv.URL, srv.HTTPClient().Transport)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = proxy.Close() })
	ca := filepath.Join(t.TempDir(), "proxy-ca.pem")
	if err := os.WriteFile(ca, proxy.CAPEM, 0o600); err != nil {
		t.Fatal(err)
	}
	return &generator{t: t, bin: bin, srv: srv, config: dir, home: home, cwd: cwd, env: []string{
		"HOME=" + home,
		"PATH=" + os.Getenv("PATH"),
		"TERM=xterm-256color",
		"LANG=C.UTF-8",
		"ZCONN_CONFIG_DIR=" + dir,
		"ZCONN_SECRETS=file",
		"ZCONN_PASSPHRASE=" + passphrase,
		"HTTPS_PROXY=" + proxy.URL,
		"SSL_CERT_FILE=" + ca,
	}}
}

// zconn runs a command with the secret on standard input.
func (g *generator) zconn(stdin string, args ...string) (string, error) {
	cmd := exec.Command(g.bin, args...)
	cmd.Env = g.env
	cmd.Dir = g.cwd
	cmd.Stdin = strings.NewReader(stdin)
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// seed saves the connections, each with a client of its own at the fake,
// and records their verifications with zconn test. The connections are
// saved through the store zconn uses, into a vault of a low scrypt work
// factor: zconn add would encrypt the vault at full strength each time,
// about three seconds apiece on a busy machine. zconn reads a vault of any
// work factor and writes its own.
func (g *generator) seed(seeds []seed) {
	t := g.t
	t.Helper()
	ctx := t.Context()
	st := store.New(g.config, nil)
	vault := store.NewVault(st, func(context.Context, bool) (string, error) { return passphrase, nil })
	vault.WorkFactor = 10
	st.SetSecrets(vault)
	// As zconn add does when ZCONN_SECRETS chooses the vault.
	if err := st.SetSecretsChoice(ctx, "file"); err != nil {
		t.Fatal(err)
	}
	for _, s := range seeds {
		secret := canary + "-" + s.conn.Name
		g.srv.AddClient(zidentitytest.Client{ID: s.conn.ClientID, Secret: secret, Services: s.services})
		c := s.conn
		if !s.expires.IsZero() {
			d, err := store.ParseDate(s.expires.Format(time.DateOnly))
			if err != nil {
				t.Fatal(err)
			}
			c.SecretExpires = d
		}
		if _, err := st.Create(ctx, c, secret); err != nil {
			t.Fatalf("saving %s: %v", c.Name, err)
		}
		if s.reject {
			g.srv.SetClientFailure(c.ClientID, zidentitytest.Reject)
		}
		if !s.test {
			continue
		}
		g.srv.SetUsersStatus(s.users)
		out, err := g.zconn("", "test", c.Name)
		g.srv.SetUsersStatus(0)
		if (err != nil) != s.reject {
			t.Fatalf("zconn test %s: %v; want it to fail only if rejected\n%s", c.Name, err, out)
		}
	}
	g.srv.AddClient(zidentitytest.Client{ID: "0oa1prd5kq2x7v", Secret: canary + "-prod", Services: []zidentitytest.Service{
		{Product: "ZIAM", Role: "User Admin"}, {Product: "ZIA", Role: "Super Admin"}, {Product: "ZPA", Role: "Read Only Admin"},
	}})
	// The SDKs' file that Before you begin offers to import.
	sdk := filepath.Join(g.home, ".zscaler", "zscaler.yaml")
	if err := os.MkdirAll(filepath.Dir(sdk), 0o700); err != nil {
		t.Fatal(err)
	}
	yaml := "zscaler:\n  client:\n    clientId: 0oa6tfm3ws9d1k\n    clientSecret: " + canary + "-terraform\n    vanityDomain: acme\n"
	if err := os.WriteFile(sdk, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	g.srv.AddClient(zidentitytest.Client{ID: "0oa6tfm3ws9d1k", Secret: canary + "-terraform"})
}

// run starts the app in a pseudo-terminal of cols by rows, takes each
// shot into out and returns everything the app wrote.
func (g *generator) run(shots []shot, cols, rows int, out string) string {
	t := g.t
	t.Helper()
	cmd := exec.Command(g.bin)
	cmd.Env = g.env
	cmd.Dir = g.cwd
	ptmx, err := pty.StartWithSize(cmd, &pty.Winsize{Cols: uint16(cols), Rows: uint16(rows)})
	if err != nil {
		t.Fatalf("starting zconn in a pseudo-terminal: %v", err)
	}
	defer func() { _ = ptmx.Close() }()
	defer func() { _ = cmd.Process.Kill() }()
	screen := screentest.New(cols, rows)
	screen.Pump(t, ptmx)
	for _, s := range shots {
		// A subtest per picture, so a failure names the picture.
		ok := t.Run(strings.TrimSuffix(s.file, ".svg"), func(t *testing.T) {
			for _, st := range s.steps {
				if st.keys != "" {
					if _, err := io.WriteString(ptmx, st.keys); err != nil {
						t.Fatalf("typing %q: %v", st.keys, err)
					}
				}
				screen.WaitFor(t, st.want, 30*time.Second)
			}
			settle(t, screen, 200*time.Millisecond, 10*time.Second)
			shown := Emulate([]byte(screen.Raw()), cols, rows)
			if last := s.steps[len(s.steps)-1].want; !strings.Contains(fold(shown.Text()), fold(last)) {
				t.Fatalf("the replayed screen does not show %q:\n%s", last, shown.Text())
			}
			if err := os.WriteFile(filepath.Join(out, s.file), shown.SVG(DefaultTheme, s.title), 0o644); err != nil {
				t.Fatal(err)
			}
		})
		if !ok {
			t.FailNow() // the pictures after it start from its screen
		}
	}
	if _, err := io.WriteString(ptmx, ctrlC); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("zconn exited with %v", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("zconn did not quit on ctrl+c")
	}
	return screen.Raw()
}

// settle waits until the app has written nothing for quiet, so a picture
// never catches a frame half drawn.
func settle(t *testing.T, screen *screentest.Screen, quiet, timeout time.Duration) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	n, since := len(screen.Raw()), time.Now()
	for time.Since(since) < quiet {
		if time.Now().After(deadline) {
			t.Fatalf("the screen kept changing for %s:\n%s", timeout, screen.Text())
		}
		time.Sleep(10 * time.Millisecond)
		if m := len(screen.Raw()); m != n {
			n, since = m, time.Now()
		}
	}
}

func fold(s string) string { return strings.Join(strings.Fields(s), " ") }
